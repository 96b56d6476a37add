"""The answer page's heartbeat: who is here, newer text, may the page still save.

Also the shut-out paths it shares with the autosave and the plain form: a
closed workshop, a submitted answer, a regenerated group code.
"""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.helpers import join, require
from workshops import presence, services
from workshops.models import Answer, WorkshopStatus

pytestmark = pytest.mark.django_db


def beat(client, group, number=1, payload=None, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload or {})
    return client.post(
        f"/delta/gruppe/{group.pk}/{number}/puls/",
        body,
        content_type="application/json",
        **extra,
    )


def autosave(client, group, number, payload):
    return client.post(
        f"/delta/gruppe/{group.pk}/{number}/autolagring/",
        json.dumps(payload),
        content_type="application/json",
    )


@pytest.fixture
def simen(groups):
    client = Client()
    join(client, groups[1], "Simen")
    return client


@pytest.fixture
def inger(groups):
    client = Client()
    join(client, groups[1], "Inger")
    return client


@pytest.fixture
def kari(groups):
    """A participant of group 2."""
    client = Client()
    join(client, groups[2], "Kari")
    return client


# --- The allowed participant ----------------------------------------------------


def test_a_beat_says_who_else_is_in_the_group_and_where_they_write(
    simen, inger, groups
):
    assert beat(inger, groups[1], 1, {"version": 0, "slot": 1}).status_code == 200
    reply = beat(simen, groups[1], 1, {"version": 0, "slot": None}).json()
    assert reply["state"] == "open"
    assert reply["present"] == ["Inger skriver i punkt 2"]
    # Inger sees Simen, never herself.
    assert beat(inger, groups[1], 1, {"slot": 1}).json()["present"] == [
        "Simen leser dette spørsmålet"
    ]


def test_a_beat_on_another_question_is_described_as_such(simen, inger, groups):
    beat(inger, groups[1], 4, {"slot": 0})
    assert beat(simen, groups[1], 1, {}).json()["present"] == ["Inger er på spørsmål 4"]
    # On question 4 itself, the slot is a part.
    beat(simen, groups[1], 4, {})
    assert beat(simen, groups[1], 4, {}).json()["present"] == ["Inger skriver i del A"]


def test_a_page_that_stopped_beating_drops_out(simen, inger, groups):
    beat(inger, groups[1], 1, {"slot": 0})
    from django.core.cache import cache

    cache.delete(
        f"presence:{groups[1].pk}:{presence.visitor_id(inger.session.session_key)}"
    )
    assert beat(simen, groups[1], 1, {}).json()["present"] == []


def test_the_answer_page_shows_who_is_here_from_the_first_view(simen, inger, groups):
    beat(inger, groups[1], 1, {"slot": 2})
    html = simen.get(f"/delta/gruppe/{groups[1].pk}/1/").content.decode()
    assert "Inger skriver i punkt 3" in html


def test_a_beat_with_an_old_version_gets_the_newer_text(simen, inger, groups):
    html = simen.get(f"/delta/gruppe/{groups[1].pk}/2/").content.decode()
    assert "answer-initial" in html
    saved = autosave(
        inger,
        groups[1],
        2,
        {"version": 0, "base": None, "content": [{"text": "Ingers punkt", "why": ""}]},
    ).json()
    reply = beat(simen, groups[1], 2, {"version": 0}).json()
    assert reply["version"] == saved["version"]
    assert reply["content"][0]["text"] == "Ingers punkt"
    assert reply["by"] == "Inger"
    # Up to date: the text is not sent again.
    again = beat(simen, groups[1], 2, {"version": saved["version"]}).json()
    assert "content" not in again and again["version"] == saved["version"]


def test_an_autosave_counts_as_a_beat(simen, inger, groups):
    autosave(
        inger,
        groups[1],
        2,
        {"version": 0, "content": [{"text": "x", "why": ""}], "slot": 0},
    )
    assert beat(simen, groups[1], 2, {}).json()["present"] == [
        "Inger skriver i punkt 1"
    ]


def test_a_beat_runs_a_bounded_number_of_queries(
    simen, groups, django_assert_max_num_queries
):
    # Session, group with workshop, question, answer (and at most one session
    # touch): the same however many are in the group. Presence is in the cache.
    with django_assert_max_num_queries(5):
        assert beat(simen, groups[1], 1, {"version": 0}).status_code == 200


