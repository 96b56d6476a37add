import pytest

from tests.e2e.conftest import scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)


def _tab_to(page, predicate_js: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"
        ):
            return
    raise AssertionError(f"Tab never reached an element where {predicate_js}")


def _focus_is_visible(page) -> bool:
    return page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; })()"
    )


def test_secretariat_logs_in_with_the_keyboard_only(page, demo_process):
    page.goto("/")

    # The first Tab reaches the skip link, and it is visible when focused.
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent.trim()")
    assert skip == "Hopp til hovedinnholdet"
    assert _focus_is_visible(page)

    _tab_to(page, "el.tagName === 'A' && el.getAttribute('href') === '/logg-inn/'")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/logg-inn/")

    _tab_to(page, "el.name === 'username'")
    assert _focus_is_visible(page)
    page.keyboard.type("sekretariat")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type("mipr-demo")
    page.keyboard.press("Enter")

    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Velkommen, Sara"
    assert page.get_by_text("Din rolle: Sekretariat").is_visible()
    scan_accessibility(page)


def test_wrong_password_shows_a_norwegian_message_in_the_browser(page, demo_process):
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill("sekretariat")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_text("korrekt brukernavn og passord").is_visible()
    scan_accessibility(page)
