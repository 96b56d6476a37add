"""What fulfils a milestone: the workshop, the findings summary, a version …

Those objects belong to the apps above this one and point at their milestone
themselves (Workshop.milestone, Version.milestone …). Each such app registers a
function with `fulfilled_by` that returns what it has for one milestone, so
that the milestone's page can show it without knowing those apps.
"""

from dataclasses import dataclass, field

from mipr.hooks import Hook

fulfilled_by = Hook("what fulfils a milestone")


@dataclass
class Item:
    title: str
    url: str = ""  # empty: shown without a link
    note: str = ""


@dataclass
class Fulfilment:
    label: str
    items: list[Item] = field(default_factory=list)


def fulfilment_of(milestone, *, role) -> list[Fulfilment]:
    """Every registered app's part, leaving out those with nothing to show."""
    return [
        part
        for part in fulfilled_by.results(milestone=milestone, role=role)
        if part is not None and part.items
    ]
