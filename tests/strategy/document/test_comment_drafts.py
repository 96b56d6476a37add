"""A refused comment is never lost (strategy/comment_drafts.py): it comes back
in its section with the reason, also after the session expired and the writer
logged in again, until it is sent or thrown away. A form refused for its
security token shows what was typed."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from demo.process import DEMO_PASSWORD
from strategy import comment_drafts, review
from strategy.models import Comment
from tests.strategy.document.helpers import BASE

pytestmark = pytest.mark.django_db

LONG_TEXT = "Kommunene bør samarbeide om beredskap.\n\n" + "Begrunnelse. " * 40


def page_of(response) -> str:
    return response.content.decode()


def expire(client) -> None:
    """The session ends on the server (idle too long), as it does in use."""
    Session.objects.filter(session_key=client.session.session_key).delete()


def test_a_comment_written_while_the_session_expired_waits_after_logging_in(
    versions, as_user
):
    v2 = versions[1]
    section = v2.sections.order_by("order")[3]
    rita = as_user("radsmedlem")
    assert rita.get(f"{BASE}/versjon/2/").status_code == 200
    expire(rita)

    response = rita.post(
        f"{BASE}/versjon/2/kommentar/", {"section": section.pk, "text": LONG_TEXT}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/?next=")
    assert f"%23section-{section.pk}" in response["Location"]
    assert not Comment.objects.filter(section=section).exists()

    # Logging in again leads back to the section, where the text waits.
    response = rita.post(
        response["Location"],
        {"username": "radsmedlem", "password": DEMO_PASSWORD},
    )
    assert response["Location"] == f"{BASE}/versjon/2/#section-{section.pk}"
    html = page_of(rita.get(response["Location"]))
    assert "Kommentaren din er ikke lagret" in html
    assert "Du var logget ut, så kommentaren din er ikke lagret ennå." in html
    block = html.split('id="comment-draft"', 1)[1].split("</form>", 1)[0]
    assert LONG_TEXT.split("\n")[0] in block
    assert f'name="section" value="{section.pk}"' in block
    assert "Send kommentar" in block

    # It stays until it is sent (a reload does not lose it) ...
    assert 'id="comment-draft"' in page_of(rita.get(f"{BASE}/versjon/2/"))
    rita.post(
        f"{BASE}/versjon/2/kommentar/", {"section": section.pk, "text": LONG_TEXT}
    )
    assert Comment.objects.get(section=section).text == LONG_TEXT.strip()
    assert 'id="comment-draft"' not in page_of(rita.get(f"{BASE}/versjon/2/"))


def test_a_reply_keeps_its_thread(versions, people, as_user):
    section = versions[1].sections.first()
    thread = review.comment_add(
        section=section, author=people["sekretariat"], text="Hva mener rådet?"
    )
    rita = as_user("radsmedlem")
    response = rita.post(
        f"{BASE}/versjon/2/kommentar/",
        {"section": section.pk, "parent": thread.pk, "text": "x" * 10_001},
        follow=True,
    )
    html = page_of(response)
    assert "Kommentaren er for lang: maks 10000 tegn." in html
    block = html.split('id="comment-draft"', 1)[1].split("</form>", 1)[0]
    assert f'name="parent" value="{thread.pk}"' in block
    assert "x" * 10_001 in block


def test_a_kept_comment_can_be_thrown_away(versions, as_user):
    section = versions[1].sections.first()
    rita = as_user("radsmedlem")
    url = f"{BASE}/versjon/2/kommentar/"
    rita.post(url, {"section": section.pk, "text": "y" * 10_001})
    assert 'id="comment-draft"' in page_of(rita.get(f"{BASE}/versjon/2/"))
    rita.post(url, {"section": section.pk, "text": "y" * 10_001, "discard": "1"})
    assert 'id="comment-draft"' not in page_of(rita.get(f"{BASE}/versjon/2/"))
    assert not section.comments.exists()


def test_a_comment_on_a_version_replaced_meanwhile_is_kept_to_copy(versions, as_user):
    """Version 1 was replaced by version 2 while the page was open."""
    section = versions[0].sections.first()
    rita = as_user("radsmedlem")
    response = rita.post(
        f"{BASE}/versjon/1/kommentar/",
        {"section": section.pk, "text": "Et sent innspill."},
        follow=True,
    )
    html = page_of(response)
    assert "Versjon 2 har erstattet denne versjonen." in html
    block = html.split('id="comment-draft"', 1)[1].split("</form>", 1)[0]
    assert "readonly>Et sent innspill.</textarea>" in block
    assert "Teksten din, så du kan kopiere den" in block
    assert "Send kommentar" not in block
    assert not section.comments.filter(text="Et sent innspill.").exists()


def test_a_kept_comment_shows_only_on_its_own_version(versions, as_user):
    section = versions[1].sections.first()
    rita = as_user("radsmedlem")
    rita.post(
        f"{BASE}/versjon/2/kommentar/", {"section": section.pk, "text": "z" * 10_001}
    )
    assert 'id="comment-draft"' not in page_of(rita.get(f"{BASE}/versjon/1/"))
    # Nor to anyone else.
    html = page_of(as_user("sekretariat").get(f"{BASE}/versjon/2/"))
    assert 'id="comment-draft"' not in html and "z" * 100 not in html


def test_a_forged_huge_comment_is_kept_only_in_part(versions, as_user):
    section = versions[1].sections.first()
    rita = as_user("radsmedlem")
    huge = "w" * (comment_drafts.KEEP_MAX + 500)
    response = rita.post(
        f"{BASE}/versjon/2/kommentar/", {"section": section.pk, "text": huge}
    )
    assert response.status_code == 302
    kept = rita.session[comment_drafts.SESSION_KEY]
    assert len(kept["text"]) == comment_drafts.KEEP_MAX and kept["truncated"]
    html = page_of(rita.get(f"{BASE}/versjon/2/"))
    assert "Teksten var svært lang; bare begynnelsen er tatt vare på." in html


def test_an_anonymous_comment_tells_nothing_about_what_exists(versions):
    client = Client()
    for url in (
        f"{BASE}/versjon/2/kommentar/",
        f"{BASE}/versjon/99/kommentar/",
        "/strategi/finnes-ikke/versjon/1/kommentar/",
    ):
        response = client.post(url, {"section": 1, "text": "Hei"})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/logg-inn/"), url


def test_a_form_refused_for_its_token_shows_what_was_typed(versions, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["radsmedlem"])
    section = versions[1].sections.first()
    response = client.post(
        f"{BASE}/versjon/2/kommentar/",
        {"section": section.pk, "text": LONG_TEXT},
        HTTP_REFERER=f"http://testserver{BASE}/versjon/2/",
    )
    assert response.status_code == 403
    html = page_of(response)
    assert "Skjemaet er utløpt" in html
    assert "Ingenting ble lagret" in html
    assert "Kommunene bør samarbeide om beredskap." in html
    assert "readonly" in html
    # The text is kept too, and waits in its section.
    assert "Det du skrev, er tatt vare på" in html
    assert f'href="{BASE}/versjon/2/#section-{section.pk}"' in html
    assert not section.comments.exists()
    html = page_of(client.get(f"{BASE}/versjon/2/"))
    assert "Siden hadde stått åpen for lenge" in html
    assert "Kommunene bør samarbeide om beredskap." in html


def test_a_form_from_another_site_is_neither_shown_nor_kept(versions, people):
    """A forged form must not put its words on our pages."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["radsmedlem"])
    section = versions[1].sections.first()
    forged = "Ring 815 00 000 for å bekrefte kontoen din."
    for headers in (
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/side/"},
        {},
    ):
        response = client.post(
            f"{BASE}/versjon/2/kommentar/",
            {"section": section.pk, "text": forged},
            **headers,
        )
        html = page_of(response)
        assert response.status_code == 403
        assert forged not in html and "evil.example" not in html, headers
    assert forged not in page_of(client.get(f"{BASE}/versjon/2/"))


def test_short_values_of_a_refused_form_are_not_shown(versions, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["radsmedlem"])
    response = client.post(
        f"{BASE}/versjon/2/kommentar/",
        {"section": versions[1].sections.first().pk, "text": "ok"},
        HTTP_REFERER=f"http://testserver{BASE}/versjon/2/",
    )
    assert "<textarea" not in page_of(response)
