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


# --- «Lagre og lever» asks once -------------------------------------------------


def _slot(page, index, key="text"):
    return page.locator(f'textarea[data-slot="{index}"][data-key="{key}"]')


def _fill_question_4(page):
    _slot(page, 0).fill("Boliger for unge")
    _slot(page, 0, "why").fill("De flytter ellers")
    _slot(page, 1).fill("Næring")
    _slot(page, 1, "why").fill("Arbeidsplasser")


def _answer(group, number):
    from workshops.models import Answer

    return Answer.objects.filter(group=group, question__number=number).first()


@pytest.mark.parametrize("width", [390, 1280])
def test_submitting_asks_once_in_a_dialog_and_the_text_is_saved_first(
    new_page, workshop, width
):
    group = _group(workshop, 2)
    page = new_page(viewport={"width": width, "height": 900})
    join_group(page, group, "Inger")
    page.goto(f"/delta/gruppe/{group.pk}/4/")
    _fill_question_4(page)
    submit = page.get_by_role("button", name="Lagre og lever")
    submit.dblclick()  # a double press asks once
    dialog = page.get_by_role("dialog", name="Levere svaret på spørsmål 4?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Svaret blir skrivebeskyttet for hele gruppen")
    expect(page.locator("dialog[open]")).to_have_count(1)
    expect(dialog.get_by_role("link", name="Avbryt")).to_be_focused()
    # Saved while asking, and not yet submitted.
    answer = _answer(group, 4)
    assert answer.content[1] == {"text": "Næring", "why": "Arbeidsplasser"}
    assert not answer.is_submitted
    scan_accessibility(page)
    page.screenshot(path=f"{SHOTS}/journey-submit-dialog-{width}.png")

    dialog.get_by_role("link", name="Avbryt").click()
    expect(dialog).to_be_hidden()
    expect(submit).to_be_focused()
    assert not _answer(group, 4).is_submitted

    submit.click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, lever svaret").click()
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/")
    expect(page.get_by_text("Svaret er lagret og levert.")).to_be_visible()
    answer = _answer(group, 4)
    assert answer.is_submitted and answer.submitted_by == "Inger"


def test_without_javascript_submitting_asks_on_a_page(new_page, workshop):
    group = _group(workshop, 2)
    page = new_page(viewport=PHONE, java_script_enabled=False)
    join_group(page, group, "Inger")
    page.goto(f"/delta/gruppe/{group.pk}/4/")
    _fill_question_4(page)
    page.get_by_role("button", name="Lagre og lever").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Levere svaret på spørsmål 4?"
    )
    assert _answer(group, 4).content[0]["text"] == "Boliger for unge"
    page.screenshot(path=f"{SHOTS}/journey-submit-page-390.png", full_page=True)
    # Cancel: back to the answer, with the text saved.
    page.get_by_role("link", name="Avbryt").click()
    expect(_slot(page, 0)).to_have_value("Boliger for unge")
    assert not _answer(group, 4).is_submitted

    page.get_by_role("button", name="Lagre og lever").click()
    page.get_by_role("button", name="Ja, lever svaret").click()
    expect(page.get_by_text("Svaret er lagret og levert.")).to_be_visible()
    assert _answer(group, 4).is_submitted


def test_the_confirmation_page_passes_axe(new_page, workshop):
    # axe needs JavaScript: the page the form posts to without the dialog.
    group = _group(workshop, 2)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Inger")
    page.goto(f"/delta/gruppe/{group.pk}/4/")
    _fill_question_4(page)
    page.locator("[data-confirm]").evaluate(
        "button => button.removeAttribute('data-confirm')"
    )
    page.get_by_role("button", name="Lagre og lever").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Levere svaret på spørsmål 4?"
    )
    scan_accessibility(page)


# --- The group is finished ------------------------------------------------------


def _submit_all_but(group, last):
    from workshops import services

    for question in group.workshop.questions.exclude(number=last):
        answer = _answer(group, question.number)
        content = [
            {"text": f"Svar {question.number}.{index + 1}", "why": "Fordi det trengs"}
            for index in range(len(question.slots))
        ]
        services.answer_save(
            group=group,
            question=question,
            content=content,
            version=answer.version if answer else 0,
            editor="Inger",
        )
        services.answer_submit(group=group, question=question, editor="Inger")


