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
