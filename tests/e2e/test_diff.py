"""The comparison of versions reads as the text does (issue 21): rendered,
changes marked, unchanged sections folded; at 390 and 1280 px, with axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"


@pytest.fixture
def demo_strategy(mipr_plan):
    from demo import document, evidence, workshop

    workshop.load(mipr_plan)
    evidence.load(mipr_plan)
    return document.load_strategy(mipr_plan)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_comparison_shows_the_text_as_it_reads(
    demo_strategy, new_page, sign_in, width
):
    page = sign_in(new_page(viewport={"width": width, "height": 900}), "radsmedlem")
    page.goto(f"/strategi/{SLUG}/endringer/?fra=1&til=2")
    main = page.locator("main")
    # The demo's version 2 adds «### Beredskap» and a list item: rendered.
    expect(main.get_by_role("heading", name="Beredskap")).to_be_visible()
    expect(main.locator("ins.diff-block h3")).to_have_text("Beredskap")
    assert "###" not in main.inner_text()
    # Unchanged sections are folded and open on a click (no script needed).
    folded = main.locator("details.diff-same")
    assert folded.count() >= 5
    first = folded.first
    expect(first.locator(".diff-rendered")).not_to_be_visible()
    first.locator("summary").click()
    expect(first.locator(".diff-rendered")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"the page scrolls sideways at {width} px"
    )
    scan_accessibility(page)
    page.screenshot(path=f"var/screenshots/diff-{width}.png", full_page=True)