# --- Others ------------------------------------------------------------------------


def test_another_groups_participant_gets_403_and_learns_nothing(kari, simen, groups):
    beat(simen, groups[1], 1, {"slot": 0})
    response = beat(kari, groups[1], 1, {"version": 0})
    assert response.status_code == 403
    assert response.json() == {"state": "denied"}
    # The same for a group that does not exist and a question that does not.
    assert beat(kari, groups[1], 99, {}).json() == {"state": "denied"}
    missing = type(groups[1])(pk=999999)
    assert beat(kari, missing, 1, {}).json() == {"state": "denied"}
    # And Simen does not see Kari.
    assert beat(simen, groups[1], 1, {}).json()["present"] == []


def test_an_anonymous_beat_is_refused(client, groups):
    response = beat(client, groups[1], 1, {"version": 0})
    assert response.status_code == 403
    assert response.json() == {"state": "denied"}


def test_a_get_is_not_a_beat(simen, groups):
    assert simen.get(f"/delta/gruppe/{groups[1].pk}/1/puls/").status_code == 405


def test_a_beat_needs_the_csrf_token(simen, groups):
    client = Client(enforce_csrf_checks=True)
    client.cookies = simen.cookies
    response = beat(client, groups[1], 1, {})
    assert response.status_code == 403
    assert "present" not in response.content.decode()


# --- Shut out ------------------------------------------------------------------------


def test_after_a_new_code_the_beat_says_the_code_changed(simen, groups):
    services.group_regenerate_code(group=groups[1])
    response = beat(simen, groups[1], 1, {"version": 0})
    assert response.status_code == 403
    reply = response.json()
    assert reply["state"] == "code-changed"
    assert "Koden til gruppen er byttet" in reply["error"]
    assert "present" not in reply and "content" not in reply


def test_after_a_new_code_the_autosave_refuses_and_says_why(simen, groups):
    services.group_regenerate_code(group=groups[1])
    response = autosave(
        simen, groups[1], 2, {"version": 0, "content": [{"text": "x", "why": ""}]}
    )
    assert response.status_code == 403
    assert response.json()["state"] == "code-changed"
    assert response.json()["locked"] is True
    assert not Answer.objects.filter(group=groups[1], question__number=2).exists()


def test_when_the_workshop_closes_the_beat_says_so(simen, groups, workshop):
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    reply = beat(simen, groups[1], 1, {"version": 0}).json()
    assert reply["state"] == "closed"
    assert reply["error"].startswith("Workshopen er lukket")


def test_a_refused_autosave_says_whether_closed_or_submitted(simen, groups, workshop):
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    reply = autosave(simen, groups[1], 2, {"version": 0, "content": []})
    assert reply.status_code == 409
    assert reply.json()["state"] == "closed"


def test_a_submitted_answer_locks_the_other_pages(simen, inger, groups, questions):
    question = questions[1]
    answer = Answer.objects.get(group=groups[1], question=question)
    services.answer_submit(group=groups[1], question=question, editor="Inger")
    assert (
        beat(simen, groups[1], 1, {"version": answer.version}).json()["state"]
        == "submitted"
    )
    reply = autosave(simen, groups[1], 1, {"version": answer.version, "content": []})
    assert reply.json()["state"] == "submitted"


