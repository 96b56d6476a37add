"""The participant's journey: back to /delta/, submitting (asked once), the
finished group, and the answer fields (names, growing, Word paste, counter)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import join_group, scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def workshop(mipr_plan):
    from demo import workshop as demo

    return demo.load(mipr_plan)


def _group(workshop, number=1):
    return workshop.groups.get(number=number)


# --- Back to /delta/ ------------------------------------------------------------


@pytest.mark.parametrize("width", [390, 1280])
def test_back_at_delta_the_participant_continues_in_the_group(
    new_page, workshop, width
):
    group = _group(workshop, 3)
    page = new_page(viewport={"width": width, "height": 900})
    join_group(page, group, "Irene")
    page.goto("/delta/")
    page.screenshot(
        path=f"{SHOTS}/journey-delta-remembered-{width}.png", full_page=True
    )
    scan_accessibility(page)
    page.get_by_role("link", name="Fortsett i Gruppe 3").click()
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gruppe 3")
    # Joining another group still works from the same page.
    page.goto("/delta/")
    expect(
        page.get_by_role("heading", name="Bli med i en annen gruppe")
    ).to_be_visible()
    join_group(page, _group(workshop, 4), "Irene")


def test_back_at_delta_after_a_new_code_the_participant_is_told(new_page, workshop):
    from workshops import services

    group = _group(workshop, 3)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Irene")
    services.group_regenerate_code(group=group)
    page.goto("/delta/")
    expect(page.get_by_text("Gruppe 3 har fått en ny kode")).to_be_visible()
    expect(page.get_by_role("link", name="Fortsett i Gruppe 3")).to_have_count(0)
