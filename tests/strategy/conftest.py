import pytest
from django.test import Client

from mipr.models import Role
from tests.factories import MembershipFactory, ProcessFactory, UserFactory


@pytest.fixture
def mipr(demo_process):
    """MIPR's demo: the plan, the workshop with its answers, the seed's findings."""
    from strategy import demo as strategy_demo
    from timeline import demo as timeline_demo
    from workshops import demo as workshops_demo

    timeline_demo.load(demo_process)
    workshops_demo.load(demo_process)
    strategy_demo.load(demo_process)
    return demo_process


@pytest.fixture
def people(mipr):
    from django.contrib.auth import get_user_model

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
    def client_for(persona):
        client = Client()
        client.force_login(people[persona])
        return client

    return client_for
