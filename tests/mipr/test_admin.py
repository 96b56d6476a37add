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
