"""Browser tests: Playwright for Python driving Debian's Chromium.

Playwright's own browser download does not work here, so the tests launch
/usr/bin/chromium (override with CHROMIUM). Without it, or without axe-core in
node_modules, the tests skip, and fail under REQUIRE_SERVICES=1 (CI).
"""

import json
import os
from pathlib import Path

import pytest

from tests.helpers import ROOT, require

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run beside one unless told the test knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def watch_csp(context) -> list[str]:
    """Collect what the browser refused under our Content-Security-Policy.

    Chromium reports each refusal as a console error; nothing inline or from
    another origin should ever be refused on our pages.
    """
    refused = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            url = message.page.url if message.page else "?"
            refused.append(f"{url}: {message.text}")

    context.on("console", on_console)
    return refused


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    context.set_default_timeout(10_000)
    refused = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    assert refused == [], "\n".join(refused)


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="nb-NO",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    refused = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    assert refused == [], "\n".join(refused)


def scan_accessibility(page) -> list[dict]:
    """Run axe-core on the page and fail on any WCAG 2.1 A or AA violation."""
    require(AXE.exists(), "axe-core is missing: run `npm ci`")
    # Evaluated through the DevTools protocol: a <script> tag of our own would
    # (rightly) be refused by the page's Content-Security-Policy.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    print(f"axe {page.url}: {len(violations)} violations")
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
    return violations


def scan_accessibility_without_script(page) -> list[dict]:
    """axe for a page opened with JavaScript off, where axe itself cannot run
    (its timers never fire): the same HTML, served at the same address to a
    context with JavaScript on but our scripts blocked, is scanned instead."""
    html = page.content()
    context = page.context.browser.new_context(
        viewport=page.viewport_size, locale="nb-NO"
    )
    try:
        copy = context.new_page()
        copy.route("**/*.js", lambda route: route.abort())
        copy.route(
            page.url.split("#")[0],
            lambda route: route.fulfill(
                body=html, content_type="text/html; charset=utf-8"
            ),
        )
        copy.goto(page.url)
        return scan_accessibility(copy)
    finally:
        context.close()


def log_in(page, username: str, password: str = "mipr-demo") -> None:
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    # Wait until the login page is left (its own address ends in "/" too).
    page.wait_for_url(lambda url: "/logg-inn/" not in url)


@pytest.fixture
def mipr_plan(demo_process):
    from demo import plan as demo

    demo.load(demo_process)
    return demo_process


@pytest.fixture
def sign_in(live_server):
    """Sign a page in with a session cookie: the login form is tested elsewhere."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    def sign_in(page, username):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookie = {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }
        page.context.add_cookies([cookie])
        return page

    return sign_in


@pytest.fixture
def new_page(browser, live_server):
    """A page in a browser context of its own: another person's computer or phone."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(
            base_url=live_server.url, locale="nb-NO", accept_downloads=True, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def join_group(page, group, name):
    """Join a workshop group through /delta/, as a participant does."""
    page.goto("/delta/")
    page.locator("#id_code").fill(group.code)
    page.locator("#id_name").fill(name)
    page.locator("[name=join]").click()
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/")
