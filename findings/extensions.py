"""What the findings add to the pages of the apps below: the workshop export's
findings column and the findings summary on its milestone's page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mipr.access import STAFF_ROLES
from mipr.members import forget, personal_data
from timeline.fulfilment import Fulfilment, Item, fulfilled_by
from workshops.exports import Column, columns

from .exports import findings_by_item
from .models import Source


@columns.register
def findings_column(*, workshop):
    """The findings (funn) each answer item is tagged with."""
    return Column(header=_("Findings"), values=findings_by_item(workshop))


@fulfilled_by.register
def findings_summary(*, milestone, role):
    """The uke-20 summary of the findings, for staff, on its milestone."""
    if role not in STAFF_ROLES:
        return None
    if not milestone.findings_summaries.exists():
        return None
    url = reverse("findings:summary", args=[milestone.process.slug])
    return Fulfilment(_("Findings"), [Item(_("Summary of the findings"), url)])


@personal_data.register
def assigned_sources(*, user, process):
    return {
        "sources_assigned": [
            {"title": s.title, "status": s.status}
            for s in Source.objects.filter(process=process, assigned_to=user)
        ]
    }


@forget.register
def unassign_sources(*, user, process):
    Source.objects.filter(process=process, assigned_to=user).update(assigned_to=None)
