"""The workshop in the browser: joining, autosave, merging, offline, the wall.

Some of the workshop's strings are not translated yet, so the selectors use
ids, names and data attributes, and text checks accept Norwegian or English.
"""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import join_group, log_in, scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"^(Lagret|Saved) \d{2}:\d{2}$")
KEEP_MINE = re.compile(r"^(Behold min tekst|Keep my text)$")


@pytest.fixture
def workshop(mipr_plan):
    from demo import workshop as demo

    return demo.load(mipr_plan)


def _group(workshop, number=1):
    return workshop.groups.get(number=number)


def _question(workshop, number):
    return workshop.questions.get(number=number)


def _open_answer(page, group, number):
    page.goto(f"/delta/gruppe/{group.pk}/{number}/")


def _slot(page, index, key="text"):
    return page.locator(f'textarea[data-slot="{index}"][data-key="{key}"]')


def _expect_saved(page, timeout=10_000):
    state = page.locator("#save-state")
    expect(state).to_have_attribute("data-state", "saved", timeout=timeout)
    expect(state).to_have_text(SAVED)


def _stored(group, question) -> list[dict]:
    from workshops.models import Answer

    answer = Answer.objects.filter(group=group, question=question).first()
    return question.fit_content(answer.content) if answer else []


def _eventually_stored(group, question, check, timeout=10.0) -> list[dict]:
    """The saved content once `check` holds for it (saves land asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        content = _stored(group, question)
        if content and check(content):
            return content
        if time.monotonic() > deadline:
            raise AssertionError(f"the saved answer never matched: {content!r}")
        time.sleep(0.1)


def _local_copy(page, group, question):
    raw = page.evaluate(
        "key => localStorage.getItem(key)", f"mipr-answer-{group.pk}-{question.pk}"
    )
    return json.loads(raw) if raw else None


# --- Joining and autosave ----------------------------------------------------------


def test_participant_on_a_phone_joins_with_the_code_and_the_answer_saves_itself(
    phone_page, workshop
):
    group, question = _group(workshop), _question(workshop, 1)
    join_group(phone_page, group, "Simen")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Gruppe 1")

    phone_page.get_by_role("link", name="Store samfunnsutfordringer").click()
    phone_page.wait_for_url(f"**/delta/gruppe/{group.pk}/1/")
    answer_url = phone_page.url
    _slot(phone_page, 0).fill("Utenforskap blant unge")
    _slot(phone_page, 0, "why").fill("Det koster dem og oss mest.")

    _expect_saved(phone_page)
    assert phone_page.url == answer_url  # saved without the Save button
    content = _eventually_stored(
        group, question, lambda c: c[0]["why"] == "Det koster dem og oss mest."
    )
    assert content[0] == {
        "text": "Utenforskap blant unge",
        "why": "Det koster dem og oss mest.",
    }
    # The other items of the demo answer are untouched.
    assert content[1]["text"] == "Kommuneøkonomien"
    assert _local_copy(phone_page, group, question) is None


def test_participant_without_javascript_saves_with_the_save_button(new_page, workshop):
    group, question = _group(workshop), _question(workshop, 2)
    page = new_page(java_script_enabled=False)
    join_group(page, group, "Ivar")
    _open_answer(page, group, 2)
    _slot(page, 0).fill("Felles innkjøp med bedriftene")
    _slot(page, 0, "why").fill("Vi får mer for pengene.")
    assert _stored(group, question) == []

    page.locator("button[name=action][value=save]").click()
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/2/")
    expect(_slot(page, 0)).to_have_value("Felles innkjøp med bedriftene")
    assert _stored(group, question)[0] == {
        "text": "Felles innkjøp med bedriftene",
        "why": "Vi får mer for pengene.",
    }


# --- Two participants of a group at once ----------------------------------------


def test_two_participants_writing_different_items_both_get_saved_and_see_each_other(
    new_page, workshop
):
    group, question = _group(workshop), _question(workshop, 2)
    simen, ivar = new_page(), new_page()
    join_group(simen, group, "Simen")
    join_group(ivar, group, "Ivar")
    _open_answer(simen, group, 2)
    _open_answer(ivar, group, 2)

    # Ivar's page still has the empty answer when Simen's text is saved, so that
    # his save is merged with Simen's rather than overwriting it.
    _slot(simen, 0).fill("Næringsforum hvert kvartal")
    _expect_saved(simen)
    with ivar.expect_response("**/autolagring/") as response:
        _slot(ivar, 1).fill("Lærlingplasser i kommunene")
    assert response.value.json()["outcome"] == "merged"
    _expect_saved(ivar)

    content = _eventually_stored(
        group, question, lambda c: c[1]["text"] == "Lærlingplasser i kommunene"
    )
    assert content[0]["text"] == "Næringsforum hvert kvartal"
    expect(_slot(ivar, 0)).to_have_value("Næringsforum hvert kvartal")

    # Simen's page learns of Ivar's item with Simen's next save.
    expect(_slot(simen, 1)).to_have_value("")
    _slot(simen, 0, "why").fill("Vi møtes for sjelden.")
    _expect_saved(simen)
    expect(_slot(simen, 1)).to_have_value("Lærlingplasser i kommunene")
    content = _eventually_stored(
        group, question, lambda c: c[0]["why"] == "Vi møtes for sjelden."
    )
    assert [slot["text"] for slot in content[:2]] == [
        "Næringsforum hvert kvartal",
        "Lærlingplasser i kommunene",
    ]


def test_two_participants_changing_the_same_item_choose_and_nothing_is_lost(
    new_page, workshop
):
    group, question = _group(workshop), _question(workshop, 1)
    simen, ivar = new_page(), new_page()
    join_group(simen, group, "Simen")
    join_group(ivar, group, "Ivar")
    _open_answer(simen, group, 1)
    _open_answer(ivar, group, 1)
    expect(_slot(ivar, 0)).to_have_value("Lav arbeidsdeltakelse")

    _slot(simen, 0).fill("Arbeidsdeltakelse blant unge")
    _expect_saved(simen)
    with ivar.expect_response("**/autolagring/") as response:
        _slot(ivar, 0).fill("Utenforskap")
    assert response.value.json()["outcome"] == "conflict"

    conflict = ivar.locator('fieldset[data-slot="0"] .conflict')
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Simen")
    expect(conflict).to_contain_text("Arbeidsdeltakelse blant unge")
    expect(ivar.locator("#save-state")).to_have_attribute("data-state", "conflict")
    expect(_slot(ivar, 0)).to_have_value("Utenforskap")
    # Nothing is overwritten while Ivar has not chosen, however long he waits.
    ivar.wait_for_timeout(1500)
    assert _stored(group, question)[0]["text"] == "Arbeidsdeltakelse blant unge"
    assert _local_copy(ivar, group, question)["content"][0]["text"] == "Utenforskap"
    scan_accessibility(ivar)

    conflict.get_by_role("button", name=KEEP_MINE).click()
    expect(conflict).to_have_count(0)
    _expect_saved(ivar)
    content = _eventually_stored(
        group, question, lambda c: c[0]["text"] == "Utenforskap"
    )
    assert content[0]["why"] == "For mange står utenfor arbeidslivet."
    assert content[1]["text"] == "Kommuneøkonomien"


def test_a_save_with_the_button_after_someone_elses_shows_their_text_beside_mine(
    page, workshop
):
    from workshops import services

    group, question = _group(workshop), _question(workshop, 1)
    join_group(page, group, "Ivar")
    _open_answer(page, group, 1)
    answer = group.answers.get(question=question)
    content = question.fit_content(answer.content)
    content[0]["text"] = "Arbeidsdeltakelse blant unge"
    services.answer_save(
        group=group,
        question=question,
        content=content,
        version=answer.version,
        editor="Simen",
    )
    # Typed without an input event, so that the script does not save first.
    _slot(page, 0).evaluate("(node) => { node.value = 'Utenforskap'; }")
    page.locator("button[name=action][value=save]").click()

    conflict = page.locator('fieldset[data-slot="0"] .conflict')
    expect(conflict).to_contain_text("Arbeidsdeltakelse blant unge")
    expect(_slot(page, 0)).to_have_value("Utenforskap")
    assert _stored(group, question)[0]["text"] == "Arbeidsdeltakelse blant unge"
    scan_accessibility(page)


# --- Offline ----------------------------------------------------------------------


def test_text_typed_offline_is_kept_on_the_phone_and_saved_when_back_online(
    new_page, workshop
):
    group, question = _group(workshop), _question(workshop, 3)
    page = new_page()
    join_group(page, group, "Simen")
    _open_answer(page, group, 3)
    _slot(page, 0).fill("Felles planstrategi")
    _expect_saved(page)

    page.context.set_offline(True)
    _slot(page, 0, "why").fill("Vi planlegger hver for oss i dag.")
    state = page.locator("#save-state")
    expect(state).to_have_attribute("data-state", "error")
    expect(state).not_to_have_text(SAVED)
    local = _local_copy(page, group, question)
    assert local["content"][0] == {
        "text": "Felles planstrategi",
        "why": "Vi planlegger hver for oss i dag.",
    }
    assert _stored(group, question)[0]["why"] == ""

    page.context.set_offline(False)
    _expect_saved(page, timeout=15_000)
    _eventually_stored(
        group, question, lambda c: c[0]["why"] == "Vi planlegger hver for oss i dag."
    )
    assert _local_copy(page, group, question) is None


def test_text_that_could_not_be_saved_comes_back_after_a_reload_and_is_saved(
    new_page, workshop
):
    group, question = _group(workshop), _question(workshop, 3)
    page = new_page()
    join_group(page, group, "Ivar")
    _open_answer(page, group, 3)
    autosave = "**/autolagring/"
    page.route(autosave, lambda route: route.abort())
    _slot(page, 1).fill("Felles tjenester på tvers")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "error")

    # Reloaded while the saves still fail: the text comes from localStorage,
    # since the server never had it.
    page.reload()
    expect(_slot(page, 1)).to_have_value("Felles tjenester på tvers")
    assert _stored(group, question) == []

    page.unroute(autosave)
    page.reload()
    expect(_slot(page, 1)).to_have_value("Felles tjenester på tvers")
    _expect_saved(page, timeout=15_000)
    content = _eventually_stored(
        group, question, lambda c: c[1]["text"] == "Felles tjenester på tvers"
    )
    assert content[0]["text"] == ""
    assert _local_copy(page, group, question) is None


# --- The facilitator ------------------------------------------------------------


def test_projector_wall_shows_a_new_answer_without_reloading_the_page(page, workshop):
    from workshops import services

    group, question = _group(workshop, 3), _question(workshop, 1)
    log_in(page, "sekretariat")
    page.goto(f"/workshop/{workshop.pk}/vegg/?sporsmal=1")
    wall = page.locator("#wall-answers")
    expect(wall).to_contain_text("Lav arbeidsdeltakelse")
    expect(wall).not_to_contain_text("Kollektivtrafikk")
    scan_accessibility(page)
    page.evaluate("window.__marker = 1")

    # Between two polls, so that the save and the wall's query do not overlap.
    with page.expect_response(
        lambda response: "/vegg/svar/" in response.url, timeout=10_000
    ) as unchanged:
        pass
    assert unchanged.value.status == 304
    services.answer_save(
        group=group,
        question=question,
        content=[{"text": "Kollektivtrafikk", "why": "Folk må komme seg på jobb."}],
        version=0,
        editor="Inger",
    )

    expect(wall).to_contain_text("Kollektivtrafikk", timeout=15_000)
    expect(wall).to_contain_text("Folk må komme seg på jobb.")
    assert page.evaluate("window.__marker") == 1
    expect(page.locator("#wall-status")).not_to_be_empty()
    scan_accessibility(page)


# --- Accessibility ----------------------------------------------------------------


def test_join_page_is_accessible_also_with_a_wrong_code(page, workshop):
    page.goto("/delta/")
    scan_accessibility(page)
    page.locator("#id_code").fill("ABCDEFG")
    page.locator("#id_name").fill("Simen")
    page.locator("[name=join]").click()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    assert page.url.endswith("/delta/")
    scan_accessibility(page)


def test_group_and_answer_pages_are_accessible(page, workshop):
    group = _group(workshop)
    join_group(page, group, "Simen")
    scan_accessibility(page)
    _open_answer(page, group, 4)
    scan_accessibility(page)


def test_facilitators_workshop_page_and_join_screen_are_accessible(page, workshop):
    log_in(page, "sekretariat")
    page.goto(f"/workshop/{workshop.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(workshop.title)
    scan_accessibility(page)
    page.goto(f"/workshop/{workshop.pk}/bli-med/")
    code = page.locator(".join-code").first
    expect(code.locator("[aria-hidden=true]")).to_have_text(_group(workshop).code)
    expect(code.locator(".visually-hidden")).to_have_text(
        "Kode: " + " ".join(_group(workshop).code)
    )
    scan_accessibility(page)
