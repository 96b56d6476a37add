import os
import sys

import pytest
from hypothesis import HealthCheck, settings

from mipr import celery_app

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# Hypothesis: `ci` by default; `make fuzz` loads `fuzz`. Each example of the
# Django tests makes requests against a database, so there is no deadline.
# tests/test_fuzz.py spreads 350 examples (ci) or 10,500 (fuzz) over its
# endpoints; other property tests keep Hypothesis' max_examples under ci.
settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("fuzz", parent=settings.get_profile("ci"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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


def pytest_terminal_summary(terminalreporter):
    """After the fuzz tests: how many examples really ran, and the outcome."""
    fuzz = sys.modules.get("tests.fuzz_strategies")
    if fuzz is None or not fuzz.STATS["examples"]:
        return
    stats = fuzz.STATS
    failed = len(terminalreporter.stats.get("failed", []))
    statuses = ", ".join(
        f"{key.split()[1]}: {count}"
        for key, count in sorted(stats.items())
        if key.startswith("HTTP ")
    )
    terminalreporter.write_sep("=", "fuzzing")
    terminalreporter.write_line(
        f"{stats['examples']} examples run "
        f"(profile {settings.get_current_profile_name()}), "
        f"{stats['accepted']} accepted, {stats['rejected']} rejected; "
        f"HTTP {statuses}"
    )
    if terminalreporter.verbosity > 0 or "fuzz" in settings.get_current_profile_name():
        for key in sorted(k for k in stats if k.startswith("endpoint ")):
            name = key.removeprefix("endpoint ")
            terminalreporter.write_line(
                f"  {name}: {stats[key]} examples, {stats[f'accepted {name}']} accepted"
            )
    terminalreporter.write_line(
        f"result: {'FAILED' if failed else 'passed'}"
        + (f" ({failed} failed tests)" if failed else "")
    )


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in the test's own directory: generated files stay there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def services():
    """Redis and PostgreSQL for a real worker, or a skip (a failure in CI)."""
    from tests import workers

    url = workers.require_redis()
    workers.require_postgresql()
    return url


@pytest.fixture
def start_worker(services, media, tmp_path):
    """Starts Celery workers on a queue of their own; stops them after the test."""
    from tests import workers

    with workers.celery_workers(
        redis_url=services, media=media, log_dir=tmp_path
    ) as start:
        yield start
