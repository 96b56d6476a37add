"""Checks behind /healthz. Each returns "ok" (or "eager") or a short reason."""

import redis
from django.conf import settings
from django.db import connection


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down" to a load balancer
        return f"unavailable ({exc.__class__.__name__})"
    return "ok"


def check_broker() -> str:
    if not settings.REDIS_URL:
        return "eager"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except Exception as exc:
        return f"unavailable ({exc.__class__.__name__})"
    return "ok"


def health_report() -> tuple[bool, dict[str, str]]:
    report = {"database": check_database(), "broker": check_broker()}
    healthy = all(value in {"ok", "eager"} for value in report.values())
    return healthy, {"status": "ok" if healthy else "error", **report}
