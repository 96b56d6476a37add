import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_has_username_and_password_fields(client):
    response = client.get("/logg-inn/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'lang="nb"' in html
    assert "Logg inn" in html


def test_wrong_password_gives_a_norwegian_error_not_a_500(client):
    UserFactory(username="kari")
    response = client.post("/logg-inn/", {"username": "kari", "password": "feil"})
    assert response.status_code == 200
    assert "korrekt brukernavn og passord" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "", "password": ""},
        {"username": "x" * 10_000, "password": "y" * 10_000},
        {"username": "kari\x00", "password": "\u202e\U0001f600"},
    ],
    ids=["missing", "empty", "huge", "control-characters"],
)
def test_malformed_login_input_is_refused_with_a_form_error(client, data):
    response = client.post("/logg-inn/", data)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "invalid-feedback" in response.content.decode() or "alert" in (
        response.content.decode()
    )


def test_correct_login_gets_a_new_session_and_lands_on_the_dashboard(client):
    UserFactory(username="kari", first_name="Kari")
    client.get("/logg-inn/")
    response = client.post(
        "/logg-inn/",
        {"username": "kari", "password": "riktig-hemmelig-passord"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Velkommen, Kari" in response.content.decode()


def test_login_honours_a_safe_next_but_not_an_external_one(client):
    UserFactory(username="kari")
    data = {"username": "kari", "password": "riktig-hemmelig-passord"}
    response = client.post("/logg-inn/?next=/passord/", data)
    assert response["Location"] == "/passord/"
    client.logout()
    response = client.post("/logg-inn/?next=https://evil.example/", data)
    assert response["Location"] == reverse("home")


def test_logout_is_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/logg-ut/").status_code == 405
    response = client.post("/logg-ut/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_requires_login(client):
    response = client.get("/passord/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/?next=/passord/")


def test_password_change_refuses_a_weak_password_in_norwegian(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/passord/",
        {
            "old_password": "riktig-hemmelig-passord",
            "new_password1": "123",
            "new_password2": "123",
        },
    )
    assert response.status_code == 200
    assert "for kort" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("riktig-hemmelig-passord")


def test_password_change_with_a_good_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/passord/",
        {
            "old_password": "riktig-hemmelig-passord",
            "new_password1": "Fjordlandskap-med-utsikt-9",
            "new_password2": "Fjordlandskap-med-utsikt-9",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Fjordlandskap-med-utsikt-9")
