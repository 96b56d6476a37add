"""What the workshops add to the pages of the apps below: the front page's link
for staff, and the workshops on their milestone's page."""

from django.utils.translation import gettext as _

from mipr.access import STAFF_ROLES
from mipr.dashboard import Panel, panels
from timeline.fulfilment import Fulfilment, Item, fulfilled_by


@panels.register
def workshops_link(*, user, memberships, today):
    return {
        m.process_id: [Panel("workshops/partials/dashboard_panel.html", order=20)]
        for m in memberships
        if m.role in STAFF_ROLES
    }


@fulfilled_by.register
def milestone_workshops(*, milestone, role):
    """Everyone sees that the workshop exists; staff get the link to it."""
    return Fulfilment(
        _("Workshops"),
        [
            Item(
                workshop.title,
                workshop.get_absolute_url() if role in STAFF_ROLES else "",
                workshop.get_status_display(),
            )
            for workshop in milestone.workshops.all()
        ],
    )
