"""What scripts add to a page is accessible too, and never takes the focus
(issue 10, universal design).

axe runs again after each dynamic part has appeared: the projector wall after
a poll has brought a new answer (wall.js), the answer page's autosave status in
its saved, failing and refused states and its conflict panel (answer.js), and
the PDF page's status as the export moves on (pdf.js). Before each update an
element has the focus; afterwards it still has, and the region that announced
the update is a polite live region (role="status"), not an assertive one.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import join_group, scan_accessibility, watch_csp

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
SAVED = re.compile(r"^Lagret \d{2}:\d{2}$")


@pytest.fixture
def strategy(mipr_plan):
    """The demo plan, workshop, findings and the strategy with versions 1 and 2."""
    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import workshop as workshop_demo

    workshop_demo.load(mipr_plan)
    evidence_demo.load(mipr_plan)
    return document_demo.load_strategy(mipr_plan)


@pytest.fixture
def workshop(strategy):
    from workshops.models import Workshop

    return Workshop.objects.get(process=strategy.process)


@pytest.fixture
def other_page(browser, live_server):
    """A second participant's phone, in a browser context of its own."""
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    context.set_default_timeout(10_000)
    refused = watch_csp(context)
    yield context.new_page()
    context.close()
    assert refused == [], "\n".join(refused)


def _slot(page, index, key="text"):
    return page.locator(f'textarea[data-slot="{index}"][data-key="{key}"]')


def _hold_focus(locator):
    """Focus the element and remember it, to check later that it kept the focus."""
    locator.focus()
    held = locator.evaluate("el => (window.__held = el) === document.activeElement")
    assert held, "the element did not take the focus"


def _focus_kept(page):
    focused = page.evaluate(
        "() => ({kept: document.activeElement === window.__held,"
        " now: document.activeElement.outerHTML.slice(0, 120)})"
    )
    assert focused["kept"], f"the update moved the focus to {focused['now']}"


def _polite(region):
    """The region announces politely: role=status, aria-live=polite."""
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    page = region.page
    assertive = page.locator('[aria-live="assertive"], [role="alert"]')
    expect(assertive).to_have_count(0)


# --- The projector wall ----------------------------------------------------------


def test_the_wall_after_a_poll_passes_axe_and_keeps_the_focus(page, workshop, sign_in):
    from workshops import services

    group, question = workshop.groups.get(number=3), workshop.questions.get(number=1)
    sign_in(page, "sekretariat")
    page.goto(f"/workshop/{workshop.pk}/vegg/?sporsmal=1")
    wall = page.locator("#wall-answers")
    expect(wall).not_to_contain_text("Kollektivtrafikk")
    _hold_focus(page.locator(".wall-controls a").filter(has_text="Skjul navn"))

    # Between two polls, so that the save and the wall's query do not overlap.
    with page.expect_response(lambda response: "/vegg/svar/" in response.url):
        pass
    services.answer_save(
        group=group,
        question=question,
        content=[{"text": "Kollektivtrafikk", "why": "Folk må komme seg på jobb."}],
        version=0,
        editor="Inger",
    )

    expect(wall).to_contain_text("Kollektivtrafikk", timeout=15_000)
    status = page.locator("#wall-status")
    expect(status).to_have_text("Nye svar på veggen")
    _polite(status)
    _focus_kept(page)
    scan_accessibility(page)


# --- The answer page -------------------------------------------------------------


def test_the_autosave_status_passes_axe_in_each_state_and_keeps_the_focus(
    page, workshop
):
    group = workshop.groups.get(number=5)
    join_group(page, group, "Kari")
    page.goto(f"/delta/gruppe/{group.pk}/2/")
    state = page.locator("#save-state")
    _polite(state)
    field = _slot(page, 0)
    _hold_focus(field)

    # Saved.
    page.keyboard.type("Felles innkjøp")
    expect(state).to_have_attribute("data-state", "saved")
    expect(state).to_have_text(SAVED)
    _focus_kept(page)
    scan_accessibility(page)

    # The connection drops: «Ikke lagret – prøver igjen».
    page.route("**/autolagring/", lambda route: route.abort())
    page.keyboard.type(" med bedriftene")
    expect(state).to_have_attribute("data-state", "error")
    expect(state).to_have_text("Ikke lagret – prøver igjen")
    _focus_kept(page)
    scan_accessibility(page)
    page.unroute("**/autolagring/")
    expect(state).to_have_attribute("data-state", "saved", timeout=15_000)

    # A text over the limit is refused with a message beside its field.
    _slot(page, 1).evaluate(
        "node => { node.value = 'x'.repeat(5001);"
        " node.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    message = page.locator("#id_slot-1-text-message")
    expect(message).to_contain_text("er for lang")
    expect(message).to_have_attribute("aria-live", "polite")
    expect(state).to_have_attribute("data-state", "error")
    _focus_kept(page)
    scan_accessibility(page)


def test_the_conflict_panel_passes_axe_and_keeps_the_focus(page, other_page, workshop):
    group = workshop.groups.get(number=1)
    join_group(page, group, "Ivar")
    join_group(other_page, group, "Simen")
    page.goto(f"/delta/gruppe/{group.pk}/1/")
    other_page.goto(f"/delta/gruppe/{group.pk}/1/")
    expect(_slot(page, 0)).to_have_value("Lav arbeidsdeltakelse")

    _slot(other_page, 0).fill("Arbeidsdeltakelse blant unge")
    expect(other_page.locator("#save-state")).to_have_attribute("data-state", "saved")

    field = _slot(page, 0)
    _hold_focus(field)
    with page.expect_response("**/autolagring/") as response:
        page.keyboard.press("Control+A")
        page.keyboard.type("Utenforskap")
    assert response.value.json()["outcome"] == "conflict"

    conflict = page.locator('fieldset[data-slot="0"] .conflict')
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Arbeidsdeltakelse blant unge")
    state = page.locator("#save-state")
    expect(state).to_have_attribute("data-state", "conflict")
    expect(state).to_have_text(
        page.locator("#answer-form").get_attribute("data-msg-conflict")
    )
    _polite(state)
    _focus_kept(page)
    expect(field).to_have_value("Utenforskap")
    scan_accessibility(page)


# --- The PDF page ----------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_pdf_status_passes_axe_as_the_export_moves_on_and_keeps_the_focus(
    page, strategy, media, sign_in
):
    from strategy.models import PdfExport
    from strategy.pdf import jobs
    from strategy.pdf import render as pdf

    version = strategy.versions.get(number=2)
    # An export waiting for a worker, as «Lag PDF» leaves it when a broker
    # runs the task; the live server here has none, so the test is the worker.
    export = PdfExport.objects.create(
        version=version, fingerprint=pdf.fingerprint(version, with_comments=False)
    )
    sign_in(page, "arbeidsgruppe")
    page.goto(f"/strategi/{SLUG}/pdf/{export.pk}/")
    status = page.locator("#pdf-status")
    expect(status).to_have_text("i kø")
    _polite(status)
    _hold_focus(page.get_by_role("link", name="Versjon 2"))
    scan_accessibility(page)

    PdfExport.objects.filter(pk=export.pk).update(status="running")
    expect(status).to_have_text("lages", timeout=8_000)
    _focus_kept(page)
    scan_accessibility(page)

    jobs.export_run(export_id=export.pk)
    expect(status).to_have_text("klar", timeout=8_000)
    expect(page.get_by_role("link", name="Last ned PDF-en")).to_be_visible()
    _focus_kept(page)
    scan_accessibility(page)
