"""The answer page's live state (issue 16), in the browser at 390 px.

Two members of a group see each other and each other's text without a reload;
a closed workshop or a new group code locks the form with a banner and a box
with what was not saved; refused text survives a reload; a reload with older
local text asks; the save status stays in view without covering the field.

A page beats every 7 s; the tests wake a beat at once the way the page does
when it becomes visible again (a visibilitychange event), where waiting would
only make them slow.
"""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import join_group, scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
SHOTS = "var/screenshots"
SAVED = re.compile(r"^(Lagret|Saved) \d{2}:\d{2}$")
KEEP_MINE = re.compile(r"^(Behold min tekst|Keep my text)$")
AUTOSAVE = "**/autolagring/"


@pytest.fixture
def workshop(mipr_plan):
    from demo import workshop as demo

    return demo.load(mipr_plan)


def _slot(page, index, key="text"):
    return page.locator(f'textarea[data-slot="{index}"][data-key="{key}"]')


def _open(page, group, number):
    page.goto(f"/delta/gruppe/{group.pk}/{number}/")
    expect(page.locator("#answer-form")).to_be_visible()


def _wake(page):
    """Beat now, as a page that becomes visible again does."""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def _expect_saved(page, timeout=10_000):
    state = page.locator("#save-state")
    expect(state).to_have_attribute("data-state", "saved", timeout=timeout)
    expect(state).to_have_text(SAVED)


def _stored(group, question) -> list[dict]:
    from workshops.models import Answer

    answer = Answer.objects.filter(group=group, question=question).first()
    return question.fit_content(answer.content) if answer else []


def _eventually(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("never came true")
        time.sleep(0.1)


def _local_copy(page, group, question):
    raw = page.evaluate(
        "key => localStorage.getItem(key)", f"mipr-answer-{group.pk}-{question.pk}"
    )
    return json.loads(raw) if raw else None


def _shot(page, name):
    width = page.viewport_size["width"]
    page.screenshot(path=f"{SHOTS}/live-{name}-{width}.png", full_page=False)


def _two_members(new_page, group, number, viewport=PHONE):
    simen, inger = new_page(viewport=viewport), new_page(viewport=viewport)
    join_group(simen, group, "Simen")
    join_group(inger, group, "Inger")
    _open(simen, group, number)
    _open(inger, group, number)
    return simen, inger


# --- Together ---------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390", "1280"])
def test_members_see_who_writes_where_and_new_text_merges_without_reload(
    new_page, workshop, viewport
):
    group, question = workshop.groups.get(number=1), workshop.questions.get(number=2)
    simen, inger = _two_members(new_page, group, 2, viewport)

    _slot(inger, 1).focus()
    with inger.expect_response("**/puls/"):
        _wake(inger)
    _wake(simen)
    presence = simen.locator("#presence")
    expect(presence).to_contain_text("Inger skriver i punkt 2", timeout=5_000)

    _slot(inger, 1).fill("Lærlingplasser i kommunene")
    _expect_saved(inger)
    # Simen has not touched item 2: Inger's text arrives without a reload.
    _wake(simen)
    expect(_slot(simen, 1)).to_have_value("Lærlingplasser i kommunene")
    expect(simen.locator(".conflict")).to_have_count(0)
    _shot(simen, "presence")

    # Simen writes item 1 while Inger's page is idle: it reaches her too.
    _slot(simen, 0).fill("Næringsforum hvert kvartal")
    _expect_saved(simen)
    _wake(inger)
    expect(_slot(inger, 0)).to_have_value("Næringsforum hvert kvartal")
    expect(inger.locator("#presence")).to_contain_text("Simen")
    content = _stored(group, question)
    assert [c["text"] for c in content[:2]] == [
        "Næringsforum hvert kvartal",
        "Lærlingplasser i kommunene",
    ]


def test_newer_text_in_the_item_being_edited_asks_which_to_keep(new_page, workshop):
    group, question = workshop.groups.get(number=1), workshop.questions.get(number=2)
    simen, inger = _two_members(new_page, group, 2)

    # Simen's saves do not get through, so his item 1 is being edited here.
    simen.route(AUTOSAVE, lambda route: route.abort())
    _slot(simen, 0).fill("Simens forslag")
    expect(simen.locator("#save-state")).to_have_attribute("data-state", "error")

    _slot(inger, 0).fill("Ingers forslag")
    _expect_saved(inger)
    _wake(simen)
    conflict = simen.locator('fieldset[data-slot="0"] .conflict')
    expect(conflict).to_contain_text("Ingers forslag")
    expect(conflict).to_contain_text("Inger")
    expect(_slot(simen, 0)).to_have_value("Simens forslag")  # never overwritten
    expect(simen.locator("#save-state")).to_have_attribute("data-state", "conflict")
    scan_accessibility(simen)
    _shot(simen, "conflict")

    simen.unroute(AUTOSAVE)
    conflict.get_by_role("button", name=KEEP_MINE).click()
    expect(conflict).to_have_count(0)
    _expect_saved(simen)
    _eventually(lambda: _stored(group, question)[0]["text"] == "Simens forslag")


# --- Shut out -----------------------------------------------------------------------


def test_closing_the_workshop_locks_the_form_and_keeps_what_was_not_saved(
    new_page, workshop, sign_in
):
    group, question = workshop.groups.get(number=1), workshop.questions.get(number=3)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Simen")
    _open(page, group, 3)
    page.route(AUTOSAVE, lambda route: route.abort())
    _slot(page, 0).fill("Tekst som ikke rakk å bli lagret")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "error")

    staff = sign_in(new_page(viewport=WIDE), "sekretariat")
    staff.goto(f"/workshop/{workshop.pk}/")
    staff.get_by_role("button", name="Lukk workshopen").click()
    staff.get_by_role("dialog").get_by_role(
        "button", name="Ja, lukk workshopen"
    ).click()
    expect(staff.get_by_text("Workshopen er nå lukket.")).to_be_visible()

    _wake(page)
    banner = page.locator("#live-banner [role=alert]")
    expect(banner).to_contain_text("Workshopen er lukket")
    expect(_slot(page, 0)).to_have_js_property("readOnly", True)
    expect(page.locator("#answer-form button[type=submit]").first).to_be_disabled()
    box = page.locator("#unsaved-text")
    expect(box).to_have_value(re.compile("Tekst som ikke rakk å bli lagret"))
    expect(page.get_by_role("button", name="Kopier")).to_be_visible()
    # The banner is at the top of the page, above the question.
    assert (
        banner.bounding_box()["y"]
        < page.get_by_role("heading", level=1).bounding_box()["y"]
    )
    assert (
        _local_copy(page, group, question)["content"][0]["text"]
        == "Tekst som ikke rakk å bli lagret"
    )
    assert _stored(group, question) == []
    scan_accessibility(page)
    _shot(page, "closed")
    page.set_viewport_size(WIDE)
    _shot(page, "closed")

    # Reloaded, the page is read-only, and still offers what was not saved.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#answer-form")).to_have_count(0)
    expect(page.locator("#answer-kept #unsaved-text")).to_have_value(
        "Tekst som ikke rakk å bli lagret"
    )
    scan_accessibility(page)


