import datetime
import re
import time

import pytest

from tests.e2e.conftest import log_in, scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)


def _grid_row(page, what: str):
    return page.locator("table.week-grid tbody tr").filter(
        has=page.get_by_role("link", name=what, exact=True)
    )


def test_public_plan_is_accessible_and_shows_the_ten_milestones(page, mipr_plan):
    page.goto("/tidslinje/")
    assert page.locator("ol.plan-list > li").count() == 10
    assert page.get_by_role("table").count() == 1
    workshop = _grid_row(page, "Workshop")
    assert workshop.locator("th").inner_text().startswith("Workshop")
    scan_accessibility(page)


def test_secretariat_marks_the_week_15_workshop_done_and_the_grid_shows_it(
    page, mipr_plan
):
    log_in(page, "sekretariat")
    page.goto("/tidslinje/")
    row = _grid_row(page, "Workshop")
    assert row.locator(".status-badge").inner_text() != "ferdig"
    scan_accessibility(page)

    row.get_by_role("link", name="Workshop", exact=True).click()
    page.get_by_label("Status", exact=True).select_option(label="Ferdig")
    scan_accessibility(page)
    page.get_by_role("button", name="Lagre status").click()
    assert page.get_by_text("Statusen er lagret.").is_visible()

    page.get_by_role("link", name="Fremdriftsplan").first.click()
    row = _grid_row(page, "Workshop")
    assert row.locator(".status-badge").inner_text() == "ferdig"
    assert row.locator("td.bar").get_attribute("class").startswith("bar status-done")
    scan_accessibility(page)


def test_secretariat_edit_form_is_accessible_and_shows_errors_in_norwegian(
    page, mipr_plan
):
    log_in(page, "sekretariat")
    page.goto("/tidslinje/")
    page.get_by_role("link", name="Ny milepæl").click()
    page.get_by_label("Arbeidsform").fill("Arbeidsgruppen")
    page.get_by_label("Innhold").fill("Ekstra møte")
    page.get_by_label("Startuke").fill("53")
    page.get_by_label("Sluttuke").fill("53")
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_text("Uke 53 finnes ikke i 2025").first.is_visible()
    scan_accessibility(page)


SHOTS = "var/screenshots"
APRIL_11 = datetime.date(2025, 4, 11)


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def _week(page, number: int):
    return page.locator("table.week-grid thead th.week").filter(
        has_text=re.compile(rf"^{number}\b")
    )


@pytest.fixture
def plan_on_april_11(mipr_plan, settings):
    """The demo as `make run` shows it: the plan as it stood on 11 April 2025."""
    settings.DEMO_TODAY = APRIL_11
    return mipr_plan


def test_at_1280_px_the_whole_plan_uke_9_to_49_fits_without_scrolling(
    new_page, plan_on_april_11
):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto("/tidslinje/")
    page.screenshot(path=f"{SHOTS}/timeline-grid-1280.png", full_page=True)
    weeks = page.locator("table.week-grid thead th.week")
    assert weeks.first.inner_text().strip() == "9"
    assert weeks.last.inner_text().strip() == "49"
    assert weeks.count() == 41
    region = page.locator(".week-grid-scroll")
    sizes = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert sizes[0] <= sizes[1], sizes  # nothing to scroll to
    inside = _box(region)
    for number in (9, 15, 49):
        box = _box(_week(page, number))
        assert inside["x"] <= box["x"], number
        assert box["x"] + box["width"] <= inside["x"] + inside["width"] + 1, number
        assert box["x"] + box["width"] <= 1280, number
    # The adoption's bar sits under uke 49.
    adoption = _grid_row(page, "Vedta endelig strategi").locator("td.bar")
    bar, week_49 = _box(adoption), _box(_week(page, 49))
    assert abs(bar["x"] - week_49["x"]) <= 1
    assert page.get_by_text("Demo: vist slik det sto 11. april 2025.").is_visible()
    scan_accessibility(page)


def test_on_a_phone_the_grid_scrolls_in_its_own_region_opened_at_today(
    new_page, plan_on_april_11
):
    page = new_page(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page.goto("/tidslinje/")
    region = page.locator(".week-grid-scroll")
    page.screenshot(path=f"{SHOTS}/timeline-grid-390.png", full_page=False)
    page.wait_for_function(
        "() => document.querySelector('.week-grid-scroll').scrollLeft > 0"
    )
    region.screenshot(path=f"{SHOTS}/timeline-grid-region-390.png")
    # The page itself does not scroll sideways; the grid's region does.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scroll_width, client_width = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert scroll_width > client_width
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("role") == "region"
    # Today's week (15) is in view, to the right of the sticky labels ...
    inside, labels = _box(region), _box(page.locator("thead th.label-col"))
    today = _week(page, 15)
    assert today.get_attribute("aria-current") == "date"
    box = _box(today)
    assert labels["x"] + labels["width"] <= box["x"] + 1
    assert box["x"] + box["width"] <= inside["x"] + inside["width"]
    # ... and so is the workshop's bar in that column.
    bar = _box(_grid_row(page, "Workshop").locator("td.bar"))
    assert labels["x"] + labels["width"] <= bar["x"] + 1
    assert bar["x"] + bar["width"] <= inside["x"] + inside["width"]
    # The region scrolls by keyboard (focusable), on towards the adoption.
    before = region.evaluate("r => r.scrollLeft")
    region.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"() => document.querySelector('.week-grid-scroll').scrollLeft > {before}"
    )
    scan_accessibility(page)


def test_before_the_plan_the_grid_opens_at_the_next_milestone_after_it_at_its_end(
    new_page, mipr_plan, settings
):
    settings.DEMO_TODAY = datetime.date(2025, 1, 15)  # week 3
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/tidslinje/")
    page.get_by_role("link", name="Vis neste milepæl i ukeoversikten").wait_for()
    assert page.locator("#grid-focus").inner_text().strip() == "9"
    assert page.locator(".week-grid-scroll").evaluate("r => r.scrollLeft") == 0

    settings.DEMO_TODAY = datetime.date(2026, 1, 10)
    page.goto("/tidslinje/")
    page.get_by_role("link", name="Vis slutten av planen i ukeoversikten").wait_for()
    page.wait_for_function(
        "() => document.querySelector('.week-grid-scroll').scrollLeft > 0"
    )
    focus = page.locator("#grid-focus")
    assert focus.inner_text().strip() == "49"
    inside, box = _box(page.locator(".week-grid-scroll")), _box(focus)
    assert inside["x"] <= box["x"]
    assert box["x"] + box["width"] <= inside["x"] + inside["width"] + 1


def _in_view(page, number: int) -> bool:
    """Is week `number`'s column inside the grid's region, right of the labels?"""
    region = page.locator(".week-grid-scroll")
    inside, labels = _box(region), _box(page.locator("thead th.label-col"))
    box = _box(_week(page, number))
    return (
        labels["x"] + labels["width"] <= box["x"] + 1
        and box["x"] + box["width"] <= inside["x"] + inside["width"] + 1
    )


def test_without_javascript_the_link_brings_this_week_into_view(
    new_page, mipr_plan, settings
):
    settings.DEMO_TODAY = datetime.date(2025, 7, 23)  # week 30
    page = new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page.goto("/tidslinje/")
    assert not _in_view(page, 30)
    page.get_by_role("link", name="Vis denne uken i ukeoversikten").click()
    for _ in range(50):  # no JavaScript in the page: poll from here
        if _in_view(page, 30):
            break
        time.sleep(0.1)
    assert _in_view(page, 30)
