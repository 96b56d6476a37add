"""A long comment is never lost (issue 17): not when the session expires while
it is written (expired on the server here), not on a reload, not when the
same person logs in again in another tab."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
BASE = f"/strategi/{SLUG}"
MEASURES = "Tiltak: samarbeid med næringslivet"
SHOTS = "var/screenshots"
LONG = (
    "Næringsforumet bør ha et fast sekretariat.\n\n"
    "Begrunnelse: " + "Forumet har i dag ingen som følger opp mellom møtene. " * 12
)


@pytest.fixture
def demo_strategy(mipr_plan):
    from demo import document, evidence, workshop

    workshop.load(mipr_plan)
    evidence.load(mipr_plan)
    return document.load_strategy(mipr_plan)


def _block(page):
    return page.locator("section.strategy-section").filter(
        has=page.get_by_role(
            "heading", level=2, name=re.compile(rf"^\d+\. {re.escape(MEASURES)}$")
        )
    )


def _box(page, *, open_it=True):
    """The section's comment field; its form is folded behind «Kommenter
    denne delen», which is clicked open unless it already is."""
    folded = _block(page).locator("details.comment-new")
    if open_it and not folded.evaluate("details => details.open"):
        folded.locator("summary").click()
    return _block(page).get_by_label(f"Kommenter «{MEASURES}»")


def _expire_sessions():
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_comment_written_while_the_session_expired_comes_back(
    demo_strategy, new_page, width
):
    from strategy.models import Comment

    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, "radsmedlem")
    page.goto(f"{BASE}/versjon/2/")
    _box(page).fill(LONG)
    _expire_sessions()  # idle too long: the server forgot the session
    _block(page).get_by_role("button", name="Send kommentar").click()

    page.wait_for_url("**/logg-inn/**")
    expect(page.get_by_text("Du var logget ut. Logg inn igjen")).to_be_visible()
    page.get_by_label("Brukernavn").fill("radsmedlem")
    page.get_by_label("Passord").fill("mipr-demo")
    page.get_by_role("button", name="Logg inn").click()

    page.wait_for_url(re.compile(rf".*{BASE}/versjon/2/#section-\d+$"))
    kept = page.get_by_role("region", name="Kommentaren din er ikke lagret")
    expect(kept).to_be_visible()
    expect(kept).to_contain_text("Du var logget ut")
    expect(kept.get_by_label("Teksten din, klar til å sendes på nytt")).to_have_value(
        LONG.strip()
    )
    scan_accessibility(page)
    page.screenshot(path=f"{SHOTS}/comment-kept-{width}.png")
    assert not Comment.objects.filter(text=LONG.strip()).exists()

    kept.get_by_role("button", name="Send kommentar").click()
    expect(page.get_by_text("Kommentaren din er lagret.")).to_be_visible()
    assert Comment.objects.filter(text=LONG.strip()).count() == 1
    expect(
        page.get_by_role("region", name="Kommentaren din er ikke lagret")
    ).to_have_count(0)


def test_what_is_typed_survives_a_reload_until_it_is_sent(
    demo_strategy, new_page, sign_in
):
    page = sign_in(new_page(viewport={"width": 1280, "height": 900}), "radsmedlem")
    page.goto(f"{BASE}/versjon/2/")
    _box(page).fill(LONG)
    page.wait_for_timeout(500)  # the copy is written a moment after typing
    page.reload()
    # The folded form opens by itself to show the text that came back.
    expect(_box(page, open_it=False)).to_have_value(LONG)
    expect(_box(page, open_it=False)).to_be_visible()
    expect(
        _block(page).get_by_text("Teksten du skrev sist, er hentet tilbake.")
    ).to_be_visible()

    _block(page).get_by_role("button", name="Send kommentar").click()
    expect(page.get_by_text("Kommentaren din er lagret.")).to_be_visible()
    page.reload()
    expect(_box(page)).to_have_value("")  # saved: the copy is gone


def test_another_person_at_the_same_browser_gets_no_copy(
    demo_strategy, new_page, sign_in
):
    page = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, "radsmedlem")
    page.goto(f"{BASE}/versjon/2/")
    _box(page).fill("Et utkast Rita ikke sendte.")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Logg ut").click()
    log_in(page, "arbeidsgruppe")
    page.goto(f"{BASE}/versjon/2/")
    expect(_box(page)).to_have_value("")
    keys = page.evaluate("Object.keys(window.localStorage)")
    assert not [k for k in keys if k.startswith("mipr:draft:")]


def test_two_tabs_logging_in_again_in_one_keeps_the_text_in_the_other(
    demo_strategy, new_page
):
    from strategy.models import Comment

    first = new_page(viewport={"width": 1280, "height": 900})
    log_in(first, "radsmedlem")
    first.goto(f"{BASE}/versjon/2/")
    _box(first).fill(LONG)
    first.wait_for_timeout(500)

    # The same person, another tab: logs out and in again (a new session and
    # a new form token).
    second = first.context.new_page()
    second.goto("/")
    second.get_by_role("button", name="Logg ut").click()
    log_in(second, "radsmedlem")

    _block(first).get_by_role("button", name="Send kommentar").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Skjemaet er utløpt")
    expect(first.get_by_label("Det du skrev (1)")).to_have_value(LONG)
    assert not Comment.objects.filter(text=LONG.strip()).exists()

    expect(first.get_by_text("Det du skrev, er tatt vare på")).to_be_visible()
    first.get_by_role("link", name="Tilbake til siden").click()
    first.wait_for_url(re.compile(rf".*{BASE}/versjon/2/#section-\d+$"))
    kept = first.get_by_role("region", name="Kommentaren din er ikke lagret")
    expect(kept).to_contain_text("Siden hadde stått åpen for lenge")
    expect(kept.get_by_role("textbox")).to_have_value(LONG.strip())
    kept.get_by_role("button", name="Send kommentar").click()
    expect(first.get_by_text("Kommentaren din er lagret.")).to_be_visible()
    assert Comment.objects.filter(text=LONG.strip()).count() == 1
