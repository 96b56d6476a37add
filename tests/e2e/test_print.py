"""Print styles (issue 21): the plan, the findings summary and the version
page print as content only, the week grid whole, links to other sites with
their address."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"

_SHOWN = """() => {
  const drawn = el => {
    const box = el.getBoundingClientRect();
    return getComputedStyle(el).display !== "none" && box.width > 1 && box.height > 1;
  };
  return {
    header: [...document.querySelectorAll("body > header, body > footer")]
      .filter(drawn).map(el => el.outerHTML.slice(0, 80)),
    buttons: [...document.querySelectorAll("main .btn, main form")]
      .filter(drawn).map(el => el.outerHTML.slice(0, 80)),
  };
}"""


@pytest.fixture
def demo_strategy(mipr_plan):
    from demo import document, evidence, workshop

    workshop.load(mipr_plan)
    evidence.load(mipr_plan)
    strategy = document.load_strategy(mipr_plan)
    section = strategy.versions.get(number=2).sections.get(order=1)
    section.body += "\n\nLes mer hos [KS](https://www.ks.no/)."
    section.save()
    return strategy


@pytest.mark.parametrize(
    "who, path",
    [
        (None, "/tidslinje/"),
        ("sekretariat", f"/strategi/{SLUG}/funn/oppsummering/"),
        ("radsmedlem", f"/strategi/{SLUG}/versjon/2/"),
        ("sekretariat", f"/strategi/{SLUG}/versjon/2/"),
    ],
)
def test_pages_print_as_content_only(demo_strategy, new_page, sign_in, who, path):
    page = new_page(viewport={"width": 1280, "height": 900})
    if who:
        sign_in(page, who)
    page.goto(path)
    on_screen = page.evaluate(_SHOWN)
    assert on_screen["header"]  # the test can see them on screen
    page.emulate_media(media="print")
    assert page.evaluate(_SHOWN) == {"header": [], "buttons": []}
    assert page.locator("main h1").first.is_visible()
    if path == "/tidslinje/":
        overflow = page.locator(".week-grid-scroll").evaluate(
            "el => getComputedStyle(el).overflowX"
        )
        assert overflow == "visible"
        # The last week (uke 49, the adoption) is on the paper: the grid is no
        # wider than the printed page (A4 less margins, at 96 px per inch).
        page.set_viewport_size({"width": 718, "height": 1000})
        grid = page.locator(".week-grid").bounding_box()
        assert grid["x"] + grid["width"] <= 718 + 1
    if "versjon" in path:
        after = page.locator("main a[href='https://www.ks.no/']").evaluate(
            "a => getComputedStyle(a, '::after').content"
        )
        assert after == '" (https://www.ks.no/)"'
        # Internal links are not written out.
        inner = page.locator("nav.toc a").first.evaluate(
            "a => getComputedStyle(a, '::after').content"
        )
        assert inner in ("none", "normal")
        # Nothing of the secretariat's panel is printed, not even its heading.
        assert page.get_by_text("For sekretariatet").count() == 0 or not (
            page.get_by_text("For sekretariatet").is_visible()
        )
    name = path.strip("/").replace("/", "-") or "front"
    page.pdf(path=f"var/screenshots/print-{name}-{who}.pdf")
