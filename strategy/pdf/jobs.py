"""PDF jobs: asking for a PDF of a version, and making it in the background.

The request records an export and sends the task (strategy.tasks.make_pdf)
once the transaction commits; the task calls export_run(), which renders with
render.py and stores the file.
"""

import datetime
import io
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from mipr.tasks import send_on_commit

from ..models import ExportStatus, PdfExport, Version
from . import render

log = logging.getLogger(__name__)

MAKE_PDF = "strategy.make_pdf"
# The task's limits (strategy.tasks.make_pdf): a soft one that lets it say why,
# and a hard one that kills it.
SOFT_TIME_LIMIT = 120
TIME_LIMIT = 180
# An export «being made» for longer than the hard limit (and a margin for the
# queue) was killed with its worker; one «queued» this long was lost on its way.
STUCK_AFTER = datetime.timedelta(seconds=TIME_LIMIT + 120)
MAX_ATTEMPTS = 3


def export_request(*, version: Version, with_comments: bool, by) -> PdfExport:
    """The export for this version, options and content; queued if new or failed.

    Two requests at once get the same export: the unique constraint decides.
    """
    key = render.fingerprint(version, with_comments=with_comments)
    try:
        with transaction.atomic():
            export, created = PdfExport.objects.get_or_create(
                version=version,
                with_comments=with_comments,
                fingerprint=key,
                defaults={"requested_by": by},
            )
    except IntegrityError:
        export = PdfExport.objects.get(
            version=version, with_comments=with_comments, fingerprint=key
        )
        created = False
    if created:
        _enqueue(export)
        return export
    # A task killed by its hard time limit leaves the export «being made»:
    # after that limit has passed, it counts as failed and may be tried again.
    stuck = PdfExport.objects.filter(
        pk=export.pk,
        status=ExportStatus.RUNNING,
        started_at__lt=timezone.now() - STUCK_AFTER,
    )
    stuck.update(status=ExportStatus.FAILED, error=unexpected_message())
    # Only the request that flips failed → queued enqueues: two «try again» at
    # once make one PDF, not two.
    now = timezone.now()
    requeued = PdfExport.objects.filter(
        pk=export.pk, status=ExportStatus.FAILED
    ).update(
        status=ExportStatus.QUEUED,
        error="",
        requested_by=by,
        requested_at=now,
        attempts=0,
    )
    # A task lost on its way (a broker that took the connection but not the
    # message) leaves the export «queued» for good: after STUCK_AFTER it is sent
    # again. Should the first task turn up after all, export_run makes no
    # second file.
    requeued += PdfExport.objects.filter(
        pk=export.pk,
        status=ExportStatus.QUEUED,
        requested_at__lt=now - STUCK_AFTER,
    ).update(requested_by=by, requested_at=now)
    export.refresh_from_db()
    if requeued:
        _enqueue(export)
    return export


@transaction.atomic
def publish_pdf(*, version: Version) -> PdfExport:
    """The version's PDF for everyone, made now (once the transaction commits)
    and kept: later changes make new exports for members, never a new one for
    the public. Called when a version is made public and when it is adopted.

    Appendix B is kept with the version from then on: a later change to an
    answer changes neither this PDF nor the version's later ones."""
    version.appendix_b = render.appendix_b(version.strategy.process)
    version.save(update_fields=["appendix_b"])
    export = export_request(version=version, with_comments=False, by=None)
    PdfExport.objects.filter(version=version).exclude(pk=export.pk).update(
        is_published=False
    )
    PdfExport.objects.filter(pk=export.pk).update(is_published=True)
    export.is_published = True
    return export


def published_pdf(*, version: Version) -> PdfExport:
    """The published PDF of a public version: the one there is, or made now
    (a version made public before published PDFs existed has none)."""
    export = version.exports.filter(is_published=True).first()
    return export or publish_pdf(version=version)


# Ready exports that a newer one of the same version and options replaced are
# deleted after this long (someone may be downloading); failed ones after a day.
SUPERSEDED_AFTER = datetime.timedelta(hours=1)
FAILED_KEPT = datetime.timedelta(days=1)


def delete_superseded(*, now=None) -> int:
    """Delete exports nobody will ask for again, with their files.

    Kept: every version's published PDF, and the newest ready export of each
    version and options; what is still queued or being made.
    """
    now = now or timezone.now()
    newest = {}
    for export in PdfExport.objects.filter(status=ExportStatus.READY).order_by(
        "version_id", "with_comments", "-finished_at", "-pk"
    ):
        newest.setdefault((export.version_id, export.with_comments), export.pk)
    superseded = PdfExport.objects.filter(
        status=ExportStatus.READY,
        is_published=False,
        finished_at__lt=now - SUPERSEDED_AFTER,
    ).exclude(pk__in=list(newest.values()))
    failed = PdfExport.objects.filter(
        status=ExportStatus.FAILED,
        is_published=False,
        requested_at__lt=now - FAILED_KEPT,
    )
    deleted = 0
    for export in list(superseded) + list(failed):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        deleted += 1
    if deleted:
        log.info("deleted %s superseded or failed PDF exports", deleted)
    return deleted


def _enqueue(export: PdfExport) -> None:
    send_on_commit(
        MAKE_PDF,
        export.pk,
        on_failure=lambda: export_fail(
            export_id=export.pk, message=queue_down_message()
        ),
    )


def export_run(*, export_id: int) -> PdfExport:
    """Make the PDF of an export; idempotent, so a redelivered task is harmless."""
    with transaction.atomic():
        export = (
            PdfExport.objects.select_for_update()
            .select_related("version__strategy__process")
            .get(pk=export_id)
        )
        if export.is_ready:
            return export
        if export.attempts >= MAX_ATTEMPTS:
            # Redelivered again and again (a render that kills its worker):
            # stop, and say so, instead of looping for ever.
            export.status = ExportStatus.FAILED
            export.error = unexpected_message()
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            return export
        export.status = ExportStatus.RUNNING
        export.started_at = timezone.now()
        export.attempts += 1
        export.save(update_fields=["status", "started_at", "attempts"])
    try:
        data = render.version_pdf(export.version, with_comments=export.with_comments)
    except render.PdfError as error:
        return export_fail(export_id=export.pk, message=error.message)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    version = export.version
    name = f"{version.strategy.process.slug}-v{version.number}-{export.pk}.pdf"
    with transaction.atomic():
        export = PdfExport.objects.select_for_update().get(pk=export_id)
        if export.file:
            export.file.delete(save=False)
        export.file.save(name, ContentFile(data), save=False)
        export.status = ExportStatus.READY
        export.pages = pages
        export.error = ""
        export.finished_at = timezone.now()
        export.save()
    return export


def export_fail(*, export_id: int, message: str) -> PdfExport:
    PdfExport.objects.filter(pk=export_id).update(
        status=ExportStatus.FAILED, error=message, finished_at=timezone.now()
    )
    log.warning("PDF export %s failed: %s", export_id, message)
    return PdfExport.objects.get(pk=export_id)


def queue_down_message() -> str:
    return _(
        "The PDF could not be started: the background service does not answer. "
        "Try again in a little while."
    )


def timeout_message() -> str:
    return _("Making the PDF took too long and was stopped. Try again, or shorten it.")


def unexpected_message() -> str:
    return _("The PDF could not be made because of an error on our side. Try again.")
