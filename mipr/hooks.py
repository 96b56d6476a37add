"""Hooks: how an upper app adds to a lower app's page without the lower app
importing it.

The apps are layered (mipr → timeline → workshops → findings → strategy, with
the demo above them all; see the import-linter contracts in pyproject.toml).
When a page of a lower app shows something an upper app owns (a front-page
panel, the export's findings column, what fulfils a milestone), the lower app
declares a Hook and the upper app registers a function with it in its
AppConfig.ready(). The page calls the hook and gets every registered result.
"""

from collections.abc import Callable


class Hook:
    def __init__(self, name: str):
        self.name = name
        self._functions: list[Callable] = []

    def register(self, function: Callable) -> Callable:
        """Add a function (usable as a decorator); registering twice adds once."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def results(self, *args, **kwargs) -> list:
        """What each registered function returns, in the order they registered."""
        return [function(*args, **kwargs) for function in self._functions]

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._functions)} registered>"
