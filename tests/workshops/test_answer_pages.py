import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.helpers import confirmation_form, join, join_form
from workshops import services
from workshops.models import MAX_TEXT, Answer, WorkshopStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def simen(client, groups):
    join(client, groups[1], "Simen")
    return client


def initial_of(html: str) -> dict:
    found = re.search(
        r'<script id="answer-initial" type="application/json">(.*?)<', html
    )
    return json.loads(found.group(1))


def form_data(version, base, texts, action="save"):
    data = {"version": version, "base": json.dumps(base), "action": action}
    for index, (text, why) in enumerate(texts):
        data[f"slot-{index}-text"] = text
        data[f"slot-{index}-why"] = why
    return data


def autosave(client, group, number, payload, **extra):
    return client.post(
        f"/delta/gruppe/{group.pk}/{number}/autolagring/",
        json.dumps(payload) if not isinstance(payload, str | bytes) else payload,
        content_type="application/json",
        **extra,
    )


def content_of(group, question):
    return Answer.objects.get(group=group, question=question).content


# --- What the page shows ---------------------------------------------------------


def test_the_answer_page_has_the_fields_the_shape_asks_for(simen, groups):
    html = simen.get(f"/delta/gruppe/{groups[1].pk}/1/").content.decode()
    assert "Store samfunnsutfordringer" in html
    for n in (1, 2, 3):
        # The legend once; each field's name says the question, item and text.
        assert html.count(f"Punkt {n}<") == 1
        assert f">Punkt {n}</legend>" in html
        assert f">Spørsmål 1, punkt {n}, tekst</label>" in html
        label = f'<span class="visually-hidden">Spørsmål 1, punkt {n}, </span>Hvorfor?'
        assert label in html
    assert "Lav arbeidsdeltakelse" in html  # group 1's example answer
    html = simen.get(f"/delta/gruppe/{groups[1].pk}/4/").content.decode()
    assert ">Del A</legend>" in html and ">Del B</legend>" in html
    assert html.count("Del A<") == 1
    assert ">Spørsmål 4, del A, tekst</label>" in html
    assert "Hva mener du skal til for at Mosseregionen" in html
    assert html.count("<textarea") == 4


def test_the_group_page_lists_the_questions_with_their_state(simen, groups):
    html = simen.get(f"/delta/gruppe/{groups[1].pk}/").content.decode()
    assert html.count("Påbegynt") == 1
    assert html.count("Ikke påbegynt") == 3


def test_participant_pages_run_a_bounded_number_of_queries(
    simen, groups, django_assert_max_num_queries
):
    # Session, group, questions, answers: the same whatever the text's size.
    with django_assert_max_num_queries(6):
        assert simen.get(f"/delta/gruppe/{groups[1].pk}/").status_code == 200
    with django_assert_max_num_queries(7):
        assert simen.get(f"/delta/gruppe/{groups[1].pk}/1/").status_code == 200


def test_html_in_an_answer_is_shown_as_text(simen, groups, questions, workshop):
    page = simen.get(f"/delta/gruppe/{groups[1].pk}/2/").content.decode()
    initial = initial_of(page)
    script = "<script>alert('x')</script>"
    autosave(
        simen,
        groups[1],
        2,
        {
            "version": initial["version"],
            "base": initial["content"],
            "content": [{"text": script, "why": "<b>fet</b>"}],
        },
    )
    html = simen.get(f"/delta/gruppe/{groups[1].pk}/2/").content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    html = simen.get(f"/delta/gruppe/{groups[1].pk}/2/").content.decode()
    assert script not in html and "&lt;b&gt;fet&lt;/b&gt;" in html


# --- Saving without JavaScript ---------------------------------------------------


