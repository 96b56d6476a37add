"""The demo with its strategy, built once per test module: version 1 public,
version 2 for review, version 3 a working draft.

Here `mipr` is the demo process with all of that; the root conftest's
`people` and `as_user` work unchanged.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings

from demo import document, evidence, plan, workshop
from demo.process import load_process
from mipr.models import Process
from strategy import review, writing

from .helpers import MD5, PERSONAS, SLUG


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """MIPR's demo with its strategy, built once for this module: it is the slow part.

    It stays in an open transaction. Each test runs in a savepoint inside it (the
    `db` fixture), so what a test changes is rolled back after the test, and the
    demo itself after the module. Version 1 is public, version 2 published for
    review, version 3 the newest, a working draft.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=[MD5]):
            process = load_process()
            plan.load(process)
            workshop.load(process)
            evidence.load(process)
        v1, v2 = document.load_strategy(process).versions.order_by("number")
        review.version_set_public(version=v1, public=True)
        sara = get_user_model().objects.get(username="sekretariat")
        writing.version_new(previous=v2, by=sara)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def mipr(_demo, db):
    """The conftest's `mipr`, with the demo loaded once per module (see `_demo`)."""
    return Process.objects.get(slug=SLUG)


@pytest.fixture
def strategy(mipr):
    return mipr.strategies.get()


@pytest.fixture
def versions(strategy):
    """Version 1 public, version 2 for review, version 3 the newest, a draft."""
    return tuple(strategy.versions.order_by("number"))


@pytest.fixture
def clients(as_user):
    return {"anonymous": Client(), **{p: as_user(p) for p in PERSONAS[1:]}}
