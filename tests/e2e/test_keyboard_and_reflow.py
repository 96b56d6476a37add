"""Universal design in the browser (issue 10): keyboard-only journeys with a
visible focus ring in document order, reflow at 320 CSS pixels and at 200 %
zoom (640×400 CSS pixels at device scale 2) without sideways scrolling, and the
language switch that keeps the page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import watch_csp

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
VERSION_2 = f"/strategi/{SLUG}/versjon/2/"

# The focused element, whether its ring is visible, and whether it comes after
# the previously focused one in document order.
_FOCUS_STEP = """previous => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: false, body: true};
  const s = getComputedStyle(el);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const after = !previous || previous === el ||
      !!(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  return {ok: true, ring, after,
          what: el.outerHTML.slice(0, 120)};
}"""


def _tab_to(page, locator, limit=80):
    """Press Tab until `locator` has the focus. On each step the focused element
    has a visible ring and comes after the previous one in the document."""
    target = locator.element_handle()
    previous = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        step = page.evaluate(_FOCUS_STEP, previous)
        if step["ok"]:
            assert step["ring"], f"no visible focus ring on {step['what']}"
            assert step["after"], f"focus went backwards to {step['what']}"
            previous = page.evaluate_handle("document.activeElement")
        if page.evaluate("el => el === document.activeElement", target):
            return
    raise AssertionError(f"Tab never reached {locator}")


@pytest.fixture
def demo_strategy(mipr_plan):
    """The demo plan, workshop, findings and the strategy with versions 1 and 2."""
    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import workshop as workshop_demo

    workshop_demo.load(mipr_plan)
    evidence_demo.load(mipr_plan)
    return document_demo.load_strategy(mipr_plan)


# --- 1. Keyboard-only journeys --------------------------------------------------


def test_participant_joins_and_saves_an_answer_with_the_keyboard(
    page,
    demo_strategy,
):
    from workshops.models import Answer, Group

    group = Group.objects.get(workshop__process=demo_strategy.process, number=1)
    page.goto("/delta/")
    _tab_to(page, page.locator("#id_code"))
    page.keyboard.type(group.code)
    _tab_to(page, page.locator("#id_name"))
    page.keyboard.type("Kari")
    _tab_to(page, page.locator("[name=join]"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/")

    question_link = page.locator(f'a[href$="/delta/gruppe/{group.pk}/1/"]').first
    _tab_to(page, question_link)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/1/")

    slot = page.locator('textarea[data-slot="0"][data-key="text"]')
    _tab_to(page, slot)
    page.keyboard.press("Control+A")
    page.keyboard.type("Tastatur først")
    _tab_to(page, page.locator('#answer-form button[value="save"]'))
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    def saved():
        answer = Answer.objects.filter(group=group, question__number=1).first()
        return answer and "Tastatur først" in str(answer.content)

    expect(slot).to_have_value("Tastatur først")
    for _ in range(50):
        if saved():
            break
        page.wait_for_timeout(100)
    assert saved()


def test_council_member_comments_on_a_section_with_the_keyboard(
    page,
    demo_strategy,
    sign_in,
):
    from strategy.models import Comment

    sign_in(page, "radsmedlem")
    page.goto(VERSION_2)
    # The form is folded behind «Kommenter denne delen»: Enter opens it.
    summary = page.locator("details.comment-new > summary").first
    _tab_to(page, summary)
    page.keyboard.press("Enter")
    textarea = page.locator("textarea[id^=comment-on-]").first
    _tab_to(page, textarea)
    page.keyboard.type("Kommentar skrevet med tastaturet.")
    button = page.locator(
        "form:has(textarea[id^=comment-on-]) button[type=submit]"
    ).first
    _tab_to(page, button)
    expect(button).to_have_text("Send kommentar")
    page.keyboard.press("Enter")
    expect(page.locator("li.comment").filter(has_text="tastaturet")).to_be_visible()
    comment = Comment.objects.get(text="Kommentar skrevet med tastaturet.")
    assert comment.author.username == "radsmedlem"


def test_secretariat_marks_a_milestone_done_with_the_keyboard(
    page,
    demo_strategy,
    sign_in,
):
    from timeline.models import Milestone

    milestone = (
        Milestone.objects.filter(process=demo_strategy.process)
        .exclude(status="done")
        .first()
    )
    sign_in(page, "sekretariat")
    page.goto(f"/tidslinje/{SLUG}/milepel/{milestone.pk}/")
    status = page.locator("#id_status")
    _tab_to(page, status)
    for _ in range(4):
        if status.input_value() == "done":
            break
        page.keyboard.press("ArrowDown")
    expect(status).to_have_value("done")
    button = page.get_by_role("button", name="Lagre status")
    _tab_to(page, button)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    for _ in range(50):
        milestone.refresh_from_db()
        if milestone.status == "done":
            break
        page.wait_for_timeout(100)
    assert milestone.status == "done"


def test_secretariat_exports_the_pdf_with_the_keyboard(
    page,
    demo_strategy,
    sign_in,
):
    sign_in(page, "sekretariat")
    page.goto(VERSION_2)
    _tab_to(page, page.get_by_role("button", name="Lag PDF"))
    page.keyboard.press("Enter")
    # Tasks run in-process here: the PDF is made before the page answers.
    page.wait_for_url(f"**/strategi/{SLUG}/pdf/*/", timeout=60_000)
    download = page.get_by_role("link", name="Last ned PDF-en")
    expect(download).to_be_visible()
    _tab_to(page, download)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".pdf")


# --- 2. Reflow -------------------------------------------------------------------

# WCAG 1.4.10 at 320 CSS pixels, and 1.4.4 faithfully: a 1280×800 window at
# 200 % zoom is a 640×400 CSS-pixel viewport drawn with two device pixels to
# each CSS pixel.
VIEWPORTS = {
    "320px": {"viewport": {"width": 320, "height": 640}},
    "zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}

# Regions that may scroll sideways inside themselves (never the page): the
# week grid, and tables in Bootstrap's .table-responsive.
SCROLL_REGIONS = ".week-grid-scroll, .table-responsive"

_SIZES = """() => ({
  scroll: document.documentElement.scrollWidth,
  inner: window.innerWidth,
  ratio: window.devicePixelRatio,
})"""

# The elements that stick out on the right, outside the regions that scroll by
# themselves, to name the culprit in a failure.
_TOO_WIDE = """(regions) => [...document.querySelectorAll('body *')]
  .filter(el => !el.closest(regions) || el.matches(regions))
  .filter(el => el.getBoundingClientRect().right > window.innerWidth)
  .slice(0, 8)
  .map(el => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right}`)"""


def _no_sideways_scroll(page, shot, ratio):
    page.screenshot(path=shot, full_page=True)
    sizes = page.evaluate(_SIZES)
    assert sizes["ratio"] == ratio, sizes
    if sizes["scroll"] > sizes["inner"]:
        wide = page.evaluate(_TOO_WIDE, SCROLL_REGIONS)
        raise AssertionError(f"{page.url} scrolls sideways: {sizes}; {wide}")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_pages_reflow_without_sideways_scrolling(
    browser,
    live_server,
    demo_strategy,
    sign_in,
    tmp_path,
    size,
):
    from timeline.models import Milestone
    from workshops.models import Group

    group = Group.objects.get(workshop__process=demo_strategy.process, number=1)
    milestone = Milestone.objects.filter(process=demo_strategy.process).first()
    options = VIEWPORTS[size]
    ratio = options.get("device_scale_factor", 1)
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", **options)
    context.set_default_timeout(10_000)
    refused = watch_csp(context)
    page = context.new_page()
    try:
        checked = []

        def check(url, name):
            page.goto(url)
            _no_sideways_scroll(page, tmp_path / f"{size}-{name}.png", ratio)
            checked.append(url)

        check("/", "home")
        check("/delta/", "join")
        page.locator("#id_code").fill(group.code)
        page.locator("#id_name").fill("Kari")
        page.locator("[name=join]").click()
        page.wait_for_url(f"**/delta/gruppe/{group.pk}/")
        check(f"/delta/gruppe/{group.pk}/", "group")
        check(f"/delta/gruppe/{group.pk}/1/", "answer")

        sign_in(page, "sekretariat")
        check("/", "dashboard")
        check(VERSION_2, "version-2")
        check(f"/strategi/{SLUG}/endringer/?fra=1&til=2", "diff")
        check(f"/strategi/{SLUG}/funn/", "themes")
        check(f"/strategi/{SLUG}/funn/svar/", "answers")
        check(f"/strategi/{SLUG}/kilder/", "sources")
        check(f"/workshop/{group.workshop_id}/", "workshop-progress")
        check(f"/workshop/{group.workshop_id}/bli-med/", "join-screen")
        check(f"/workshop/{group.workshop_id}/vegg/", "wall")
        check(f"/tidslinje/{SLUG}/milepel/{milestone.pk}/", "milestone")
        check(f"/tidslinje/{SLUG}/milepel/{milestone.pk}/endre/", "milestone-form")
        check("/tilgjengelighet/", "accessibility")
        check("/personvern/", "privacy")
        check(f"/medlemmer/{SLUG}/", "members")
        check(f"/strategi/{SLUG}/disposisjon/", "outline")

        # The week grid scrolls inside its own region, never the page.
        check("/tidslinje/", "timeline")
        region = page.locator(".week-grid-scroll")
        expect(region).to_be_visible()
        grid = region.evaluate(
            "el => ({scroll: el.scrollWidth, client: el.clientWidth,"
            " overflow: getComputedStyle(el).overflowX})"
        )
        assert grid["scroll"] > grid["client"], grid
        assert grid["overflow"] in ("auto", "scroll"), grid
        # It really scrolls, by itself, while the page stays put.
        region.evaluate("el => { el.scrollLeft = 200; }")
        assert region.evaluate("el => el.scrollLeft") > 0
        assert page.evaluate("window.scrollX") == 0

        shots = sorted(tmp_path.glob(f"{size}-*.png"))
        assert len(shots) == len(checked)
        print(f"{size}: {len(checked)} pages, screenshots in {tmp_path}")
    finally:
        context.close()
    assert refused == [], "\n".join(refused)


# --- 3. The language switch ------------------------------------------------------


def test_the_language_switch_keeps_the_page(page, mipr_plan):
    page.goto("/tidslinje/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    _tab_to(page, page.get_by_role("button", name="English"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/tidslinje/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/tidslinje/")

    _tab_to(page, page.locator("footer button[value=nb]"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/tidslinje/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    assert page.url.endswith("/tidslinje/")
