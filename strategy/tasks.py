"""Celery tasks: thin, they take ids and call the services that do the work.

The services send them by name (mipr.tasks.send_on_commit) once their
transaction commits; apps.py imports this module so that they are registered.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from . import review
from .models import Version
from .pdf import jobs

logger = logging.getLogger(__name__)


@shared_task(name=review.SEND_REVIEW_MAIL, acks_late=True)
def send_review_mail(version_id: int, base_url: str) -> int:
    version = Version.objects.select_related("strategy__process").get(pk=version_id)
    return review.review_mail_send(version=version, base_url=base_url)


@shared_task(name="strategy.delete_superseded_pdfs")
def delete_superseded_pdfs() -> int:
    """Daily (the beat schedule in mipr/settings.py)."""
    return jobs.delete_superseded()


@shared_task(
    name=jobs.MAKE_PDF,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=jobs.SOFT_TIME_LIMIT,
    time_limit=jobs.TIME_LIMIT,
    max_retries=3,
)
def make_pdf(self, export_id: int) -> str:
    """The service makes the PDF; here only the retries and time limits."""
    try:
        export = jobs.export_run(export_id=export_id)
    except SoftTimeLimitExceeded:
        jobs.export_fail(export_id=export_id, message=jobs.timeout_message())
        return "timeout"
    except OperationalError as error:  # the database went away for a moment
        if self.request.retries >= self.max_retries:
            jobs.export_fail(export_id=export_id, message=jobs.unexpected_message())
            return "failed"
        raise self.retry(
            exc=error, countdown=2 ** (self.request.retries + 1)
        ) from error
    except Exception:
        # Logged, and told on the export; not raised, so that the in-process
        # mode (no broker) shows the failure on the page instead of a 500.
        logger.exception("PDF export %s failed", export_id)
        jobs.export_fail(export_id=export_id, message=jobs.unexpected_message())
        return "failed"
    return export.status
