"""The secretariat shapes the outline before starting the strategy, at 390 px
and 1280 px, by keyboard alone, and the strategy starts from it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
SHOTS = "var/screenshots"


@pytest.fixture
def mipr(demo_process):
    from demo import evidence, plan, workshop

    plan.load(demo_process)
    workshop.load(demo_process)
    evidence.load(demo_process)
    return demo_process


@pytest.mark.parametrize("width", [390, 1280])
def test_the_secretariat_edits_the_outline_and_starts_from_it(
    mipr, new_page, sign_in, width, tmp_path
):
    from strategy.models import Strategy

    page = sign_in(new_page(viewport={"width": width, "height": 900}), "sekretariat")
    page.goto("/strategi/")
    page.get_by_role("link", name="Endre disposisjonen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Disposisjonen for strategien"
    )
    expect(page.get_by_text("Dette er standarddisposisjonen.")).to_be_visible()
    scan_accessibility(page)
    page.screenshot(path=f"{SHOTS}/outline-{width}.png", full_page=True)

    # Rename the first section, remove the third, add one: by keyboard.
    first = page.get_by_role("group", name="Del 1")
    first.get_by_label("Overskrift").fill("Innledning og bakgrunn")
    first.get_by_label("Starttekst (Markdown)").fill("Hvorfor vi lager en strategi.")
    page.get_by_role("group", name="Del 3").get_by_label("Fjern denne delen").check()
    new = page.get_by_role("group", name="Ny del").first
    new.get_by_label("Overskrift").fill("Økonomi")
    new.get_by_label("Plass i rekkefølgen").fill("2")
    page.get_by_role("button", name="Lagre disposisjonen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Disposisjonen er lagret.")).to_be_visible()
    expect(page.get_by_text("Dette er standarddisposisjonen.")).to_have_count(0)
    headings = page.locator("input[name$='-heading']")
    assert headings.evaluate_all("els => els.map(e => e.value)")[:3] == [
        "Innledning og bakgrunn",
        "Formål",
        "Økonomi",
    ]

    page.goto(f"/strategi/{SLUG}/ny/")
    page.get_by_role("button", name="Start strategien").click()
    page.wait_for_url(f"**/strategi/{SLUG}/versjon/1/")
    toc = page.get_by_role("navigation", name="Innhold")
    expect(toc.get_by_role("listitem").first).to_have_text("Innledning og bakgrunn")
    version = Strategy.objects.get(process=mipr).versions.get()
    assert version.sections.first().body == "Hvorfor vi lager en strategi."
    assert "Situasjonen i dag" not in version.sections.values_list("heading", flat=True)