def test_the_save_button_saves_without_javascript(simen, groups, questions):
    html = simen.get(f"/delta/gruppe/{groups[3].pk}/1/").content.decode()
    assert html  # group 3 is not Simen's group
    page = simen.get(f"/delta/gruppe/{groups[1].pk}/3/")
    initial = initial_of(page.content.decode())
    response = simen.post(
        f"/delta/gruppe/{groups[1].pk}/3/",
        form_data(0, initial["content"], [("Felles\r\nplan", "fordi"), ("", "")]),
    )
    assert response.status_code == 302
    assert content_of(groups[1], questions[3])[0] == {
        "text": "Felles\nplan",
        "why": "fordi",
    }
    assert "Lagret." in simen.get(response["Location"]).content.decode()


def test_a_form_save_after_someone_elses_shows_both_texts_and_keeps_both(
    simen, groups, questions
):
    url = f"/delta/gruppe/{groups[1].pk}/1/"
    initial = initial_of(simen.get(url).content.decode())
    base = initial["content"]
    ivar = Client()
    join(ivar, groups[1], "Ivar")
    changed = [dict(s) for s in base]
    changed[0]["text"] = "Ivars punkt"
    changed[1]["text"] = "Ivars andre punkt"
    autosave(
        ivar,
        groups[1],
        1,
        {"version": initial["version"], "base": base, "content": changed},
    )
    texts = [(s["text"], s["why"]) for s in base]
    texts[0] = ("Simens punkt", base[0]["why"])
    response = simen.post(url, form_data(initial["version"], base, texts))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen i gruppen endret den samme teksten mens du skrev" in html
    assert "Ivar" in html and "Ivars punkt" in html  # theirs, shown
    assert ">\nSimens punkt</textarea>" in html  # mine, kept in the field
    assert ">\nIvars andre punkt</textarea>" in html  # their other change, merged
    saved = content_of(groups[1], questions[1])
    assert [saved[0]["text"], saved[1]["text"]] == ["Ivars punkt", "Ivars andre punkt"]
    # Saving again keeps Simen's text, knowingly.
    again = initial_of(html)
    texts[1] = ("Ivars andre punkt", base[1]["why"])
    response = simen.post(url, form_data(again["version"], again["content"], texts))
    assert response.status_code == 302
    saved = content_of(groups[1], questions[1])
    assert [saved[0]["text"], saved[1]["text"]] == ["Simens punkt", "Ivars andre punkt"]


