import pytest

from mipr.models import Role
from tests.factories import MembershipFactory, ProcessFactory, UserFactory


@pytest.fixture
def mipr(demo_process):
    """MIPR's demo process with the seed's ten milestones."""
    from timeline import demo

    demo.load(demo_process)
    return demo_process


@pytest.fixture
def people(mipr):
    """One user per persona, for the permission tests."""
    from django.contrib.auth import get_user_model

    users = {
        username: get_user_model().objects.get(username=username)
        for username in ("sekretariat", "arbeidsgruppe", "radsmedlem")
    }
    other = MembershipFactory(process=ProcessFactory(), role=Role.SECRETARIAT).user
    users["other_secretariat"] = other
    users["outsider"] = UserFactory()
    return users
