import pytest

from tests.e2e.conftest import scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_landing_page_is_norwegian_and_accessible(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Strategi for Mosseregionen 2026–2029"
    )
    assert page.get_by_role("link", name="Logg inn").first.is_visible()
    scan_accessibility(page)


def test_login_page_is_accessible(page):
    page.goto("/logg-inn/")
    scan_accessibility(page)


def test_landing_page_fits_a_360_px_phone(phone_page):
    phone_page.goto("/")
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
    scan_accessibility(phone_page)


def test_language_switch_keeps_the_visitor_on_the_page(page):
    page.goto("/logg-inn/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/logg-inn/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
