"""What the process plan adds to the pages of the core app (mipr)."""

from mipr.dashboard import Panel, panels

from .services import this_and_next_week


@panels.register
def upcoming_milestones(*, user, memberships, today):
    """This week's and next week's milestones, and the way to the whole plan."""
    upcoming = this_and_next_week([m.process for m in memberships], today=today)
    return {
        m.process_id: [
            Panel(
                "timeline/partials/dashboard_panel.html",
                {"upcoming": upcoming.get(m.process_id, [])},
                order=10,
            )
        ]
        for m in memberships
    }
