"""Adoption: the assembly's decision freezes a version and makes it public."""

from django.db import transaction
from django.utils import timezone

from timeline.models import Deliverable
from timeline.services import milestones_complete

from .access import check_adoptable
from .models import Decision, Version, VersionStatus
from .pdf import jobs


@transaction.atomic
def version_adopt(
    *, version: Version, body: str, meeting_date, case_number: str, text: str, by
) -> Decision:
    """Record the decision; the version is frozen and public from then on, and
    the plan's milestone for the adopted strategy is done."""
    version = (
        Version.objects.select_for_update()
        .select_related("strategy__process")
        .get(pk=version.pk)
    )
    check_adoptable(version)
    version.status = VersionStatus.ADOPTED
    version.is_public = True
    version.published_at = version.published_at or timezone.now()
    version.save(update_fields=["status", "is_public", "published_at"])
    milestones_complete(
        process=version.strategy.process, deliverable=Deliverable.STRATEGY
    )
    decision = Decision.objects.create(
        version=version,
        body=body,
        meeting_date=meeting_date,
        case_number=case_number,
        text=text,
        recorded_by=by,
    )
    # The adopted document, with its decision on the cover, for everyone.
    jobs.publish_pdf(version=version)
    return decision
