"""«Lagre og lever» asks once: the text is saved, then the group is told that
the answer becomes read-only for all of them (mipr.confirm)."""

import json

import pytest
from django.test import Client

from tests.helpers import confirmation_form, join
from workshops import services
from workshops.models import Answer, WorkshopStatus

pytestmark = pytest.mark.django_db

COMPLETE = [("Boliger for unge", "De flytter ellers"), ("Næring", "Arbeidsplasser")]


@pytest.fixture
def simen(client, groups):
    join(client, groups[1], "Simen")
    return client


def _url(group, number=4):
    return f"/delta/gruppe/{group.pk}/{number}/"


def _form(group, question, texts, action="submit"):
    answer = Answer.objects.filter(group=group, question=question).first()
    content = question.fit_content(answer.content if answer else [])
    data = {
        "version": answer.version if answer else 0,
        "base": json.dumps(content),
        "action": action,
    }
    for index, (text, why) in enumerate(texts):
        data[f"slot-{index}-text"] = text
        data[f"slot-{index}-why"] = why
    return data


def _answer(group, question):
    return Answer.objects.get(group=group, question=question)


def _ask(client, group, question):
    response = client.post(_url(group), _form(group, question, COMPLETE))
    assert response.status_code == 200
    return response.content.decode()


def test_submitting_saves_the_text_and_asks_in_plain_words(simen, groups, questions):
    html = _ask(simen, groups[1], questions[4])
    assert "Levere svaret på spørsmål 4?" in html
    assert "Svaret blir skrivebeskyttet for hele gruppen" in html
    assert "ingen i Gruppe 1 kan endre det etter dette" in html
    assert "Ja, lever svaret" in html
    # Saved while asking, not yet submitted.
    answer = _answer(groups[1], questions[4])
    assert answer.content[0] == {"text": "Boliger for unge", "why": "De flytter ellers"}
    assert not answer.is_submitted
    # Cancel leads back to the answer, which shows the saved text.
    assert f'href="{_url(groups[1])}" data-confirm-cancel' in html
    assert "Boliger for unge" in simen.get(_url(groups[1])).content.decode()


def test_confirming_submits_once_and_a_second_press_changes_nothing(
    simen, groups, questions
):
    form = confirmation_form(_ask(simen, groups[1], questions[4]))
    response = simen.post(_url(groups[1]), form)
    assert response.status_code == 302
    assert response["Location"] == f"/delta/gruppe/{groups[1].pk}/"
    answer = _answer(groups[1], questions[4])
    assert answer.is_submitted and answer.submitted_by == "Simen"
    submitted_at, version = answer.submitted_at, answer.version

    again = simen.post(_url(groups[1]), form, follow=True)
    assert "Svaret var allerede levert av Simen" in again.content.decode()
    assert "Ingenting ble endret" in again.content.decode()
    answer.refresh_from_db()
    assert (answer.submitted_at, answer.version) == (submitted_at, version)


def test_an_edit_by_someone_else_meanwhile_makes_the_confirmation_stale(
    simen, groups, questions
):
    form = confirmation_form(_ask(simen, groups[1], questions[4]))
    answer = _answer(groups[1], questions[4])
    services.answer_save(
        group=groups[1],
        question=questions[4],
        content=[{"text": "Boliger for alle", "why": "Alle"}, answer.content[1]],
        version=answer.version,
        editor="Inger",
    )
    response = simen.post(_url(groups[1]), form, follow=True)
    assert "endret svaret etter at du ble spurt" in response.content.decode()
    answer.refresh_from_db()
    assert not answer.is_submitted
    assert answer.content[0]["text"] == "Boliger for alle"  # Inger's text stays


def test_a_workshop_closed_meanwhile_makes_the_confirmation_stale(
    simen, workshop, groups, questions
):
    form = confirmation_form(_ask(simen, groups[1], questions[4]))
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    response = simen.post(_url(groups[1]), form, follow=True)
    assert "Workshopen ble lukket før du bekreftet" in response.content.decode()
    assert not _answer(groups[1], questions[4]).is_submitted


def test_a_confirmation_for_another_group_is_a_404_and_reveals_nothing(
    simen, groups, questions
):
    inger = Client()
    join(inger, groups[2], "Inger")
    form = confirmation_form(_ask(inger, groups[2], questions[4]))
    response = simen.post(_url(groups[2]), form)
    assert response.status_code == 404
    assert "Boliger for unge" not in response.content.decode()
    assert not _answer(groups[2], questions[4]).is_submitted


def test_an_incomplete_answer_is_saved_and_not_asked_about(simen, groups, questions):
    data = _form(groups[1], questions[4], [("Boliger", "fordi"), ("Næring", "")])
    response = simen.post(_url(groups[1]), data, follow=True)
    html = response.content.decode()
    assert 'id="confirmation"' not in html
    assert "Lagret, men ikke levert: B: begrunnelsen mangler." in html
    assert _answer(groups[1], questions[4]).content[1]["text"] == "Næring"


def test_the_save_button_saves_without_asking(simen, groups, questions):
    data = _form(groups[1], questions[4], COMPLETE, action="save")
    response = simen.post(_url(groups[1]), data)
    assert response.status_code == 302
    answer = _answer(groups[1], questions[4])
    assert answer.content[1]["text"] == "Næring" and not answer.is_submitted


@pytest.mark.parametrize(
    "state", ["", "x" * 5000, "0-open-open", "<script>", "1-submitted-open"]
)
def test_a_forged_confirmation_state_changes_nothing(simen, groups, questions, state):
    form = confirmation_form(_ask(simen, groups[1], questions[4]))
    form["confirmed_state"] = state
    response = simen.post(_url(groups[1]), form, follow=True)
    assert response.status_code == 200
    assert not _answer(groups[1], questions[4]).is_submitted
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_a_huge_submit_is_refused_in_norwegian_and_the_rest_is_kept(
    simen, groups, questions
):
    texts = [("Boliger", "fordi"), ("x" * 6000, "fordi")]
    response = simen.post(_url(groups[1]), _form(groups[1], questions[4], texts))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="confirmation"' not in html
    assert "x" * 6000 in html  # kept in the field
    answer = _answer(groups[1], questions[4])
    assert answer.content[0]["text"] == "Boliger" and not answer.is_submitted


def test_submitting_checks_the_version_asked_about_under_the_row_lock(
    groups, questions
):
    # What the confirmation's state check cannot see: an edit between it and
    # the submission itself.
    group, question = groups[1], questions[4]
    content = [{"text": text, "why": why} for text, why in COMPLETE]
    saved = services.answer_save(
        group=group, question=question, content=content, version=0, editor="Simen"
    ).answer
    content[0]["text"] = "Endret av Inger"
    services.answer_save(
        group=group, question=question, content=content, version=1, editor="Inger"
    )
    with pytest.raises(services.AnswerChanged):
        services.answer_submit(
            group=group, question=question, editor="Simen", version=saved.version
        )
    assert not _answer(group, question).is_submitted
    services.answer_submit(group=group, question=question, editor="Simen", version=2)
    assert _answer(group, question).is_submitted
