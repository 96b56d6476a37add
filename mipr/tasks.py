from celery import shared_task


@shared_task(name="mipr.ping")
def ping(payload: str = "") -> str:
    """A round trip through the broker and a worker.

    Operators use it to prove a worker answers
    (`celery -A mipr call mipr.ping`); the worker test uses it too.
    """
    return f"pong {payload}".strip()
