import pytest

from mipr.models import Role
from tests.factories import MembershipFactory, ProcessFactory, UserFactory
from workshops.access import SESSION_KEY


@pytest.fixture
def workshop(demo_process):
    """The seed's workshop: four questions, five groups, three example answers."""
    from timeline import demo as timeline_demo
    from workshops import demo

    timeline_demo.load(demo_process)
    return demo.load(demo_process)


@pytest.fixture
def groups(workshop):
    return {group.number: group for group in workshop.groups.all()}


@pytest.fixture
def questions(workshop):
    return {question.number: question for question in workshop.questions.all()}


@pytest.fixture
def people(workshop):
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


def join(client, group, name="Simen"):
    """Join the group through /delta/, as a participant does."""
    response = client.post("/delta/", {"code": group.code, "name": name})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert str(group.pk) in client.session[SESSION_KEY]
    return response
