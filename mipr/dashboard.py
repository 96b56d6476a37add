"""The front page's panels: each app adds what it has for a person's processes.

An app registers a function with `panels` (in its AppConfig.ready()) that gets
the person's memberships and today's date and returns, per process id, the
panels to show on that process's card. Each function should cost at most one
query for all the processes together: the front page keeps a fixed number of
queries however many processes a person belongs to.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from .hooks import Hook

panels = Hook("front page panels")


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    # Where on the card: lower first.
    order: int = 50


def panels_for(*, user, memberships: list, today: datetime.date) -> dict[int, list]:
    """Process id -> its panels, in order."""
    found: dict[int, list[Panel]] = defaultdict(list)
    for result in panels.results(user=user, memberships=memberships, today=today):
        for process_id, items in result.items():
            found[process_id].extend(items)
    for items in found.values():
        items.sort(key=lambda panel: panel.order)
    return found


@panels.register
def audit_log_panel(*, user, memberships, today):
    from .models import Role

    return {
        m.process_id: [Panel("mipr/partials/secretariat_panel.html", order=90)]
        for m in memberships
        if m.role == Role.SECRETARIAT
    }
