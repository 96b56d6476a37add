"""/profil/: a person's own name and e-mail address, and their roles."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_member_sets_their_own_email_address(people, as_user):
    rita = as_user("radsmedlem")
    html = rita.get("/profil/").content.decode()
    assert "Du har ingen e-postadresse her" in html
    assert "Rådsmedlem" in html  # the role in the process
    response = rita.post(
        "/profil/",
        {"first_name": "Rita", "last_name": "Rådsmedlem", "email": " Rita@Moss.no "},
        follow=True,
    )
    assert "Profilen din er lagret." in response.content.decode()
    people["radsmedlem"].refresh_from_db()
    assert people["radsmedlem"].email == "rita@moss.no"
    assert "Du har ingen e-postadresse her" not in rita.get("/profil/").content.decode()


@pytest.mark.parametrize(
    "email, message",
    [
        ("ikke-en-adresse", "Oppgi en gyldig e-postadresse"),
        ("a@" + "b" * 260 + ".no", "Oppgi en gyldig e-postadresse"),
    ],
    ids=["malformed", "huge"],
)
def test_a_bad_address_is_refused_and_what_was_typed_stays(
    people, as_user, email, message
):
    rita = as_user("radsmedlem")
    response = rita.post(
        "/profil/",
        {"first_name": "Rita Ny", "last_name": "Rådsmedlem", "email": email},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Rita Ny"' in html  # nothing typed is lost
    people["radsmedlem"].refresh_from_db()
    assert (people["radsmedlem"].first_name, people["radsmedlem"].email) == (
        "Rita",
        "",
    )


def test_each_person_edits_only_their_own_profile(people, as_user):
    as_user("sekretariat").post(
        "/profil/", {"first_name": "Sara", "last_name": "S", "email": "s@moss.no"}
    )
    people["radsmedlem"].refresh_from_db()
    assert people["radsmedlem"].email == ""
    response = Client().get("/profil/")
    assert response["Location"].startswith("/logg-inn/")


def test_the_name_in_the_menu_leads_to_the_profile(as_user):
    html = as_user("radsmedlem").get("/").content.decode()
    assert 'href="/profil/">Innlogget som Rita' in html
