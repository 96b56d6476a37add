"""Staff never act by accident (issue 17): what cannot be undone, or affects
other people, asks once, in a dialog with JavaScript and on a page without;
by keyboard; adoption shows its checklist; a replaced version says so."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
BASE = f"/strategi/{SLUG}"
SHOTS = "var/screenshots"


@pytest.fixture
def mipr(mipr_plan):
    from demo import workshop

    workshop.load(mipr_plan)
    return mipr_plan


@pytest.fixture
def demo_strategy(mipr):
    from demo import document, evidence

    evidence.load(mipr)
    return document.load_strategy(mipr)


def _workshop(mipr):
    return mipr.workshops.get()


@pytest.mark.parametrize("width", [390, 1280])
def test_closing_the_workshop_asks_in_a_dialog(mipr, new_page, sign_in, width):
    workshop = _workshop(mipr)
    page = sign_in(new_page(viewport={"width": width, "height": 900}), "sekretariat")
    page.goto(f"/workshop/{workshop.pk}/")
    close = page.get_by_role("button", name="Lukk workshopen")
    # Not the first thing in its row, and not a filled red button.
    expect(close).to_have_class(re.compile(r"\bbtn-outline-danger\b"))
    first = page.locator(".d-flex.flex-wrap.gap-2.mb-4 > *").first
    expect(first).not_to_contain_text("Lukk workshopen")

    close.click()
    dialog = page.get_by_role("dialog", name=f"Lukke «{workshop.title}»?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Gruppene kan ikke lenger skrive eller levere svar.")
    expect(dialog.get_by_role("link", name="Avbryt")).to_be_focused()
    scan_accessibility(page)
    page.screenshot(path=f"{SHOTS}/confirm-close-{width}.png")

    # Cancel: nothing happened, and the focus is back on the button.
    dialog.get_by_role("link", name="Avbryt").click()
    expect(dialog).to_be_hidden()
    expect(close).to_be_focused()
    workshop.refresh_from_db()
    assert workshop.is_open

    close.click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, lukk workshopen").click()
    expect(page.get_by_text("Workshopen er nå lukket.")).to_be_visible()
    workshop.refresh_from_db()
    assert workshop.is_closed


def test_a_new_code_by_keyboard_alone(mipr, new_page, sign_in):
    workshop = _workshop(mipr)
    group = workshop.groups.get(number=2)
    old = group.code
    page = sign_in(new_page(viewport={"width": 1280, "height": 900}), "sekretariat")
    page.goto(f"/workshop/{workshop.pk}/")
    button = page.get_by_role("button", name=re.compile(r"^Ny kode\s?for Gruppe 2$"))
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Gi Gruppe 2 ny kode?")
    expect(dialog).to_contain_text(f"Koden {old} slutter å virke med en gang.")
    # Escape closes it and gives the focus back.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Tab")  # from Avbryt to the yes
    expect(page.get_by_role("button", name="Ja, lag ny kode")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Gruppe 2 har fått ny kode")).to_be_visible()
    group.refresh_from_db()
    assert group.code != old


def test_without_javascript_the_question_is_a_page(mipr, new_page, sign_in):
    workshop = _workshop(mipr)
    page = sign_in(
        new_page(viewport={"width": 390, "height": 900}, java_script_enabled=False),
        "sekretariat",
    )
    page.goto(f"/workshop/{workshop.pk}/")
    page.get_by_role("button", name="Lukk workshopen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Lukke «{workshop.title}»?"
    )
    workshop.refresh_from_db()
    assert workshop.is_open
    page.get_by_role("button", name="Ja, lukk workshopen").click()
    expect(page.get_by_text("Workshopen er nå lukket.")).to_be_visible()
    # The same confirmation posted again (Back, and press once more): nothing.
    page.go_back()
    page.get_by_role("button", name="Ja, lukk workshopen").click()
    expect(page.get_by_text("Workshopen er allerede lukket.")).to_be_visible()


def test_publishing_says_who_gets_mail(demo_strategy, new_page, sign_in):
    from strategy import writing

    version = writing.version_new(
        previous=demo_strategy.versions.get(number=2), by=None
    )
    page = sign_in(new_page(viewport={"width": 1280, "height": 900}), "sekretariat")
    page.goto(f"{BASE}/versjon/3/")
    page.get_by_role("button", name="Publiser til gjennomgang").click()
    dialog = page.get_by_role("dialog", name="Publisere versjon 3 til gjennomgang?")
    expect(dialog).to_contain_text("0 av 1 rådsmedlem får e-post med lenken.")
    expect(dialog).to_contain_text(
        "1 har ingen e-postadresse og får ingenting: Rita Rådsmedlem."
    )
    scan_accessibility(page)
    page.screenshot(path=f"{SHOTS}/confirm-publish-1280.png")
    dialog.get_by_role("button", name="Ja, publiser til gjennomgang").click()
    expect(page.get_by_text("Versjonen er publisert til gjennomgang.")).to_be_visible()
    expect(
        page.get_by_text(
            "1 rådsmedlem har ingen e-postadresse og har ikke fått beskjed"
        )
    ).to_be_visible()
    version.refresh_from_db()
    assert version.is_under_review

    # Version 2 is replaced now: it says so and takes no comments.
    page.goto(f"{BASE}/versjon/2/")
    expect(page.locator(".lead")).to_have_text("Versjon 2 – erstattet av versjon 3")
    expect(page.get_by_text("Versjon 3 har erstattet denne versjonen.")).to_be_visible()
    expect(page.locator("textarea[name=text]")).to_have_count(0)


@pytest.mark.parametrize("width", [390, 1280])
def test_adoption_shows_its_checklist_and_freezes_once(
    demo_strategy, new_page, sign_in, width
):
    page = sign_in(new_page(viewport={"width": width, "height": 900}), "sekretariat")
    page.goto(f"{BASE}/versjon/2/")
    page.get_by_role("link", name="Merk som vedtatt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vedta versjon 2?")
    checklist = page.locator(".confirmation-checklist")
    expect(checklist).to_contain_text("er tomme.")
    expect(checklist).to_contain_text("har ikke merket versjonen som lest")
    expect(checklist).to_contain_text("Dette er den nyeste versjonen.")
    scan_accessibility(page)
    page.screenshot(path=f"{SHOTS}/adopt-{width}.png", full_page=True)

    page.get_by_label(re.compile("Møtedato")).fill("2026-12-10")
    page.get_by_label(re.compile("Saksnummer")).fill("25/14")
    page.get_by_label(re.compile("Vedtaket")).fill("Strategien vedtas.")
    page.get_by_role("button", name="Ja, vedta versjon 2").dblclick()
    # Tasks run in-process here: the adopted PDF is made before the page answers.
    page.wait_for_url(f"**{BASE}/versjon/2/", timeout=60_000)
    expect(page.get_by_text("Versjonen er vedtatt, låst og offentlig.")).to_be_visible()
    assert demo_strategy.versions.get(number=2).is_frozen
    from strategy.models import Decision

    assert Decision.objects.count() == 1


def test_a_replaced_version_says_so_and_takes_no_more_comments(
    demo_strategy, new_page, sign_in
):
    """Problem 5: after version 2 replaced version 1, and after its adoption,
    the older versions say what replaced them, keep their comments readable
    and offer no comment form."""
    from django.contrib.auth import get_user_model

    from strategy import adoption

    page = sign_in(new_page(viewport={"width": 390, "height": 900}), "radsmedlem")
    page.goto("/strategi/")
    numbers = page.locator("main a[href*='/versjon/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href').match(/versjon\\/(\\d+)/)[1])"
    )
    assert numbers[:2] == ["2", "1"], "the newest version comes first"

    page.goto(f"{BASE}/versjon/1/")
    expect(page.locator(".lead")).to_contain_text("erstattet av versjon 2")
    expect(page.get_by_role("note")).to_contain_text(
        "Versjon 2 har erstattet denne versjonen."
    )
    expect(page.get_by_text("Savner et konkret tiltak")).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)

    page.goto(f"{BASE}/versjon/2/")
    assert page.locator("textarea[name=text]").count() > 0

    adoption.version_adopt(
        version=demo_strategy.versions.get(number=2),
        body="Representantskapet",
        meeting_date="2026-12-10",
        case_number="25/14",
        text="Strategien vedtas.",
        by=get_user_model().objects.get(username="sekretariat"),
    )
    page.reload()
    expect(page.get_by_role("note")).to_contain_text("Vedtatt og låst.")
    expect(page.locator("textarea")).to_have_count(0)
    page.goto(f"{BASE}/versjon/1/")
    expect(page.locator(".lead")).to_contain_text("erstattet av versjon 2")
    expect(page.locator("textarea")).to_have_count(0)
    scan_accessibility(page)
