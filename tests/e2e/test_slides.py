"""The findings as slides for uke 20 in the browser (issue 21): one slide at a
time with the keys a presenter or a clicker uses, every slide as a section
without JavaScript, full screen in large type, and the 16:9 PDF as images."""

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, scan_accessibility
from tests.e2e.test_findings import DEMO_FINDINGS, findings  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
SLIDES = f"/strategi/{SLUG}/funn/oppsummering/lysbilder/"
SHOTS = "var/screenshots"


def _visible(page) -> list[str]:
    """The ids of the slides shown."""
    return page.locator("section.slide:visible").evaluate_all(
        "slides => slides.map(s => s.id)"
    )


def test_the_keys_move_one_slide_at_a_time(new_page, findings):  # noqa: F811
    page = new_page(viewport={"width": 1280, "height": 720})
    log_in(page, "sekretariat")
    page.goto(f"/strategi/{SLUG}/funn/oppsummering/")
    page.get_by_role("link", name="Vis som lysbilder").click()
    total = 1 + len(DEMO_FINDINGS)
    assert page.locator("section.slide").count() == total
    assert _visible(page) == ["lysbilde-1"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Hva vi har hørt")
    status = page.locator("[data-slides-status]")

    page.keyboard.press("ArrowRight")
    assert _visible(page) == ["lysbilde-2"]
    expect(status).to_have_text(f"Lysbilde 2 av {total}")
    expect(page.locator("#lysbilde-2 h2")).to_have_text(DEMO_FINDINGS[0])
    page.keyboard.press("PageDown")
    assert _visible(page) == ["lysbilde-3"]
    page.keyboard.press("Space")
    assert _visible(page) == ["lysbilde-4"]
    page.keyboard.press("PageUp")
    assert _visible(page) == ["lysbilde-3"]
    page.keyboard.press("ArrowLeft")
    assert _visible(page) == ["lysbilde-2"]
    page.keyboard.press("End")
    assert _visible(page) == [f"lysbilde-{total}"]
    expect(status).to_have_text(f"Lysbilde {total} av {total}")
    page.keyboard.press("ArrowRight")  # the last stays the last
    assert _visible(page) == [f"lysbilde-{total}"]
    page.keyboard.press("Home")
    assert _visible(page) == ["lysbilde-1"]
    page.get_by_role("button", name="Neste lysbilde").click()
    assert _visible(page) == ["lysbilde-2"]
    # The slide is 16:9 on the page.
    box = page.locator("#lysbilde-2").bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.02
    scan_accessibility(page)


def test_full_screen_at_1920_fills_the_screen_in_large_type(new_page, findings):  # noqa: F811
    page = new_page(viewport={"width": 1920, "height": 1080})
    log_in(page, "sekretariat")
    page.goto(SLIDES + "#lysbilde-2")
    assert _visible(page) == ["lysbilde-2"]
    page.get_by_role("button", name="Fullskjerm").click()
    page.wait_for_function("document.fullscreenElement !== null")
    box = page.locator("#lysbilde-2").bounding_box()
    assert box["width"] >= 1900 and box["height"] >= 1060, box
    size = page.locator("#lysbilde-2 h2").evaluate(
        "h => parseFloat(getComputedStyle(h).fontSize)"
    )
    assert size >= 40, size
    page.screenshot(path=f"{SHOTS}/slides-1920.png")


def test_without_javascript_every_slide_is_a_section(new_page, findings):  # noqa: F811
    page = new_page(viewport={"width": 1280, "height": 720}, java_script_enabled=False)
    log_in(page, "sekretariat")
    page.goto(SLIDES)
    headings = page.locator("section.slide").locator("h1, h2")
    expect(headings).to_have_text(["Hva vi har hørt", *DEMO_FINDINGS])
    assert len(_visible(page)) == 1 + len(DEMO_FINDINGS)
    expect(page.get_by_role("button", name="Fullskjerm")).to_be_hidden()
    # No axe scan here: axe is a script, and this page runs none. The same
    # markup is scanned with JavaScript on in the test above.


def test_the_pdf_shows_the_slides_as_16_9_pages(new_page, findings, tmp_path):  # noqa: F811
    page = new_page(viewport={"width": 1280, "height": 720})
    log_in(page, "sekretariat")
    page.goto(SLIDES)
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned som PDF (16:9)").click()
    pdf = tmp_path / "lysbilder.pdf"
    download.value.save_as(pdf)
    for old in Path(SHOTS).glob("slides-pdf-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(pdf), f"{SHOTS}/slides-pdf"], check=True
    )
    from PIL import Image

    pages = sorted(Path(SHOTS).glob("slides-pdf-*.png"))
    assert len(pages) == 1 + len(DEMO_FINDINGS)
    width, height = Image.open(pages[1]).size
    assert abs(width / height - 16 / 9) < 0.03
