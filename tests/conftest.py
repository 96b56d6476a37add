import os

import pytest

from mipr import celery_app

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip a test whose service is missing, or fail it where CI demands the service."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Tasks run eagerly in tests unless a test asks for the real worker.

    With REDIS_URL set (as in CI) the app would otherwise queue tasks in Redis
    where no worker picks them up.
    """
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def demo_process(db):
    from mipr import demo

    return demo.load_process()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds across hundreds of logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
