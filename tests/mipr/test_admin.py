import pytest

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/mipr/process/",
        "/admin/mipr/process/add/",
        "/admin/mipr/membership/",
        "/admin/auth/user/",
        "/admin/timeline/milestone/",
        "/admin/workshops/workshop/",
        "/admin/workshops/group/",
        "/admin/workshops/answer/",
    ],
)
def test_admin_pages_open_for_a_superuser(admin_client_, url):
    MembershipFactory()
    assert admin_client_.get(url).status_code == 200


def test_process_change_page_shows_its_members(admin_client_):
    membership = MembershipFactory()
    html = admin_client_.get(
        f"/admin/mipr/process/{membership.process.pk}/change/"
    ).content.decode()
    assert membership.user.username in html


def test_admin_is_closed_to_ordinary_users(client):
    client.force_login(MembershipFactory().user)
    response = client.get("/admin/mipr/process/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "address, status", [("10.1.2.3", 200), ("198.51.100.1", 404), ("::1", 404)]
)
def test_the_admin_can_be_kept_to_some_networks(client, settings, address, status):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.0.0.0/8", "192.168.1.0/24"]
    assert client.get("/admin/login/", REMOTE_ADDR=address).status_code == status


def test_the_admin_can_be_kept_to_the_secretariat(client, settings):
    from mipr.models import Role

    settings.ADMIN_SECRETARIAT_ONLY = True
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert client.get("/admin/").status_code == 404
    MembershipFactory(user=operator, role=Role.COUNCIL_MEMBER)
    assert client.get("/admin/").status_code == 404
    MembershipFactory(user=operator, role=Role.SECRETARIAT)
    assert client.get("/admin/").status_code == 200
    # The log-in page itself is there for whoever may try.
    client.logout()
    assert client.get("/admin/login/").status_code == 200


def test_the_admins_log_in_has_the_lockout(client, settings):
    UserFactory(username="drift", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": "drift", "password": "feil"},
            REMOTE_ADDR="1.2.3.4",
        )
    response = client.post(
        "/admin/login/",
        {"username": "drift", "password": "riktig-hemmelig-passord"},
        REMOTE_ADDR="1.2.3.4",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
