import re
import time

import pytest
from django.test import Client

from tests.helpers import join, join_form
from workshops import services
from workshops.access import SESSION_KEY
from workshops.models import WorkshopStatus

pytestmark = pytest.mark.django_db


def test_join_page_asks_for_the_code_and_a_first_name(client, workshop):
    response = client.get("/delta/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gruppekode" in html
    assert "Fornavnet ditt" in html


def test_the_qr_codes_address_fills_in_the_code(client, groups):
    html = client.get(f"/delta/?kode={groups[1].code}").content.decode()
    assert f'value="{groups[1].code}"' in html


def test_a_participant_joins_with_code_and_name_and_lands_on_the_groups_page(
    client, groups
):
    code = groups[2].code
    typed = f" {code[:3].lower()}-{code[3:]} "  # as read aloud and typed on a phone
    response = client.post("/delta/", join_form(client, typed, "  Irene "))
    assert response.status_code == 302
    assert response["Location"] == f"/delta/gruppe/{groups[2].pk}/"
    assert client.session[SESSION_KEY][str(groups[2].pk)]["name"] == "Irene"
    page = client.get(response["Location"]).content.decode()
    assert "Gruppe 2" in page
    assert "Du deltar som <strong>Irene</strong>" in page


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Skriv koden til gruppen din."),
        ("ABC", "En gruppekode har 7 tegn"),
        ("ABCDEFG", "Ingen gruppe har denne koden"),
        ("A" * 5000, "32 eller færre tegn"),
        ("<script>", "En gruppekode har 7 tegn"),
    ],
    ids=["empty", "short", "unknown", "huge", "markup"],
)
def test_a_wrong_code_gets_a_norwegian_message(client, workshop, code, message):
    response = client.post("/delta/", join_form(client, code, "Simen"))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert SESSION_KEY not in client.session
    assert "<script>" not in html.split("<main", 1)[1]


def test_a_name_is_required_and_not_made_of_control_characters(client, groups):
    for name in ["", "   ", "\x07\x08"]:
        response = client.post("/delta/", join_form(client, groups[1].code, name))
        assert response.status_code == 400
        assert SESSION_KEY not in client.session


def test_a_code_works_only_while_the_workshop_is_open(client, workshop, groups):
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.DRAFT)
    response = client.post("/delta/", join_form(client, groups[1].code, "Simen"))
    assert "Workshopen har ikke åpnet ennå" in response.content.decode()
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    response = client.post("/delta/", join_form(client, groups[1].code, "Simen"))
    assert "Workshopen er avsluttet" in response.content.decode()
    assert SESSION_KEY not in client.session


def _token(response) -> str:
    return re.search(r'name="skjema" value="([^"]+)"', response.content.decode())[1]


def test_ten_wrong_codes_a_minute_then_a_wait_message_even_for_the_right_one(
    client, groups
):
    address = "10.20.30.41"
    data = join_form(client, "ABCDEFG", "Simen", REMOTE_ADDR=address)
    for _ in range(10):
        response = client.post("/delta/", data, REMOTE_ADDR=address)
        assert response.status_code == 400
        data["skjema"] = _token(response)  # the page keeps its form's count
    data["code"] = groups[1].code
    response = client.post("/delta/", data, REMOTE_ADDR=address)
    assert response.status_code == 429
    assert "For mange forsøk. Vent et minutt" in response.content.decode()
    assert SESSION_KEY not in client.session
    # Another browser (another form) at the same address is not held back.
    other = Client()
    other_data = join_form(other, groups[1].code, "Ivar", REMOTE_ADDR=address)
    assert other.post("/delta/", other_data, REMOTE_ADDR=address).status_code == 302


def test_a_form_the_server_did_not_give_out_checks_nothing_and_keeps_the_text(
    client, groups
):
    for token in ("", "forfalsket", "x" * 1000, "eyJh:1abc:forfalsket"):
        response = client.post(
            "/delta/",
            {"code": groups[1].code, "name": "Simen", "skjema": token},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Siden var åpen for lenge. Trykk «Bli med» igjen." in html
        assert f'value="{groups[1].code}"' in html and 'value="Simen"' in html
        assert SESSION_KEY not in client.session
    # Sending the form again, as it came back, gets in.
    response = client.post(
        "/delta/", {**_form_of(response), "skjema": _token(response)}
    )
    assert response.status_code == 302


def _form_of(response) -> dict:
    html = response.content.decode()
    return {
        "code": re.search(r'name="code" value="([^"]*)"', html)[1],
        "name": re.search(r'name="name" value="([^"]*)"', html)[1],
    }


def test_an_old_form_is_refused_as_too_old(client, groups):
    import time_machine

    data = join_form(client, groups[1].code)
    with time_machine.travel(time.time() + 9 * 60 * 60):
        assert client.post("/delta/", data).status_code == 400


def test_one_persons_typos_do_not_lock_out_the_room_behind_the_same_address(
    client, groups, django_user_model
):
    address = "10.20.30.42"
    data = join_form(client, "ABCDEFG", "Simen", REMOTE_ADDR=address)
    for _ in range(12):
        response = client.post("/delta/", data, REMOTE_ADDR=address)
        data["skjema"] = _token(response)
    # 24 other people at the venue, behind the same public address.
    for n in range(24):
        neighbour = Client()
        response = neighbour.post(
            "/delta/",
            join_form(
                neighbour, groups[1 + n % 5].code, f"Deltaker {n}", REMOTE_ADDR=address
            ),
            REMOTE_ADDR=address,
        )
        assert response.status_code == 302, n


def test_a_script_that_drops_its_cookies_meets_the_address_backoff_not_the_room(
    groups,
):
    from workshops.views import JOIN_PER_ADDRESS

    address = "10.20.30.43"
    for _ in range(JOIN_PER_ADDRESS.threshold):
        JOIN_PER_ADDRESS.record_failure(address)
    bot = Client()
    bot.get("/delta/", REMOTE_ADDR=address)
    response = bot.post(
        "/delta/",
        join_form(bot, "ABCDEFG", "Bot", REMOTE_ADDR=address),
        REMOTE_ADDR=address,
    )
    assert response.status_code == 429
    assert "Mange feil koder har kommet fra dette nettverket" in (
        response.content.decode()
    )
    # The wait is twice the window, and it grows each time the address is over.
    assert 60 < JOIN_PER_ADDRESS.wait(address) <= 120
    person = Client()
    person.get("/delta/", REMOTE_ADDR=address)
    response = person.post(
        "/delta/",
        join_form(person, groups[1].code, "Simen", REMOTE_ADDR=address),
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302  # a right code always gets in


def test_joining_gives_a_new_session_key(client, groups):
    client.get("/delta/")
    before = client.session.session_key
    join(client, groups[1])
    assert client.session.session_key != before


def test_a_regenerated_code_shuts_out_whoever_joined_with_the_old_one(client, groups):
    join(client, groups[1])
    assert client.get(f"/delta/gruppe/{groups[1].pk}/").status_code == 200
    services.group_regenerate_code(group=groups[1])
    assert client.get(f"/delta/gruppe/{groups[1].pk}/").status_code == 404


def test_the_main_menu_links_to_the_join_page(client, workshop):
    html = client.get("/").content.decode()
    assert 'href="/delta/"' in html