@pytest.mark.parametrize("width", [390, 1280])
def test_after_the_last_answer_the_group_is_finished_and_reads_them_all(
    new_page, workshop, width
):
    group = _group(workshop, 2)
    _submit_all_but(group, 4)
    page = new_page(viewport={"width": width, "height": 900})
    join_group(page, group, "Inger")
    expect(page.get_by_text("Gruppen er ferdig")).to_have_count(0)
    page.goto(f"/delta/gruppe/{group.pk}/4/")
    _fill_question_4(page)
    page.get_by_role("button", name="Lagre og lever").click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, lever svaret").click()
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/")

    expect(page.get_by_role("heading", name="Gruppen er ferdig")).to_be_visible()
    for number in (1, 2, 3, 4):
        expect(page.locator(f"#finished-{number}")).to_be_visible()
    expect(page.get_by_text("Svar 1.1", exact=True)).to_be_visible()
    expect(page.get_by_text("Boliger for unge", exact=True)).to_be_visible()
    scan_accessibility(page)
    page.screenshot(path=f"{SHOTS}/journey-finished-{width}.png", full_page=True)

    take_back = page.get_by_role(
        "button", name="Trekk tilbake leveringen av spørsmål 4"
    )
    take_back.click()
    page.wait_for_url(f"**/delta/gruppe/{group.pk}/4/")
    expect(page.get_by_text("Leveringen er trukket tilbake.")).to_be_visible()
    expect(_slot(page, 0)).to_have_value("Boliger for unge")
    assert not _answer(group, 4).is_submitted


# --- The fields -----------------------------------------------------------------

CLIPBOARD = __import__("pathlib").Path(__file__).parent / "clipboard"

