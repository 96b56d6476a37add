"""The section editor's server side: the live preview's endpoint (who may use
it, what it answers to bad input), the conflict page naming who saved, what
the page gives its script, and the page's queries. The browser side is in
tests/e2e/test_editor.py."""

import datetime
import json
import re
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from strategy import writing
from strategy.markdown import render
from tests.strategy.document.helpers import BASE, PERSONAS, outcome

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@pytest.fixture
def draft_section(versions):
    """A section of version 3, the working draft."""
    return versions[2].sections.get(order=2)


def editor_url(section):
    return f"{BASE}/versjon/{section.version.number}/seksjon/{section.pk}/"


def preview_url(section):
    return editor_url(section) + "forhandsvisning/"


def post_json(client, url, payload, **extra):
    data = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(url, data, content_type="application/json", **extra)


# --- The preview endpoint -------------------------------------------------------


def test_only_the_process_staff_may_preview(draft_section, clients, as_user):
    url = preview_url(draft_section)
    everyone = {**clients, "outsider": as_user("outsider")}
    people = [*PERSONAS, "outsider"]
    actual = {
        person: outcome(post_json(everyone[person], url, {"body": "**Fet**"}))
        for person in people
    }
    assert actual == {
        "anonymous": "login",
        "radsmedlem": 404,
        "arbeidsgruppe": 200,
        "sekretariat": 200,
        "other_secretariat": 404,
        "outsider": 404,
    }


def test_the_preview_takes_only_posts(draft_section, clients):
    assert clients["sekretariat"].get(preview_url(draft_section)).status_code == 405


def test_a_section_under_another_versions_address_is_not_found(versions, clients):
    old = versions[1].sections.first()
    url = f"{BASE}/versjon/3/seksjon/{old.pk}/forhandsvisning/"
    assert post_json(clients["sekretariat"], url, {"body": "x"}).status_code == 404


