import logging

from celery import shared_task
from django.db import transaction

from .celery import app

logger = logging.getLogger(__name__)


@shared_task(name="mipr.ping")
def ping(payload: str = "") -> str:
    """A round trip through the broker and a worker.

    Operators use it to prove a worker answers
    (`celery -A mipr call mipr.ping`); the worker test uses it too.
    """
    return f"pong {payload}".strip()


@shared_task(name="mipr.retention")
def retention() -> dict:
    """Daily (the beat schedule in settings): personal data kept no longer
    than needed (mipr/retention.py)."""
    from . import retention as service

    return service.run()


def send_on_commit(task_name: str, *args, on_failure=None) -> None:
    """Queue a task once the transaction commits, without ever failing the request.

    The task is named, not imported: a service sends tasks and the task module
    calls the service, so the dependency points one way (tasks -> services).
    Each app's tasks are registered when Django starts (its AppConfig.ready).

    If the broker cannot be reached, the failure is logged and `on_failure` is
    called, so that the caller can record it where the user will see it.
    """

    def send():
        task = app.tasks[task_name]
        try:
            task.apply_async(args=args)
        except Exception:  # kombu's OperationalError, a refused connection ...
            logger.exception("could not queue %s%r", task.name, args)
            if on_failure is not None:
                on_failure()

    transaction.on_commit(send)
