import os
import sys

import pytest
from hypothesis import HealthCheck, settings

from mipr import celery_app

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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate limits, lockouts by address
    and cached pages never carry over from another test (or, with Redis, from
    an earlier run). Under xdist each worker has a Redis database of its own."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demo_process(db):
    """MIPR's process and the three demo users, and nothing else yet."""
    from demo.process import load_process

    return load_process()


@pytest.fixture
def mipr(demo_process):
    """MIPR's demo up to the findings: the plan, the workshop with its example
    answers, the seed's findings and sources. (The timeline's and workshops'
    tests load less; the strategy's document tests more.)"""
    from demo import evidence, plan, workshop

    plan.load(demo_process)
    workshop.load(demo_process)
    evidence.load(demo_process)
    return demo_process


@pytest.fixture
def people(demo_process):
    """The personas of the permission tests (healthchecks' three and more):
    the demo's sekretariat, arbeidsgruppe and radsmedlem, the secretariat of
    another process, and a user who belongs to no process."""
    from django.contrib.auth import get_user_model

    from mipr.models import Role
    from tests.factories import MembershipFactory, ProcessFactory, UserFactory

    users = {
        username: get_user_model().objects.get(username=username)
        for username in ("sekretariat", "arbeidsgruppe", "radsmedlem")
    }
    users["other_secretariat"] = MembershipFactory(
        process=ProcessFactory(), role=Role.SECRETARIAT
    ).user
    users["outsider"] = UserFactory()
    return users


@pytest.fixture
def as_user(people):
    """A client logged in as one of the personas."""
    from django.test import Client

    def client_for(persona):
        client = Client()
        client.force_login(people[persona])
        return client

    return client_for


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
    from django.conf import settings

    from tests import workers

    workers.require_redis()
    workers.require_postgresql()
    # The test worker's own Redis database (see REDIS_URL in mipr/settings.py).
    return settings.REDIS_URL


@pytest.fixture
def start_worker(services, media, tmp_path):
    """Starts Celery workers on a queue of their own; stops them after the test."""
    from tests import workers

    with workers.celery_workers(
        redis_url=services, media=media, log_dir=tmp_path
    ) as start:
        yield start