def test_a_new_code_locks_the_form_at_the_next_save_and_says_join_again(
    new_page, workshop, sign_in
):
    group = workshop.groups.get(number=2)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Kari")
    _open(page, group, 1)

    staff = sign_in(new_page(viewport=WIDE), "sekretariat")
    staff.goto(f"/workshop/{workshop.pk}/")
    staff.get_by_role("button", name=re.compile(r"^Ny kode\s?for Gruppe 2$")).click()
    staff.get_by_role("dialog").get_by_role("button", name="Ja, lag ny kode").click()
    expect(staff.get_by_text("Gruppe 2 har fått ny kode")).to_be_visible()

    # The refused save locks the page at once, without waiting for a beat.
    _slot(page, 0).fill("Mitt punkt etter ny kode")
    banner = page.locator("#live-banner [role=alert]")
    expect(banner).to_contain_text("Koden til gruppen er byttet")
    expect(banner.get_by_role("link", name="Bli med på nytt")).to_have_attribute(
        "href", "/delta/"
    )
    expect(page.locator("#unsaved-text")).to_have_value(
        re.compile("Mitt punkt etter ny kode")
    )
    expect(_slot(page, 0)).to_have_js_property("readOnly", True)
    scan_accessibility(page)
    _shot(page, "code-changed")


@pytest.mark.parametrize("script", [False, True], ids=["no-js", "js"])
def test_a_save_with_the_button_after_closing_shows_the_text_back(
    new_page, workshop, script
):
    from workshops import services
    from workshops.models import WorkshopStatus

    group = workshop.groups.get(number=1)
    page = new_page(viewport=PHONE, java_script_enabled=script)
    join_group(page, group, "Ivar")
    _open(page, group, 3)
    # Typed without an input event, so that the script (if any) does not save.
    _slot(page, 0).evaluate("(node) => { node.value = 'Skrevet, ikke lagret'; }")
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    page.locator("button[name=action][value=save]").click()
    expect(page.get_by_role("alert")).to_contain_text("Workshopen er lukket")
    expect(page.locator("#unsaved-text")).to_have_value(
        re.compile("Skrevet, ikke lagret")
    )
    expect(page.get_by_role("link", name="Tilbake til svaret")).to_be_visible()
    if script:  # axe runs as a script
        expect(page.get_by_role("button", name="Kopier")).to_be_visible()
        scan_accessibility(page)
    _shot(page, f"refused-save-{'js' if script else 'nojs'}")


# --- Refused text and reloads --------------------------------------------------------