PASTE = """([html, text]) => {
    const area = document.activeElement;
    const data = new DataTransfer();
    if (html !== null) data.setData("text/html", html);
    data.setData("text/plain", text);
    return area.dispatchEvent(new ClipboardEvent("paste",
        {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def _paste(page, field, name):
    """Paste a real clipboard from Word or Outlook into the field."""
    import re as regex

    raw = (CLIPBOARD / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        body = raw.split("<body", 1)[-1]
        plain = regex.sub(r"<[^>]+>|<!--.*?-->", "", body, flags=regex.S)
        html = raw
    else:
        plain, html = raw, None
    field.focus()
    not_cancelled = page.evaluate(PASTE, [html, plain])
    assert not not_cancelled, f"{name}: the browser's own paste was not replaced"


@pytest.mark.parametrize("width", [390, 1280])
def test_each_field_is_named_once_with_question_item_and_part(
    new_page, workshop, width
):
    group = _group(workshop, 5)
    page = new_page(viewport={"width": width, "height": 900})
    join_group(page, group, "Silje")
    page.goto(f"/delta/gruppe/{group.pk}/2/")
    for n in (1, 2, 3):
        text = page.get_by_label(f"Spørsmål 2, punkt {n}, tekst", exact=True)
        expect(text).to_have_attribute("data-key", "text")
        expect(text).to_have_attribute("data-slot", str(n - 1))
        why = page.get_by_label(f"Spørsmål 2, punkt {n}, Hvorfor?", exact=True)
        expect(why).to_have_attribute("data-key", "why")
        # «Punkt 1» is shown once (the legend), not again above the field.
        visible = page.get_by_text(f"Punkt {n}", exact=True).filter(visible=True)
        expect(visible).to_have_count(1)
    scan_accessibility(page)
    page.screenshot(path=f"{SHOTS}/journey-fields-{width}.png", full_page=True)

    page.goto(f"/delta/gruppe/{group.pk}/4/")
    expect(page.get_by_label("Spørsmål 4, del A, tekst", exact=True)).to_have_count(1)
    expect(page.get_by_label("Spørsmål 4, del B, Hvorfor?", exact=True)).to_have_count(
        1
    )
    expect(page.get_by_text("Del A", exact=True).filter(visible=True)).to_have_count(1)


def test_a_field_grows_with_its_text(new_page, workshop):
    group = _group(workshop, 5)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Silje")
    page.goto(f"/delta/gruppe/{group.pk}/2/")
    field = _slot(page, 0)
    before = field.evaluate("node => node.getBoundingClientRect().height")
    field.fill(
        "\n".join(f"Linje {n} om kollektivtilbudet i regionen" for n in range(12))
    )
    after = field.evaluate("node => node.getBoundingClientRect().height")
    assert after > before * 2
    # Nothing is cut off: the whole text fits without scrolling inside.
    assert field.evaluate("node => node.scrollHeight <= node.clientHeight + 1")


def test_word_bullets_pasted_into_an_item_fill_the_following_empty_items(
    new_page, workshop
):
    group = _group(workshop, 5)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Silje")
    page.goto(f"/delta/gruppe/{group.pk}/2/")
    _paste(page, _slot(page, 0), "word-bullets.txt")
    expect(_slot(page, 0)).to_have_value(
        "Arbeidsgruppen anbefaler at regionen:\nstyrker kollektivtilbudet"
    )
    expect(_slot(page, 1)).to_have_value("bygger ut ladeinfrastruktur")
    expect(_slot(page, 2)).to_have_value(
        "samarbeider om innkjøp\nTiltakene vurderes høsten 2025."
    )
    expect(page.locator("#id_slot-0-text-note")).to_have_text(
        "Den innlimte listen ble delt på punkt 1, 2, 3."
    )
    for index in (0, 1, 2):
        assert "•" not in _slot(page, index).input_value()
    # Saved like typing.
    _eventually(
        lambda: (
            (_answer(group, 2) or None)
            and _answer(group, 2).content[1]["text"] == "bygger ut ladeinfrastruktur"
        )
    )


def test_word_and_outlook_lists_become_items_or_clean_lines(new_page, workshop):
    group = _group(workshop, 5)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Silje")
    page.goto(f"/delta/gruppe/{group.pk}/3/")
    _paste(page, _slot(page, 0), "outlook.html")
    expect(_slot(page, 0)).to_have_value(
        "Hei alle,\nHer er innspillene fra arbeidsgruppens møte i går, som avtalt:\n"
        "Kollektivtilbudet må styrkes på kveldstid"
    )
    expect(_slot(page, 1)).to_have_value("Felles innkjøp av ladeinfrastruktur")
    expect(_slot(page, 2)).to_have_value(
        "Se rapporten på mipr.no\nMed vennlig hilsen\nArne Arbeidsgruppe"
    )

    # Windows Word, into an item whose next items are taken: the rest stays
    # in the item, as clean lines, and the page says so.
    page.goto(f"/delta/gruppe/{group.pk}/1/")
    _slot(page, 1).fill("Allerede skrevet")
    _slot(page, 2).fill("Også skrevet")
    _paste(page, _slot(page, 0), "word-windows.html")
    value = _slot(page, 0).input_value()
    assert "Flere arbeidsplasser i grønn industri\n  - Havneområdet i Moss" in value
    assert "- Bedre samferdsel" in value and "Kartlegge ledige næringsarealer" in value
    assert "·" not in value and "\t" not in value
    expect(_slot(page, 1)).to_have_value("Allerede skrevet")
    expect(page.locator("#id_slot-0-text-note")).to_contain_text(
        "resten ble lagt i punkt 1"
    )

    # A question with parts: clean lines, no bullets from Word.
    page.goto(f"/delta/gruppe/{group.pk}/4/")
    _paste(page, _slot(page, 0), "word-mac.html")
    value = _slot(page, 0).input_value()
    assert "1. Næringsutvikling – nye arbeidsplasser\n" in value
    assert "  1. Felles næringsforum\n  2. Lærlingplasser\n2. Samferdsel" in value
    expect(page.locator("#id_slot-0-text-note")).to_have_text(
        "Den innlimte listen ble beholdt som linjer."
    )


def test_the_counter_warns_before_the_limit_and_speaks_only_at_thresholds(
    new_page, workshop
):
    group = _group(workshop, 5)
    page = new_page(viewport=PHONE)
    join_group(page, group, "Silje")
    page.goto(f"/delta/gruppe/{group.pk}/2/")
    field = _slot(page, 0)
    counter = page.locator("#id_slot-0-text-count")
    live = page.locator("#id_slot-0-text-count-live")
    field.fill("x" * 1000)
    expect(counter).to_be_hidden()
    field.fill("x" * 4100)
    expect(counter).to_have_text("4\u00a0100 av 5\u00a0000 tegn")
    expect(live).to_have_text("")  # not spoken below 90 %
    field.fill("x" * 4600)
    expect(counter).to_have_text("4\u00a0600 av 5\u00a0000 tegn")
    expect(counter).to_have_attribute("data-band", "warning")
    expect(live).to_have_text("4\u00a0600 av 5\u00a0000 tegn")
    # Typing at the end of the text: the counter stays in view, above the
    # sticky save status.
    field.press("End")
    box = counter.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    page.screenshot(path=f"{SHOTS}/journey-counter-390.png")
    field.fill("x" * 5490)
    expect(counter).to_have_attribute("data-band", "over")
    expect(counter).to_contain_text("5\u00a0490 av 5\u00a0000 tegn: for langt")
    expect(live).to_contain_text("for langt")
    field.fill("x" * 4700)
    expect(live).to_contain_text("innenfor grensen igjen")
    scan_accessibility(page)


def _eventually(check, timeout=10.0):
    import time

    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.1)


def test_without_field_sizing_the_script_grows_the_field(new_page, workshop):
    # Browsers without CSS field-sizing (Firefox, Safari today): fields.js.
    group = _group(workshop, 5)
    page = new_page(viewport=PHONE)
    page.add_init_script(
        "const supports = CSS.supports.bind(CSS);"
        "CSS.supports = (...args) => !String(args[0]).includes('field-sizing')"
        " && supports(...args);"
    )
    join_group(page, group, "Silje")
    page.goto(f"/delta/gruppe/{group.pk}/2/")
    field = _slot(page, 0)
    field.evaluate("node => { node.style.fieldSizing = 'fixed'; }")
    before = field.evaluate("node => node.getBoundingClientRect().height")
    field.fill("\n".join(f"Linje {n} om kollektivtilbudet" for n in range(12)))
    assert field.evaluate("node => node.style.height") != ""
    after = field.evaluate("node => node.getBoundingClientRect().height")
    assert after > before * 2
    assert field.evaluate("node => node.scrollHeight <= node.clientHeight + 1")
