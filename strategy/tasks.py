import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="strategy.send_review_mail", acks_late=True)
def send_review_mail(version_id: int, base_url: str) -> int:
    from .models import Version
    from .review import review_mail_send

    version = Version.objects.select_related("strategy__process").get(pk=version_id)
    return review_mail_send(version=version, base_url=base_url)


@shared_task(
    name="strategy.make_pdf",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
    max_retries=3,
)
def make_pdf(self, export_id: int) -> str:
    """Thin: the service makes the PDF; here only the retries and time limits."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import OperationalError

    from . import pdf_exports

    try:
        export = pdf_exports.export_run(export_id=export_id)
    except SoftTimeLimitExceeded:
        pdf_exports.export_fail(
            export_id=export_id, message=pdf_exports.timeout_message()
        )
        return "timeout"
    except OperationalError as error:  # the database went away for a moment
        if self.request.retries >= self.max_retries:
            pdf_exports.export_fail(
                export_id=export_id, message=pdf_exports.unexpected_message()
            )
            return "failed"
        raise self.retry(
            exc=error, countdown=2 ** (self.request.retries + 1)
        ) from error
    except Exception:
        # Logged, and told on the export; not raised, so that the in-process
        # mode (no broker) shows the failure on the page instead of a 500.
        logger.exception("PDF export %s failed", export_id)
        pdf_exports.export_fail(
            export_id=export_id, message=pdf_exports.unexpected_message()
        )
        return "failed"
    return export.status
