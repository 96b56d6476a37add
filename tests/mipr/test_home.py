import pytest

from mipr.models import Role
from tests.factories import MembershipFactory, ProcessFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_what_the_portal_is_and_how_to_log_in(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Strategi for Mosseregionen 2026–2029" in html
    assert 'href="/logg-inn/"' in html
    assert 'class="skip-link' in html


def test_dashboard_lists_only_the_users_own_processes_with_the_role(client):
    membership = MembershipFactory(role=Role.WORKING_GROUP)
    other = ProcessFactory(name="Hemmelig prosess")
    client.force_login(membership.user)
    html = client.get("/").content.decode()
    assert membership.process.name in html
    assert "Arbeidsgruppe" in html
    assert other.name not in html


def test_user_without_a_role_is_told_to_ask_the_secretariat(client):
    ProcessFactory()
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert "Be sekretariatet" in html


def test_dashboard_queries_do_not_grow_with_the_number_of_processes(
    client, django_assert_max_num_queries
):
    user = UserFactory()
    for _ in range(30):
        MembershipFactory(user=user)
    client.force_login(user)
    # session + user + one query for all memberships with their processes
    with django_assert_max_num_queries(4):
        response = client.get("/")
    assert response.content.decode().count('class="card h-100"') == 30