def test_over_long_text_is_refused_with_a_message_and_the_rest_is_saved(
    simen, groups, questions
):
    url = f"/delta/gruppe/{groups[1].pk}/2/"
    initial = initial_of(simen.get(url).content.decode())
    long_text = "ø" * (MAX_TEXT + 1)
    response = simen.post(
        url,
        form_data(
            initial["version"], initial["content"], [("Kort", "ok"), (long_text, "")]
        ),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert (
        "Teksten i punkt 2 er for lang: den har 5\xa0001 tegn, og grensen er 5\xa0000."
    ) in html
    assert long_text in html  # kept in the field for the participant to shorten
    assert content_of(groups[1], questions[2])[:2] == [
        {"text": "Kort", "why": "ok"},
        {"text": "", "why": ""},
    ]


def test_save_and_submit_requires_a_complete_answer(simen, groups, questions):
    url = f"/delta/gruppe/{groups[1].pk}/4/"
    initial = initial_of(simen.get(url).content.decode())
    half = form_data(
        initial["version"],
        initial["content"],
        [("Boliger", "fordi"), ("Næring", "")],
        action="submit",
    )
    response = simen.post(url, half, follow=True)
    assert "Lagret, men ikke levert: B: begrunnelsen mangler." in (
        response.content.decode()
    )
    answer = Answer.objects.get(group=groups[1], question=questions[4])
    assert not answer.is_submitted
    full = form_data(
        answer.version,
        answer.content,
        [("Boliger", "fordi"), ("Næring", "fordi")],
        action="submit",
    )
    # It asks once (tests/workshops/test_submit_confirm.py), with the text saved.
    asked = simen.post(url, full)
    assert "skrivebeskyttet for hele gruppen" in asked.content.decode()
    answer.refresh_from_db()
    assert not answer.is_submitted and answer.content[1]["why"] == "fordi"
    response = simen.post(url, confirmation_form(asked.content.decode()), follow=True)
    assert "Svaret er lagret og levert." in response.content.decode()
    answer.refresh_from_db()
    assert answer.is_submitted and answer.submitted_by == "Simen"
    html = simen.get(url).content.decode()
    assert "<textarea" not in html and "Levert kl." in html
    simen.post(url, {"action": "withdraw"})
    answer.refresh_from_db()
    assert not answer.is_submitted


def test_a_stale_or_tampered_form_changes_nothing(simen, groups, questions):
    url = f"/delta/gruppe/{groups[1].pk}/1/"
    before = content_of(groups[1], questions[1])
    for data in [
        {"action": "save"},
        {"version": "x", "action": "save"},
        form_data(99, [], [("Ny", "")]),
    ]:
        response = simen.post(url, data, follow=True)
        assert response.status_code == 200
        assert "Siden er utdatert" in response.content.decode()
    assert content_of(groups[1], questions[1]) == before


# --- Group isolation -------------------------------------------------------------


def test_participant_cannot_read_or_write_another_groups_answers(
    simen, groups, questions
):
    other = groups[2]
    before = content_of(other, questions[1])
    assert simen.get(f"/delta/gruppe/{other.pk}/").status_code == 404
    assert simen.get(f"/delta/gruppe/{other.pk}/1/").status_code == 404
    response = simen.post(
        f"/delta/gruppe/{other.pk}/1/", form_data(1, before, [("Hacket", "")])
    )
    assert response.status_code == 404
    response = autosave(
        simen, other, 1, {"version": 1, "base": before, "content": [{"text": "Hacket"}]}
    )
    assert response.status_code == 404
    assert content_of(other, questions[1]) == before


def test_anonymous_visitors_and_unknown_ids_get_404(client, simen, groups):
    assert client.logout() is None
    anonymous = Client()
    assert anonymous.get(f"/delta/gruppe/{groups[1].pk}/").status_code == 404
    assert anonymous.get(f"/delta/gruppe/{groups[1].pk}/1/").status_code == 404
    assert simen.get(f"/delta/gruppe/{groups[1].pk}/9/").status_code == 404
    assert simen.get("/delta/gruppe/999999/1/").status_code == 404


def test_a_secretariat_login_does_not_open_a_groups_page(client, groups):
    client.force_login(User.objects.get(username="sekretariat"))
    assert client.get(f"/delta/gruppe/{groups[1].pk}/1/").status_code == 404


# --- Autosave endpoint -----------------------------------------------------------


def test_autosave_returns_the_new_version_and_a_saved_time(simen, groups, questions):
    response = autosave(
        simen, groups[1], 3, {"version": 0, "base": None, "content": [{"text": "Ny"}]}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["outcome"] == "saved" and data["version"] == 1
    assert re.fullmatch(r"Lagret \d\d:\d\d", data["saved"])
    assert data["content"][0] == {"text": "Ny", "why": ""}


def test_autosave_reports_a_conflict_with_the_others_text(simen, groups, questions):
    base = content_of(groups[1], questions[1])
    ivar = Client()
    join(ivar, groups[1], "Ivar")
    mine = [dict(s) for s in base]
    mine[2] = {"text": "Ivar", "why": ""}
    assert (
        autosave(
            ivar, groups[1], 1, {"version": 1, "base": base, "content": mine}
        ).status_code
        == 200
    )
    mine[2] = {"text": "Simen", "why": ""}
    data = autosave(
        simen, groups[1], 1, {"version": 1, "base": base, "content": mine}
    ).json()
    assert data["outcome"] == "conflict"
    assert data["conflicts"] == [
        {"index": 2, "label": "3", "theirs": {"text": "Ivar", "why": ""}, "by": "Ivar"}
    ]
    assert content_of(groups[1], questions[1])[2]["text"] == "Ivar"


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", '{"version": 1, "content": "x"}', "", "\x00"],
    ids=["malformed", "list", "wrong-shape", "empty", "nul"],
)
def test_autosave_refuses_malformed_requests_with_a_message(
    simen, groups, questions, body
):
    before = content_of(groups[1], questions[1])
    response = autosave(simen, groups[1], 1, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert content_of(groups[1], questions[1]) == before


def test_autosave_refuses_a_huge_request_without_a_500(simen, groups, questions):
    huge = {"version": 1, "content": [{"text": "x" * 3_000_000}]}
    response = autosave(simen, groups[1], 1, huge)
    assert response.status_code == 400
    assert response.json()["error"] == "Teksten kunne ikke leses."


def test_autosave_in_a_closed_workshop_is_refused_and_keeps_the_text(
    simen, workshop, groups, questions
):
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    response = autosave(simen, groups[1], 1, {"version": 1, "content": []})
    assert response.status_code == 409
    assert response.json() == {
        "error": "Workshopen er lukket. Svarene kan bare leses.",
        "locked": True,
        "state": "closed",
    }
    html = simen.get(f"/delta/gruppe/{groups[1].pk}/1/").content.decode()
    assert "<textarea" not in html
    assert "Lav arbeidsdeltakelse" in html


def test_autosave_needs_post_and_a_csrf_token(groups):
    client = Client(enforce_csrf_checks=True)
    client.get("/delta/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/delta/",
        {
            **join_form(client, groups[1].code),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    url = f"/delta/gruppe/{groups[1].pk}/1/autolagring/"
    assert client.get(url).status_code == 405
    payload = json.dumps({"version": 1, "content": []})
    assert client.post(url, payload, content_type="application/json").status_code == 403
    token = client.cookies["csrftoken"].value
    response = client.post(
        url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200


# --- Found by tests/test_fuzz.py --------------------------------------------------


def test_autosave_refuses_json_nested_thousands_deep_without_a_500(
    simen, groups, questions
):
    before = content_of(groups[1], questions[1])
    response = autosave(simen, groups[1], 1, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json()["error"] == "Teksten kunne ikke leses."
    assert content_of(groups[1], questions[1]) == before


def test_a_form_whose_base_is_nested_thousands_deep_still_saves(
    simen, groups, questions
):
    url = f"/delta/gruppe/{groups[1].pk}/1/"
    initial = initial_of(simen.get(url).content.decode())
    data = form_data(initial["version"], None, [("Nytt punkt", "fordi")])
    data["base"] = "[" * 100_000
    response = simen.post(url, data)
    assert response.status_code == 302
    assert content_of(groups[1], questions[1])[0] == {
        "text": "Nytt punkt",
        "why": "fordi",
    }


def test_a_lone_surrogate_is_refused_in_its_slot_and_the_page_still_shows(
    simen, groups, questions
):
    # JSON may escape half of a UTF-16 pair ("\ud800"): no database column can
    # store it and no page can show it.
    before = content_of(groups[1], questions[1])
    body = (
        '{"version": 1, "content": [{"text": "Nytt punkt", "why": ""}, '
        '{"text": "halvt \\ud800 tegn", "why": ""}]}'
    )
    response = autosave(simen, groups[1], 1, body)
    assert response.status_code == 200
    assert response.json()["errors"] == {
        "1": "2: teksten inneholder tegn som ikke er tillatt."
    }
    saved = content_of(groups[1], questions[1])
    assert saved[0] == {"text": "Nytt punkt", "why": ""}
    assert saved[1] == before[1]
    assert simen.get(f"/delta/gruppe/{groups[1].pk}/1/").status_code == 200