def test_without_javascript_a_save_after_closing_gives_the_text_back(
    simen, groups, workshop
):
    page = simen.get(f"/delta/gruppe/{groups[1].pk}/2/").content.decode()
    assert 'name="version"' in page
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    response = simen.post(
        f"/delta/gruppe/{groups[1].pk}/2/",
        {
            "version": 0,
            "base": "",
            "action": "save",
            "slot-0-text": "Min tekst som ikke kom med",
            "slot-0-why": "Fordi <b>",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html and "Workshopen er lukket" in html
    assert "Min tekst som ikke kom med" in html
    assert "Fordi &lt;b&gt;" in html  # escaped, never markup
    assert "Spørsmål 2, punkt 1, tekst" in html  # under its label
    assert f'href="/delta/gruppe/{groups[1].pk}/2/"' in html


def test_without_javascript_a_save_after_a_new_code_gives_the_text_back(simen, groups):
    services.group_regenerate_code(group=groups[1])
    response = simen.post(
        f"/delta/gruppe/{groups[1].pk}/2/",
        {"version": 0, "base": "", "action": "submit", "slot-0-text": "Behold meg"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Koden til gruppen er byttet" in html
    assert 'href="/delta/"' in html
    assert "Behold meg" in html
    # The group's own text is not shown to someone shut out.
    assert "Lav arbeidsdeltakelse" not in html
    assert groups[1].code not in html


def test_a_page_view_after_a_new_code_is_still_a_404(simen, groups):
    services.group_regenerate_code(group=groups[1])
    assert simen.get(f"/delta/gruppe/{groups[1].pk}/1/").status_code == 404


# --- Bad input ------------------------------------------------------------------------


def test_thousands_of_beats_from_one_session_are_slowed_and_the_room_is_not(
    simen, inger, groups
):
    statuses = [beat(simen, groups[1], 1, {}).status_code for _ in range(40)]
    assert statuses[:30] == [200] * 30
    limited = beat(simen, groups[1], 1, {})
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another participant of the same group, behind the same address, beats on.
    assert beat(inger, groups[1], 1, {}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"[]", b"null", b'"x"', b"[" * 5000, b'{"version": "x"}'],
)
def test_a_malformed_beat_gets_400_or_is_read_as_empty(simen, groups, body):
    response = beat(simen, groups[1], 1, body)
    assert response.status_code in (200, 400)
    response.json()


def test_odd_slots_and_versions_are_ignored(simen, inger, groups):
    for slot in (-1, 99, True, "1", 1.5, None, [1]):
        response = beat(inger, groups[1], 1, {"slot": slot, "version": slot})
        assert response.status_code == 200
        assert beat(simen, groups[1], 1, {}).json()["present"] == [
            "Inger leser dette spørsmålet"
        ]


def test_a_huge_beat_is_refused_without_an_error_page(simen, groups):
    body = json.dumps({"version": 0, "pad": "x" * (3 * 1024 * 1024)})
    response = beat(simen, groups[1], 1, body)
    assert response.status_code == 400


def test_a_megabyte_pasted_into_an_item_is_refused_and_the_rest_is_saved(simen, groups):
    huge = "Lim inn " * (1024 * 1024 // 8)
    response = autosave(
        simen,
        groups[1],
        2,
        {"version": 0, "content": [{"text": huge, "why": "kort grunn"}]},
    )
    assert response.status_code == 200
    reply = response.json()
    assert "0" in reply["errors"] and "grensen er 5\xa0000" in reply["errors"]["0"]
    assert reply["content"][0]["text"] == ""


# --- Concurrency --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_beats_during_concurrent_saves_never_report_a_version_without_its_text(
    workshop,
):
    """Two participants save different items while a third beats: every beat's
    text belongs to the version it reports, and both items end up saved."""
    require(
        connection.vendor == "postgresql",
        "row locks need PostgreSQL (set DATABASE_URL)",
    )
    group = workshop.groups.get(number=3)
    clients = {}
    for name in ("Anne", "Bo", "Cato"):
        clients[name] = Client()
        join(clients[name], group, name)
    errors = []

    def writer(name, slot):
        version, base = 0, None
        for revision in range(8):
            content = [dict(entry) for entry in (base or [{}, {}, {}])]
            content = [
                {"text": e.get("text", ""), "why": e.get("why", "")} for e in content
            ]
            content[slot] = {"text": f"{name} {revision}", "why": ""}
            reply = autosave(
                clients[name],
                group,
                1,
                {"version": version, "base": base, "content": content},
            )
            if reply.status_code != 200:
                errors.append(reply.status_code)
                return
            data = reply.json()
            version, base = data["version"], data["content"]
        connection.close()

    seen = {}

    def watcher():
        for _round in range(16):
            data = beat(clients["Cato"], group, 1, {"version": 0}).json()
            if "content" in data:
                seen.setdefault(data["version"], data["content"])
                assert seen[data["version"]] == data["content"]
        connection.close()

    threads = [
        threading.Thread(target=writer, args=("Anne", 0)),
        threading.Thread(target=writer, args=("Bo", 1)),
        threading.Thread(target=watcher),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    question = workshop.questions.get(number=1)
    final = question.fit_content(
        Answer.objects.get(group=group, question=question).content
    )
    assert final[0]["text"] == "Anne 7" and final[1]["text"] == "Bo 7"
