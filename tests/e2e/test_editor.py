"""The section editor in the browser: the Markdown toolbar by keyboard, the live
preview beside the text (1280 px) and below it (390 px), text kept in the
browser and offered back after a reload, a crash or an expired session, the
warning before leaving, pasting from Word and Outlook, and the conflict page
naming who saved. Each state is scanned with axe."""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
BASE = f"/strategi/{SLUG}"
PRIORITIES = "Satsingsområder"
CLIPBOARD = Path(__file__).parent / "clipboard"
TEXT = "Tekst (Markdown)"


@pytest.fixture
def demo_strategy(mipr_plan):
    """The demo plan, workshop, findings and strategy with versions 1 and 2."""
    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import workshop as workshop_demo

    workshop_demo.load(mipr_plan)
    evidence_demo.load(mipr_plan)
    return document_demo.load_strategy(mipr_plan)


@pytest.fixture
def section(demo_strategy):
    return demo_strategy.versions.get(number=2).sections.get(heading=PRIORITIES)


def _open(page, section):
    page.goto(f"{BASE}/versjon/2/seksjon/{section.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Endre «{PRIORITIES}»")
    # The script has run: the toolbar is shown.
    expect(page.get_by_role("toolbar", name="Formatering")).to_be_visible()


def _screenshot(page, name):
    """With EDITOR_SCREENSHOTS=<dir>, keep a picture of the state for a person."""
    folder = os.environ.get("EDITOR_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"editor-{name}.png"), full_page=True)


def _value(page):
    return page.get_by_label(TEXT).input_value()


def _selected(page):
    return page.get_by_label(TEXT).evaluate(
        "area => area.value.slice(area.selectionStart, area.selectionEnd)"
    )


def _focused(page):
    return page.evaluate(
        "() => document.activeElement.id || document.activeElement.textContent"
    )


def _kept(page):
    """The editor's drafts in this browser: {key: text}."""
    return page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage)
            .filter(key => key.includes(':section:'))
            .map(key => [key, JSON.parse(localStorage.getItem(key)).body]))"""
    )


def _wait_kept(page, text):
    page.wait_for_function(
        """(text) => Object.keys(localStorage).some(key => key.includes(':section:')
            && JSON.parse(localStorage.getItem(key)).body === text)""",
        arg=text,
    )


def _saving(response):
    """The form's POST, not the preview's."""
    return response.request.method == "POST" and "forhandsvisning" not in response.url


def _lf(text):
    return text.replace("\r\n", "\n")


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


# --- The toolbar ----------------------------------------------------------------


def test_the_toolbar_works_by_keyboard_alone(page, sign_in, section):
    sign_in(page, "arbeidsgruppe")
    _open(page, section)
    toolbar = page.get_by_role("toolbar", name="Formatering")
    names = toolbar.get_by_role("button").all_inner_texts()
    assert names == [
        "Overskrift",
        "Fet",
        "Kursiv",
        "Punktliste",
        "Nummerert liste",
        "Lenke",
        "Sitat",
    ]
    scan_accessibility(page)  # the editor with the toolbar

    area = page.get_by_label(TEXT)
    page.locator("#id_heading").focus()
    # The toolbar is one tab stop between the heading and the text.
    page.keyboard.press("Tab")
    assert _focused(page) == "Overskrift"
    page.keyboard.press("Tab")
    assert _focused(page) == "id_body"

    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.type("Tre satsinger")
    page.keyboard.press("Shift+Tab")
    assert _focused(page) == "Overskrift"
    page.keyboard.press("Enter")
    # The focus is back in the text, at the same place in the line.
    assert _focused(page) == "id_body"
    assert _value(page) == "### Tre satsinger"

    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Vi vil vokse")
    page.keyboard.press("Shift+ControlOrMeta+ArrowLeft")
    assert _selected(page) == "vokse"
    page.keyboard.press("Shift+Tab")
    # Arrow keys move inside the toolbar, and wrap around.
    page.keyboard.press("ArrowRight")
    assert _focused(page) == "Fet"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert _focused(page) == "Sitat"
    page.keyboard.press("Home")
    assert _focused(page) == "Overskrift"
    page.keyboard.press("End")
    assert _focused(page) == "Sitat"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    assert _value(page) == "### Tre satsinger\n\nVi vil **vokse**"
    assert _selected(page) == "vokse"  # still selected: press again to undo
    # The toolbar remembers the last button: Shift+Tab lands on «Fet».
    page.keyboard.press("Shift+Tab")
    assert _focused(page) == "Fet"
    page.keyboard.press("Enter")
    assert _value(page) == "### Tre satsinger\n\nVi vil vokse"
    page.keyboard.press("ControlOrMeta+i")
    assert _value(page) == "### Tre satsinger\n\nVi vil *vokse*"
    assert _selected(page) == "vokse"

    # A list on a new line: an empty line before it, so that it is a list.
    page.keyboard.press("End")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Næring")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _focused(page) == "Punktliste"
    page.keyboard.press("Enter")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("- Samferdsel")
    assert _value(page) == (
        "### Tre satsinger\n\nVi vil *vokse*\n\n- Næring\n- Samferdsel"
    )

    # A link around the selected words, with the address selected to type over.
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Les planen")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    assert _focused(page) == "Lenke"
    page.keyboard.press("Enter")
    assert _selected(page) == "https://"
    page.keyboard.type("https://mipr.no/plan")
    assert _value(page).endswith("\n\n[Les planen](https://mipr.no/plan)")

    # Numbered list and quote over several selected lines.
    area.evaluate(
        "area => { area.value = 'Én\\nTo\\nTre'; area.setSelectionRange(0, 10); }"
    )
    area.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert _focused(page) == "Nummerert liste"
    page.keyboard.press("Enter")
    assert _value(page) == "1. Én\n2. To\n3. Tre"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    assert _value(page) == "> 1. Én\n> 2. To\n> 3. Tre"
    # Ctrl+Z undoes a button's change, as it undoes typing.
    page.keyboard.press("ControlOrMeta+z")
    assert _value(page) == "1. Én\n2. To\n3. Tre"

    # The preview (beside the text at this width) shows what the buttons made.
    preview = page.locator("#editor-preview")
    expect(preview.locator("ol > li")).to_have_text(["Én", "To", "Tre"])
    scan_accessibility(page)  # the editor with text and preview


def test_the_toolbar_is_not_there_without_javascript(browser, live_server, section):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="sekretariat"))
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{BASE}/versjon/2/seksjon/{section.pk}/")
    expect(page.get_by_role("toolbar")).to_have_count(0)
    expect(page.locator("#editor-preview")).to_be_hidden()
    page.get_by_label(TEXT).fill("- Én\n- To")
    page.get_by_role("button", name="Forhåndsvis", exact=True).click()
    # The server's preview, below the text.
    preview = page.locator("#editor-preview")
    expect(preview.locator("ul > li")).to_have_text(["Én", "To"])
    assert _box(preview)["y"] > _box(page.get_by_label(TEXT))["y"]
    context.close()


# --- The preview ----------------------------------------------------------------

MARKDOWN = "### Mål\n\nVi satser på:\n\n- Næringsutvikling\n- Samferdsel\n"


def test_the_preview_sits_beside_the_text_at_1280_px(new_page, sign_in, section):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, "sekretariat")
    _open(page, section)
    area = page.get_by_label(TEXT)
    preview = page.locator("#editor-preview")
    # Shown at once, with the saved text.
    expect(preview.locator(".section-body h3").first).to_be_visible()
    with page.expect_response("**/forhandsvisning/") as response:
        area.fill(MARKDOWN)
    assert response.value.status == 200
    expect(preview.locator("h3")).to_have_text("Mål")
    expect(preview.locator("ul > li")).to_have_text(["Næringsutvikling", "Samferdsel"])
    text, shown = _box(area), _box(preview)
    assert shown["x"] >= text["x"] + text["width"]  # beside, to the right
    assert abs(shown["y"] - _box(page.locator(".editor-write"))["y"]) < 2  # level
    assert shown["width"] > 400 and text["width"] > 400
    # Not taller than the text column: a long preview scrolls inside.
    area.fill("\n\n".join(f"Avsnitt {n}." for n in range(80)))
    expect(preview.locator("p").last).to_have_text("Avsnitt 79.")
    column = _box(page.locator(".editor-write"))
    assert _box(preview)["height"] <= column["height"] + 1
    assert preview.evaluate("node => node.scrollHeight > node.clientHeight")
    area.fill(MARKDOWN)
    expect(preview.locator("ul > li")).to_have_text(["Næringsutvikling", "Samferdsel"])
    _screenshot(page, "1280")
    scan_accessibility(page)  # the editor with the preview beside


def test_the_preview_comes_below_the_text_on_a_phone(new_page, sign_in, section):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    sign_in(page, "sekretariat")
    _open(page, section)
    area = page.get_by_label(TEXT)
    preview = page.locator("#editor-preview")
    expect(preview).to_be_hidden()
    area.fill(MARKDOWN)
    page.get_by_role("button", name="Forhåndsvis", exact=True).click()
    expect(preview.locator("ul > li")).to_have_text(["Næringsutvikling", "Samferdsel"])
    # No page load: the preview is fetched, and the focus goes to it.
    assert page.url.endswith(f"/seksjon/{section.pk}/")
    expect(preview).to_be_focused()
    text, shown = _box(area), _box(preview)
    assert shown["y"] >= text["y"] + text["height"]  # below
    assert shown["x"] < text["x"] + 20 and shown["width"] >= text["width"] - 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # From then on it follows the text.
    area.fill("Bare *ett* avsnitt.")
    expect(preview.locator(".section-body")).to_have_text("Bare ett avsnitt.")
    expect(preview.locator("em")).to_have_text("ett")
    _screenshot(page, "390")
    scan_accessibility(page)  # the editor on a phone with the preview


def test_the_preview_refuses_text_over_the_limit_with_a_message(page, sign_in, section):
    from strategy.writing import MAX_BODY

    sign_in(page, "sekretariat")
    _open(page, section)
    page.get_by_label(TEXT).evaluate(
        "(area, size) => { area.value = 'a'.repeat(size);"
        " area.dispatchEvent(new Event('input', {bubbles: true})); }",
        MAX_BODY + 1,
    )
    expect(page.locator("#preview-state")).to_have_text(
        "Teksten er for lang: maks 200 000 tegn (den har 200001)."
    )


# --- Kept text ------------------------------------------------------------------


def test_text_is_offered_back_after_a_reload_and_a_crash(page, sign_in, section):
    from strategy.models import Section

    sign_in(page, "sekretariat")
    _open(page, section)
    text = "Teksten jeg skrev før nettleseren krasjet."
    page.get_by_label(TEXT).fill(text)
    _wait_kept(page, text)

    # Reloaded without saving (the leave warning accepted).
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.get_by_label(TEXT)).to_have_value(section.body)
    notice = page.locator("#editor-draft")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("heading")).to_have_text("Tekst som ikke er lagret")
    expect(notice.locator("p").first).to_have_text(
        re.compile(
            r"^Denne nettleseren har tatt vare på tekst du skrev i denne delen "
            r"kl\. \d\d:\d\d, men som ikke ble lagret\.$"
        )
    )
    notice.get_by_text("Vis teksten").click()
    expect(notice.locator("pre")).to_have_text(text)
    _screenshot(page, "draft")
    scan_accessibility(page)  # the editor offering kept text

    # Discarded: gone, also after the next reload.
    notice.get_by_role("button", name="Forkast").click()
    expect(notice).to_be_hidden()
    expect(page.get_by_text("Teksten er forkastet.")).to_be_visible()
    expect(page.get_by_label(TEXT)).to_be_focused()
    assert _kept(page) == {}

    # A crash: the tab goes without a warning, the text stays in the browser.
    page.get_by_label(TEXT).fill(text)
    _wait_kept(page, text)
    context = page.context
    page.close()
    page = context.new_page()
    _open(page, section)
    notice = page.locator("#editor-draft")
    notice.get_by_role("button", name="Gjenopprett teksten").click()
    expect(page.get_by_label(TEXT)).to_have_value(text)
    expect(
        page.get_by_text("Teksten er gjenopprettet. Den er ikke lagret ennå.")
    ).to_be_visible()
    expect(notice).to_be_hidden()
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    assert Section.objects.get(pk=section.pk).body == text

    # Saved: nothing is offered any more, and nothing is kept.
    _open(page, section)
    expect(page.locator("#editor-draft")).to_be_hidden()
    assert _kept(page) == {}


def test_text_is_offered_back_after_the_session_expired(page, sign_in, section):
    from django.contrib.sessions.models import Session

    from strategy.models import Section

    sign_in(page, "sekretariat")
    _open(page, section)
    text = "Skrevet mens økten gikk ut."
    page.get_by_label(TEXT).fill(text)
    _wait_kept(page, text)
    Session.objects.all().delete()  # idle too long: signed out on the server

    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url("**/logg-inn/**")
    page.get_by_label("Brukernavn").fill("sekretariat")
    page.get_by_label("Passord").fill("mipr-demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**{BASE}/versjon/2/seksjon/{section.pk}/")
    assert Section.objects.get(pk=section.pk).body == section.body

    notice = page.locator("#editor-draft")
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="Gjenopprett teksten").click()
    expect(page.get_by_label(TEXT)).to_have_value(text)
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    expect(page.get_by_text("Delen er lagret.")).to_be_visible()
    assert _lf(Section.objects.get(pk=section.pk).body) == text
    _open(page, section)
    expect(page.locator("#editor-draft")).to_be_hidden()
    assert _kept(page) == {}


def test_text_from_an_older_revision_is_saved_through_the_conflict_page(
    page, sign_in, section
):
    """Restored text written before someone else saved does not replace their
    text unseen: saving it shows both."""
    from django.contrib.auth import get_user_model

    from strategy import writing

    sign_in(page, "sekretariat")
    _open(page, section)
    mine = "Min tekst fra i går."
    page.get_by_label(TEXT).fill(mine)
    _wait_kept(page, mine)
    page.close()
    writing.section_save(
        section=section,
        heading=section.heading,
        body="Arnes tekst.",
        revision=section.revision,
        by=get_user_model().objects.get(username="arbeidsgruppe"),
    )
    page = page.context.new_page()
    _open(page, section)
    notice = page.locator("#editor-draft")
    expect(notice).to_contain_text("Delen er lagret på nytt siden da.")
    notice.get_by_role("button", name="Gjenopprett teksten").click()
    with page.expect_response(_saving) as response:
        page.get_by_role("button", name="Lagre", exact=True).click()
    assert response.value.status == 409
    alert = page.get_by_role("alert")
    expect(alert.locator(".saved-markdown")).to_have_text("Arnes tekst.")
    expect(alert.locator("dd").first).to_contain_text("Arne Arbeidsgruppe kl.")
    expect(page.get_by_label(TEXT)).to_have_value(mine)


# --- Leaving --------------------------------------------------------------------


def test_leaving_with_unsaved_text_asks_first_but_saving_does_not(
    page, sign_in, section
):
    from strategy.models import Section

    sign_in(page, "arbeidsgruppe")
    _open(page, section)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    # Nothing typed: leaving is not asked about.
    page.get_by_role("link", name="Versjon 2", exact=True).click()
    page.wait_for_url(f"**{BASE}/versjon/2/")
    assert dialogs == []

    _open(page, section)
    page.get_by_label(TEXT).click()
    page.keyboard.type(" Og litt til.")
    page.get_by_role("link", name="Versjon 2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Endre «{PRIORITIES}»")
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/seksjon/{section.pk}/")

    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    assert dialogs == ["beforeunload"]
    assert Section.objects.get(pk=section.pk).body.endswith("Og litt til.")


# --- Pasting --------------------------------------------------------------------

PASTED = {
    "word-windows.html": (
        "### Næringsutvikling i Mosseregionen\n\n"
        "Regionen skal bli **Østlandets mest attraktive** sted å etablere seg, "
        "og vi vil *samarbeide tett* med næringslivet.\n\n"
        "### Mål for perioden\n\n"
        "- Flere arbeidsplasser i **grønn industri**\n"
        "    - Havneområdet i Moss\n"
        "- Bedre samferdsel\n\n"
        "#### Tiltak\n\n"
        "1. Etablere et felles næringsforum\n"
        "2. Kartlegge ledige næringsarealer\n\n"
        "Kilde: **SSB**, tabell 07459."
    ),
    "word-mac.html": (
        "### Satsingsområder\n\n"
        "Rådet prioriterer *tre* områder i perioden:\n\n"
        "1. **Næringsutvikling** – nye arbeidsplasser\n"
        "    1. Felles næringsforum\n"
        "    2. Lærlingplasser\n"
        "2. **Samferdsel**\n"
        "3. **Attraktivitet**\n\n"
        "*Vedtatt i rådsmøtet 11. april.*"
    ),
    "outlook.html": (
        "Hei alle,\n\n"
        "Her er innspillene fra **arbeidsgruppens møte** i går, som *avtalt*:\n\n"
        "- Kollektivtilbudet må styrkes på kveldstid\n"
        "- Felles innkjøp av **ladeinfrastruktur**\n"
        "- Se rapporten på [mipr.no](https://www.mipr.no/rapport-2025)\n\n"
        "Med vennlig hilsen\n\n"
        "**Arne Arbeidsgruppe**"
    ),
    "outlook-web.html": (
        "Forslag til **nye tiltak** fra dialogmøtet:\n\n"
        "1. Fritidskort for alle barn\n"
        "2. *Felles* kulturkalender\n\n"
        "Hilsen Sara\nMIPR-sekretariatet"
    ),
    "word-bullets.txt": (
        "Arbeidsgruppen anbefaler at regionen:\n\n"
        "- styrker kollektivtilbudet\n"
        "- bygger ut ladeinfrastruktur\n"
        "- samarbeider om innkjøp\n\n"
        "Tiltakene vurderes høsten 2025."
    ),
}

PASTE = """(area, [html, text]) => {
    const data = new DataTransfer();
    if (html !== null) data.setData("text/html", html);
    data.setData("text/plain", text);
    area.focus();
    return area.dispatchEvent(new ClipboardEvent("paste",
        {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def _paste(page, name):
    raw = (CLIPBOARD / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        # What Word and Outlook put beside the HTML: the text without markup.
        plain = re.sub(r"<[^>]+>|<!--.*?-->", "", raw.split("<body", 1)[-1], flags=re.S)
        html = raw
    else:
        plain, html = raw, None
    area = page.get_by_label(TEXT)
    area.fill("")
    not_cancelled = area.evaluate(PASTE, [html, plain])
    assert not not_cancelled, f"{name}: the browser's own paste was not replaced"
    return _value(page)


@pytest.mark.parametrize("name", sorted(PASTED))
def test_pasting_keeps_the_structure_and_drops_the_rest(page, sign_in, section, name):
    sign_in(page, "sekretariat")
    _open(page, section)
    assert _paste(page, name) == PASTED[name]
    # And the preview shows it as the page will.
    preview = page.locator("#editor-preview")
    expect(preview.locator("li").first).to_be_visible()
    assert "mso" not in preview.inner_html() and "<img" not in preview.inner_html()


def test_pasting_into_the_middle_of_a_text_keeps_the_paragraphs_apart(
    page, sign_in, section
):
    sign_in(page, "sekretariat")
    _open(page, section)
    area = page.get_by_label(TEXT)
    area.fill("Før.Etter.")
    area.evaluate("area => area.setSelectionRange(4, 4)")
    plain = (CLIPBOARD / "word-bullets.txt").read_text(encoding="utf-8")
    area.evaluate(PASTE, [None, plain])
    assert _value(page) == f"Før.\n\n{PASTED['word-bullets.txt']}\n\nEtter."
    # Undo takes the whole paste back.
    page.keyboard.press("ControlOrMeta+z")
    assert _value(page) == "Før.Etter."


def test_plain_text_without_bullets_is_pasted_by_the_browser(page, sign_in, section):
    sign_in(page, "sekretariat")
    _open(page, section)
    area = page.get_by_label(TEXT)
    area.fill("")
    not_cancelled = area.evaluate(PASTE, [None, "Bare en linje."])
    assert not_cancelled  # left to the browser


# --- The conflict page ----------------------------------------------------------


def _saved_at(section):
    from strategy.models import SectionRevision

    newest = SectionRevision.objects.filter(section=section).order_by("-revision")[0]
    return timezone.localtime(newest.saved_at).strftime("%H:%M")


def test_the_conflict_page_names_the_colleague_who_saved(new_page, sign_in, section):
    arne, sara = new_page(), new_page()
    sign_in(arne, "arbeidsgruppe")
    sign_in(sara, "sekretariat")
    _open(arne, section)
    _open(sara, section)
    arne.get_by_label(TEXT).fill("Arnes tekst.")
    arne.get_by_role("button", name="Lagre", exact=True).click()
    arne.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")

    sara.get_by_label(TEXT).fill("Saras tekst.")
    with sara.expect_response(_saving) as response:
        sara.get_by_role("button", name="Lagre", exact=True).click()
    assert response.value.status == 409
    alert = sara.get_by_role("alert")
    expect(alert.get_by_role("heading", level=2)).to_have_text(
        "Noen andre lagret denne delen mens du redigerte"
    )
    expect(alert.locator("dt").first).to_have_text("Lagret av")
    expect(alert.locator("dd").first).to_have_text(
        f"Arne Arbeidsgruppe kl. {_saved_at(section)}"
    )
    expect(sara.get_by_label(TEXT)).to_have_value("Saras tekst.")
    # The unsaved text is kept in the browser too, and nothing else is offered.
    _wait_kept(sara, "Saras tekst.")
    expect(sara.locator("#editor-draft")).to_be_hidden()
    _screenshot(sara, "conflict")
    scan_accessibility(sara)  # the editor with the conflict page


def test_the_conflict_page_says_it_was_oneself_in_another_tab(page, sign_in, section):
    from strategy.models import Section

    sign_in(page, "sekretariat")
    first = page
    second = page.context.new_page()  # another tab of the same browser
    _open(first, section)
    _open(second, section)
    first.get_by_label(TEXT).fill("Fra den første fanen.")
    _wait_kept(first, "Fra den første fanen.")
    second.get_by_label(TEXT).fill("Fra den andre fanen.")
    _wait_kept(second, "Fra den andre fanen.")
    # Two tabs keep their text apart.
    assert sorted(_kept(first).values()) == [
        "Fra den andre fanen.",
        "Fra den første fanen.",
    ]
    first.get_by_role("button", name="Lagre", exact=True).click()
    first.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")

    with second.expect_response(_saving) as response:
        second.get_by_role("button", name="Lagre", exact=True).click()
    assert response.value.status == 409
    alert = second.get_by_role("alert")
    expect(alert.get_by_role("heading", level=2)).to_have_text(
        "Du lagret denne delen i en annen fane mens du redigerte her"
    )
    expect(alert.locator("dd").first).to_have_text(
        f"deg selv, i en annen fane, kl. {_saved_at(section)}"
    )
    scan_accessibility(second)  # the conflict page, oneself in another tab

    # Saving again replaces the first tab's text, knowingly; nothing is left.
    second.get_by_role("button", name="Lagre", exact=True).click()
    second.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    assert Section.objects.get(pk=section.pk).body == "Fra den andre fanen."
    _open(second, section)
    expect(second.locator("#editor-draft")).to_be_hidden()
    assert _kept(second) == {}