def test_the_preview_is_the_markdown_as_the_version_page_shows_it(
    draft_section, clients
):
    body = (
        "# Mål\n\nVi vil **styrke** *samarbeidet*:\n\n- Næring\n- Samferdsel\n\n"
        "| Område | Ansvar |\n| --- | --- |\n| Næring | Rådet |\n\n"
        '<script>alert(1)</script>[lenke](javascript:alert(1)) <b onclick="x">b</b>'
    )
    response = post_json(
        clients["arbeidsgruppe"], preview_url(draft_section), {"body": body}
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert html == render(body)
    assert "<h2>Mål</h2>" in html  # a section's own headings start at h2
    assert "<li>Næring</li>" in html and "<th>Område</th>" in html
    assert "<script" not in html and "javascript:" not in html
    assert "onclick" not in html


def test_an_older_versions_editor_still_previews(versions, clients):
    # Its save is refused with the reason; the preview saves nothing.
    old = versions[1].sections.first()
    response = post_json(clients["sekretariat"], preview_url(old), {"body": "*x*"})
    assert response.json() == {"html": "<p><em>x</em></p>"}


def test_text_over_the_limit_is_refused_with_a_message(draft_section, clients):
    body = "a" * (writing.MAX_BODY + 1)
    response = post_json(
        clients["sekretariat"], preview_url(draft_section), {"body": body}
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": "Teksten er for lang: maks 200 000 tegn (den har 200001)."
    }
    # At the limit it is shown.
    body = "a" * writing.MAX_BODY
    response = post_json(
        clients["sekretariat"], preview_url(draft_section), {"body": body}
    )
    assert response.status_code == 200


def test_a_request_too_big_to_read_is_refused_with_a_message(
    draft_section, clients, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_json(
        clients["sekretariat"], preview_url(draft_section), {"body": "a" * 2000}
    )
    assert response.status_code == 413
    assert response.json() == {"error": "Teksten er for lang: maks 200 000 tegn."}


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [
        ("", 400, "Teksten kunne ikke leses."),
        ("{not json", 400, "Teksten kunne ikke leses."),
        (b"\xff\xfe\xfa", 400, "Teksten kunne ikke leses."),
        ("[" * 100_000, 400, "Teksten kunne ikke leses."),
        ("1" * 5000, 400, "Teksten kunne ikke leses."),
        (["a list"], 400, "Teksten kunne ikke leses."),
        ({"text": "the wrong name"}, 400, "Teksten kunne ikke leses."),
        ({"body": None}, 400, "Teksten kunne ikke leses."),
        ({"body": ["a"]}, 400, "Teksten kunne ikke leses."),
        (
            {"body": "- " * 3000 + "x"},
            400,
            "Teksten har lister eller sitater i for mange nivåer til å kunne vises.",
        ),
    ],
    ids=[
        "empty",
        "not json",
        "not utf-8",
        "nested json",
        "huge number",
        "a list",
        "no body",
        "null body",
        "list body",
        "nested lists",
    ],
)
def test_bad_input_gets_a_message_never_a_crash(
    draft_section, clients, payload, status, error
):
    response = post_json(clients["sekretariat"], preview_url(draft_section), payload)
    assert (response.status_code, response.json()) == (status, {"error": error})


def test_odd_but_valid_text_is_previewed(draft_section, clients):
    for body in ("", "\x00", "\r\n\r\n- a\r\n- b", "> " * 50 + "dypt", "😀" * 100):
        response = post_json(
            clients["sekretariat"], preview_url(draft_section), {"body": body}
        )
        assert response.status_code == 200, body
        assert response.json()["html"] == render(body)


def test_the_preview_needs_the_csrf_token(draft_section, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["sekretariat"])
    client.get(editor_url(draft_section))  # sets the CSRF cookie
    url = preview_url(draft_section)
    assert post_json(client, url, {"body": "x"}).status_code == 403
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = post_json(client, url, {"body": "x"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


# --- The editor page ------------------------------------------------------------


def test_the_editor_page_gives_its_script_what_it_needs(draft_section, clients):
    writing.section_save(
        section=draft_section,
        heading=draft_section.heading,
        body="Ny tekst.",
        revision=draft_section.revision,
        by=_user("sekretariat"),
    )
    response = clients["sekretariat"].get(editor_url(draft_section))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-preview-url="{preview_url(draft_section)}"' in html
    assert f'data-section="{draft_section.pk}"' in html
    user = _user("sekretariat")
    assert f'data-storage-prefix="mipr:draft:{user.pk}:section:"' in html
    # Revision 1 is the text version 3 started with, copied by Sara.
    assert f'data-your-saves="{draft_section.revision + 1} 1"' in html
    # The toolbar is there for the script to show, hidden without it.
    assert re.search(r'<div id="editor-toolbar"[^>]* role="toolbar"[^>]* hidden>', html)
    assert 'aria-label="Formatering"' in html
    for label in ("Overskrift", "Fet", "Kursiv", "Punktliste", "Nummerert liste"):
        assert f">{label}<" in html
    # The form shows what is saved: no separate copy of the saved text.
    assert 'id="editor-saved"' not in html
    # Another user's saves are not theirs.
    other = clients["arbeidsgruppe"].get(editor_url(draft_section)).content.decode()
    assert 'data-your-saves=""' in other


def test_a_plain_preview_shows_below_the_text_and_keeps_it(draft_section, clients):
    """Without the script, «Forhåndsvis» posts the form, as it always did."""
    text = "Vi vil:\n\n- Næring\n- Samferdsel"
    response = clients["sekretariat"].post(
        editor_url(draft_section),
        {
            "heading": draft_section.heading,
            "body": text,
            "revision": draft_section.revision,
            "preview": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    preview = html.split('id="editor-preview"', 1)[1].split("</section>", 1)[0]
    assert " hidden" not in preview.split(">", 1)[0]
    assert "<li>Næring</li>" in preview
    # The text is not saved: the page says what is, for the script.
    saved = json.loads(
        html.split('id="editor-saved" type="application/json">', 1)[1].split("<", 1)[0]
    )
    assert saved == {"heading": draft_section.heading, "body": draft_section.body}
    draft_section.refresh_from_db()
    assert draft_section.body != text


def test_the_editor_page_runs_a_bounded_number_of_queries(
    draft_section, clients, django_assert_max_num_queries
):
    client = clients["arbeidsgruppe"]
    url = editor_url(draft_section)
    client.get(url)  # the first request fills caches (content types, …)
    # Session, user, membership with its process, version, section, "is it
    # the newest version", this user's saves, and the findings and sources
    # (the choices and the cited ones): eleven, however many findings,
    # sources and revisions the section has.
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200


# --- The conflict page ----------------------------------------------------------


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _save_form(client, section, body, revision):
    return client.post(
        editor_url(section),
        {"heading": section.heading, "body": body, "revision": revision, "save": ""},
    )


def test_the_conflict_page_names_who_saved_and_when(draft_section, clients):
    start = draft_section.revision
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 42, tzinfo=OSLO)):
        writing.section_save(
            section=draft_section,
            heading=draft_section.heading,
            body="Arnes tekst.",
            revision=start,
            by=_user("arbeidsgruppe"),
        )
    with time_machine.travel(datetime.datetime(2026, 11, 27, 11, 5, tzinfo=OSLO)):
        response = _save_form(
            clients["sekretariat"], draft_section, "Saras tekst.", start
        )
    assert response.status_code == 409
    assert response.context["conflict"] == [
        ("Lagret av", "Arne Arbeidsgruppe kl. 10:42"),
        ("Overskrift", draft_section.heading),
    ]
    html = response.content.decode()
    assert "Noen andre lagret denne delen mens du redigerte" in html
    assert "Arne Arbeidsgruppe kl. 10:42" in html
    # The writer's text stays in the form, and the page says what is saved.
    assert "Saras tekst." in html.split('name="body"', 1)[1].split("</textarea>", 1)[0]
    saved = json.loads(
        html.split('id="editor-saved" type="application/json">', 1)[1].split("<", 1)[0]
    )
    assert saved["body"] == "Arnes tekst."


def test_the_conflict_page_says_when_it_was_oneself_in_another_tab(
    draft_section, clients
):
    start = draft_section.revision
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 7, tzinfo=OSLO)):
        writing.section_save(
            section=draft_section,
            heading=draft_section.heading,
            body="Fra den første fanen.",
            revision=start,
            by=_user("sekretariat"),
        )
        response = _save_form(
            clients["sekretariat"], draft_section, "Fra den andre fanen.", start
        )
    assert response.status_code == 409
    assert response.context["conflict"][0] == (
        "Lagret av",
        "deg selv, i en annen fane, kl. 09:07",
    )
    html = response.content.decode()
    assert "Du lagret denne delen i en annen fane mens du redigerte her" in html
    assert "Noen andre lagret" not in html


def test_a_save_on_an_earlier_day_gives_the_date(draft_section, clients):
    start = draft_section.revision
    with time_machine.travel(datetime.datetime(2026, 11, 26, 16, 30, tzinfo=OSLO)):
        writing.section_save(
            section=draft_section,
            heading=draft_section.heading,
            body="I går.",
            revision=start,
            by=_user("arbeidsgruppe"),
        )
    with time_machine.travel(datetime.datetime(2026, 11, 27, 8, 0, tzinfo=OSLO)):
        response = _save_form(clients["sekretariat"], draft_section, "I dag.", start)
        mine = _save_form(clients["arbeidsgruppe"], draft_section, "Også i dag.", start)
    assert response.context["conflict"][0] == (
        "Lagret av",
        "Arne Arbeidsgruppe 26.11.2026 kl. 16:30",
    )
    assert mine.context["conflict"][0] == (
        "Lagret av",
        "deg selv, i en annen fane, 26.11.2026 kl. 16:30",
    )


def test_a_save_by_a_deleted_user_is_named_as_such(draft_section, clients, people):
    start = draft_section.revision
    writing.section_save(
        section=draft_section,
        heading=draft_section.heading,
        body="Skrevet av noen som har sluttet.",
        revision=start,
        by=people["outsider"],
    )
    people["outsider"].delete()
    response = _save_form(clients["sekretariat"], draft_section, "Ny.", start)
    assert response.status_code == 409
    assert response.context["conflict"][0][1].startswith("en tidligere bruker kl. ")
