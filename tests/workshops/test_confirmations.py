"""Closing a workshop, a group's new code and deleting a question or a group ask
first (mipr.confirm): what they will do, in plain Norwegian; a double click or
a stale page does nothing more."""

import re

import pytest

from tests.helpers import confirmation_form, join
from workshops import services
from workshops.models import Group, Question, WorkshopStatus

pytestmark = pytest.mark.django_db

YES = {"confirmed": "1"}


def test_closing_says_what_happens_and_waits_for_the_yes(as_user, workshop, groups):
    services.answer_save(
        group=groups[2],
        question=workshop.questions.get(number=2),
        content=[{"text": "Et påbegynt svar"}],
        version=0,
        editor="Inger",
    )
    sara = as_user("sekretariat")
    url = f"/workshop/{workshop.pk}/status/"
    response = sara.post(url, {"status": "closed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Lukke «{workshop.title}»?" in html
    assert "Gruppene kan ikke lenger skrive eller levere svar." in html
    # The demo's three example answers are started, not submitted; and Inger's.
    assert "4 svar er påbegynt, men ikke levert." in html
    assert "Ja, lukk workshopen" in html
    workshop.refresh_from_db()
    assert workshop.is_open  # only asked

    fields = confirmation_form(html)
    assert fields == {"status": "closed", "confirmed": "1", "confirmed_state": "open"}
    response = sara.post(url, fields, follow=True)
    assert "Workshopen er nå lukket." in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.is_closed
    closed_at = workshop.closed_at

    # Pressed twice: nothing more happens, and the page says why.
    response = sara.post(url, fields, follow=True)
    assert "Workshopen er allerede lukket. Ingenting ble endret." in (
        response.content.decode()
    )
    workshop.refresh_from_db()
    assert workshop.closed_at == closed_at


def test_opening_needs_no_confirmation(as_user, workshop):
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    as_user("sekretariat").post(f"/workshop/{workshop.pk}/status/", {"status": "open"})
    workshop.refresh_from_db()
    assert workshop.is_open


def test_closing_from_a_stale_page_changes_nothing(as_user, workshop):
    """Someone else closed and reopened it meanwhile: the page's state is old."""
    sara = as_user("sekretariat")
    url = f"/workshop/{workshop.pk}/status/"
    response = sara.post(
        url, {"status": "closed", **YES, "confirmed_state": "draft"}, follow=True
    )
    assert "Dette ble endret etter at du åpnet siden" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.is_open


def test_a_new_code_names_the_group_and_the_old_code(as_user, client, groups):
    group = groups[3]
    old = group.code
    join(client, group)  # a participant inside the group
    sara = as_user("sekretariat")
    url = f"/workshop/{group.workshop_id}/gruppe/{group.pk}/ny-kode/"
    html = sara.post(url).content.decode()
    assert "Gi Gruppe 3 ny kode?" in html
    assert (
        f"Gruppe 3 mister tilgangen og må bruke den nye koden. Koden {old} slutter "
        "å virke med en gang."
    ) in html
    assert "Workshopen er åpen: de som skriver i gruppen nå, blir stengt ute" in html
    fields = confirmation_form(html)
    assert old not in fields["confirmed_state"]  # a fingerprint, not the code
    group.refresh_from_db()
    assert group.code == old
    assert client.get(f"/delta/gruppe/{group.pk}/").status_code == 200

    sara.post(url, fields)
    group.refresh_from_db()
    new = group.code
    assert new != old
    assert client.get(f"/delta/gruppe/{group.pk}/").status_code != 200

    # A double click: no third code, and the message gives the new one.
    response = sara.post(url, fields, follow=True)
    assert f"Gruppe 3 har allerede fått ny kode: {new}." in response.content.decode()
    group.refresh_from_db()
    assert group.code == new


def test_deleting_an_unanswered_question_asks_and_an_answered_one_says_no(
    as_user, workshop
):
    sara = as_user("sekretariat")
    empty = workshop.questions.get(number=3)
    url = f"/workshop/{workshop.pk}/sporsmal/{empty.pk}/slett/"
    html = sara.post(url).content.decode()
    assert f"Slette spørsmål 3, «{empty.title}»?" in html
    assert "Dette kan ikke angres." in html
    assert Question.objects.filter(pk=empty.pk).exists()
    sara.post(url, confirmation_form(html))
    assert not Question.objects.filter(pk=empty.pk).exists()
    # Pressed twice: it is gone already, which the page says (no 404).
    response = sara.post(url, YES, follow=True)
    assert response.status_code == 200
    assert "Spørsmålet er slettet." in response.content.decode()

    answered = workshop.questions.get(number=1)
    url = f"/workshop/{workshop.pk}/sporsmal/{answered.pk}/slett/"
    response = sara.post(url)
    html = response.content.decode()
    assert "Grupper har svart på dette spørsmålet, så det kan ikke slettes." in html
    assert "Ja, slett spørsmålet" not in html
    # Confirmed anyway (a forged or old form): refused, with the reason.
    response = sara.post(url, YES)
    assert response.status_code == 403
    assert Question.objects.filter(pk=answered.pk).exists()


def test_deleting_a_group_asks_first(as_user, workshop, groups):
    sara = as_user("sekretariat")
    group = groups[5]
    url = f"/workshop/{workshop.pk}/gruppe/{group.pk}/slett/"
    html = sara.post(url).content.decode()
    assert "Slette Gruppe 5?" in html
    assert f"Koden {group.code} slutter å virke" in html
    assert Group.objects.filter(pk=group.pk).exists()
    sara.post(url, confirmation_form(html))
    assert not Group.objects.filter(pk=group.pk).exists()


def test_a_missing_question_without_confirmation_is_not_found(as_user, workshop):
    response = as_user("sekretariat").post(
        f"/workshop/{workshop.pk}/sporsmal/999999/slett/"
    )
    assert response.status_code == 404


def test_the_close_button_is_last_in_its_row_and_not_filled(as_user, workshop):
    html = as_user("sekretariat").get(f"/workshop/{workshop.pk}/").content.decode()
    row = html.split('<div class="d-flex flex-wrap gap-2 mb-4">', 1)[1].split(
        "</div>", 1
    )[0]
    buttons = re.findall(r'class="btn ([^"]+)"[^>]*>([^<]+)<', row)
    assert buttons[-1] == ("btn-outline-danger", "Lukk workshopen")
    assert "btn-danger" not in row
    assert re.search(r'action="/workshop/\d+/status/"[^>]*data-confirm', row)


def test_only_the_secretariat_is_asked(people, as_user, workshop, groups):
    for persona in ("arbeidsgruppe", "radsmedlem", "other_secretariat"):
        for url in (
            f"/workshop/{workshop.pk}/status/",
            f"/workshop/{workshop.pk}/gruppe/{groups[1].pk}/ny-kode/",
        ):
            response = as_user(persona).post(url, {"status": "closed"})
            assert response.status_code == 404, (persona, url)