def test_text_refused_as_too_long_survives_reload_and_back(new_page, workshop):
    from workshops.models import MAX_TEXT

    group, question = workshop.groups.get(number=1), workshop.questions.get(number=3)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Simen")
    _open(page, group, 3)
    _slot(page, 1).fill("Et kort punkt")
    _expect_saved(page)
    long_text = "Langt " * (MAX_TEXT // 6 + 10)
    _slot(page, 0).fill(long_text)
    state = page.locator("#save-state")
    expect(state).to_have_attribute("data-state", "error")
    expect(state).to_contain_text("Ikke lagret")
    scan_accessibility(page)
    _shot(page, "refused")

    for leave in ("reload", "back"):
        if leave == "reload":
            page.reload()
        else:
            page.goto(f"/delta/gruppe/{group.pk}/")
            page.go_back()
        expect(_slot(page, 0)).to_have_value(long_text)
        expect(state).to_have_attribute("data-state", "error")
        expect(state).not_to_contain_text("Sist lagret")
        expect(state).to_contain_text("Ikke lagret")
        assert _local_copy(page, group, question)["content"][0]["text"] == long_text
    assert _stored(group, question)[0]["text"] == ""
    assert _stored(group, question)[1]["text"] == "Et kort punkt"


def test_a_megabyte_pasted_is_refused_kept_and_the_page_stays_responsive(
    new_page, workshop
):
    group = workshop.groups.get(number=1)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Simen")
    _open(page, group, 3)
    started = time.monotonic()
    page.evaluate(
        """(node) => {
            node.value = "Limt inn ".repeat(1024 * 1024 / 9);
            node.dispatchEvent(new Event("input", {bubbles: true}));
        }""",
        _slot(page, 0).element_handle(),
    )
    state = page.locator("#save-state")
    expect(state).to_have_attribute("data-state", "error")
    expect(state).to_contain_text("Ikke lagret")
    # Still answering: typing in another item is saved as usual.
    _slot(page, 1).fill("Et annet punkt")
    expect(_slot(page, 1)).to_have_value("Et annet punkt")
    assert time.monotonic() - started < 10
    length = page.evaluate(
        "(node) => node.value.length", _slot(page, 0).element_handle()
    )
    assert length > 1_000_000


def test_a_reload_with_older_local_text_shows_both_and_asks(new_page, workshop):
    from workshops import services

    group, question = workshop.groups.get(number=1), workshop.questions.get(number=1)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Simen")
    _open(page, group, 1)
    page.route(AUTOSAVE, lambda route: route.abort())
    _slot(page, 0).fill("Min lokale tekst")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "error")

    # Meanwhile someone else saves the same item.
    answer = group.answers.get(question=question)
    content = question.fit_content(answer.content)
    content[0]["text"] = "Ingers nyere tekst"
    services.answer_save(
        group=group,
        question=question,
        content=content,
        version=answer.version,
        editor="Inger",
    )
    page.unroute(AUTOSAVE)
    page.reload()
    conflict = page.locator('fieldset[data-slot="0"] .conflict')
    expect(conflict).to_contain_text("Ingers nyere tekst")
    expect(_slot(page, 0)).to_have_value("Min lokale tekst")
    page.wait_for_timeout(1000)
    assert _stored(group, question)[0]["text"] == "Ingers nyere tekst"
    _shot(page, "reload-conflict")


def test_the_page_waits_as_long_as_a_429_says(new_page, workshop):
    group = workshop.groups.get(number=1)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Simen")
    _open(page, group, 1)
    beats = []

    def too_many(route):
        beats.append(time.monotonic())
        route.fulfill(status=429, headers={"Retry-After": "60"}, body="{}")

    page.route("**/puls/", too_many)
    with page.expect_response("**/puls/"):
        _wake(page)
    # Waking the page again (or its own timer) does not beat before a minute.
    _wake(page)
    page.wait_for_timeout(2500)
    assert len(beats) == 1


# --- The sticky status ---------------------------------------------------------------


def test_the_save_status_stays_in_view_and_never_covers_the_field(new_page, workshop):
    group = workshop.groups.get(number=1)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Simen")
    _open(page, group, 1)
    bar = page.locator("#save-state")
    for index in range(3):
        for key in ("text", "why"):
            field = _slot(page, index, key)
            field.focus()
            page.keyboard.press("Control+End")
            page.keyboard.type(" mer")
            expect(bar).to_have_attribute("data-state", re.compile("saving|saved"))
            page.wait_for_timeout(100)  # the script keeps the field clear
            box, status = field.bounding_box(), bar.bounding_box()
            height = page.viewport_size["height"]
            assert status["y"] >= 0 and status["y"] + status["height"] <= height + 1
            overlaps = (
                box["y"] < status["y"] + status["height"]
                and status["y"] < box["y"] + box["height"]
            )
            assert not overlaps, (index, key, box, status)
    _expect_saved(page)
    _shot(page, "sticky")
