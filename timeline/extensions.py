"""What the process plan adds to the core app (mipr): the front page's panel,
and its part of a member's own data."""

from mipr import clock
from mipr.dashboard import Panel, panels
from mipr.members import forget, personal_data

from .models import Milestone
from .services import this_and_next_week


@panels.register
def upcoming_milestones(*, user, memberships, today):
    """This week's and next week's milestones, and the way to the whole plan."""
    upcoming = this_and_next_week([m.process for m in memberships], today=today)
    return {
        m.process_id: [
            Panel(
                "timeline/partials/dashboard_panel.html",
                {
                    "upcoming": upcoming.get(m.process_id, []),
                    "demo_today": clock.demo_today(),
                },
                order=10,
            )
        ]
        for m in memberships
    }


@personal_data.register
def responsibilities(*, user, process):
    milestones = Milestone.objects.filter(process=process, responsible_users=user)
    return {
        "responsible_for": [
            {"milestone": m.what, "weeks": m.weeks_label} for m in milestones
        ]
    }


@forget.register
def not_responsible_any_more(*, user, process):
    for milestone in Milestone.objects.filter(process=process, responsible_users=user):
        milestone.responsible_users.remove(user)
