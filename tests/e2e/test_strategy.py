"""The demo_strategy document in the browser: reading and commenting on a phone,
resolving comments, finishing reading, editing sections with preview, history
and conflicts, the diff between versions, and axe scans (issue 6)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
BASE = f"/strategi/{SLUG}"
MEASURES = "Tiltak: samarbeid med næringslivet"
PRIORITIES = "Satsingsområder"
TODAY = "Mosseregionen i dag"
COMMENT = "Ta med lærlingplasser i bedriftene som et eget tiltak."
MARKDOWN = (
    "Vi satser på tre områder:\n\n"
    "- Næringsutvikling\n"
    "- Samferdsel\n"
    "- Attraktivitet\n\n"
    "| Område | Ansvar |\n"
    "| --- | --- |\n"
    "| Næringsutvikling | Næringsforumet |\n"
    "| Samferdsel | Rådet |\n"
)


@pytest.fixture
def demo_strategy(mipr_plan):
    """The demo plan, workshop, findings and the demo_strategy with versions 1 and 2."""
    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import workshop as workshop_demo

    workshop_demo.load(mipr_plan)
    evidence_demo.load(mipr_plan)
    return document_demo.load_strategy(mipr_plan)


def _section(demo_strategy, heading, number=2):
    return demo_strategy.versions.get(number=number).sections.get(heading=heading)


def _section_block(page, heading):
    """The <section> of the reading view whose heading is «N. heading»."""
    return page.locator("section.strategy-section").filter(
        has=page.get_by_role(
            "heading", level=2, name=re.compile(rf"^\d+\. {re.escape(heading)}$")
        )
    )


def _named(label, heading):
    """A button's or link's name: «Endre: heading». The hidden part is
    absolutely positioned, so the accessible name gets a space: «Endre : …»."""
    return re.compile(rf"^{label}\s?: {re.escape(heading)}$")


def _lf(text):
    """Browsers send a textarea's line breaks as CRLF; the section keeps LF."""
    return text.replace("\r\n", "\n")


def _comment(page, text):
    return page.locator("li.comment").filter(has_text=text)


def _editor(page, demo_strategy, heading):
    section = _section(demo_strategy, heading)
    page.goto(f"{BASE}/versjon/2/seksjon/{section.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Endre «{heading}»")
    return section


# --- The journeys -----------------------------------------------------


def test_council_member_comments_on_a_phone_and_the_secretariat_resolves_it(
    phone_page, new_page, sign_in, demo_strategy
):
    from strategy.models import Comment, Review

    section = _section(demo_strategy, MEASURES)
    log_in(phone_page, "radsmedlem")
    phone_page.goto("/strategi/")
    phone_page.get_by_role("link", name="Versjon 2", exact=True).click()
    phone_page.wait_for_url(f"**{BASE}/versjon/2/")
    expect(phone_page.locator("header .lead")).to_have_text(
        "Versjon 2 – til gjennomgang"
    )
    scan_accessibility(phone_page)  # the reading view as a council member
    # Nothing makes the phone scroll sideways.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

    toc = phone_page.get_by_role("navigation", name="Innhold")
    toc.get_by_role("link", name=MEASURES, exact=True).click()
    phone_page.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    block = _section_block(phone_page, MEASURES)
    expect(block.get_by_role("heading", level=2)).to_be_in_viewport()
    # The demo's comment on version 1 stays on version 1.
    expect(block.get_by_role("heading", level=3)).to_have_text("0 kommentarer")

    # The comment form is folded behind one button, so the text reads on.
    field = block.get_by_label(f"Kommenter «{MEASURES}»")
    expect(field).to_be_hidden()
    block.get_by_text("Kommenter denne delen").click()
    field.fill(COMMENT)
    block.get_by_role("button", name="Send kommentar").click()
    expect(phone_page.get_by_text("Kommentaren din er lagret.")).to_be_visible()
    comment = Comment.objects.get(text=COMMENT)
    assert (comment.section_id, comment.author.username) == (section.pk, "radsmedlem")
    assert phone_page.url.endswith(f"/versjon/2/#comment-{comment.pk}")
    mine = _comment(phone_page, COMMENT)
    expect(mine).to_have_attribute("id", f"comment-{comment.pk}")
    expect(mine).to_contain_text("Rita Rådsmedlem")
    expect(mine.get_by_text("Åpen", exact=True)).to_be_visible()
    expect(block.get_by_role("heading", level=3)).to_have_text("1 kommentar")
    # Resolving is the secretariat's, not the council member's.
    expect(mine.get_by_role("button", name="Merk som løst")).to_have_count(0)

    secretariat = new_page()
    sign_in(secretariat, "sekretariat")
    secretariat.goto(f"{BASE}/versjon/2/")
    theirs = _comment(secretariat, COMMENT)
    expect(theirs).to_contain_text("Rita Rådsmedlem")
    theirs.get_by_role("button", name="Merk som løst").click()
    secretariat.wait_for_url(f"**{BASE}/versjon/2/#comment-{comment.pk}")
    theirs = _comment(secretariat, COMMENT)
    expect(theirs.get_by_text("Løst av Sara Sekretariat")).to_be_visible()
    expect(theirs.get_by_role("button", name="Åpne igjen")).to_be_visible()
    comment.refresh_from_db()
    assert comment.is_resolved
    assert comment.resolved_by.username == "sekretariat"
    scan_accessibility(secretariat)  # the reading view with the secretariat's tools

    phone_page.reload()
    mine = _comment(phone_page, COMMENT)
    expect(mine).to_have_class(re.compile(r"\bresolved\b"))
    expect(mine.get_by_text("Løst av Sara Sekretariat")).to_be_visible()
    expect(mine.get_by_text("Åpen", exact=True)).to_have_count(0)

    phone_page.get_by_role("button", name="Jeg er ferdig med å lese").click()
    expect(
        phone_page.get_by_text("Takk! Sekretariatet ser nå at du er ferdig med å lese.")
    ).to_be_visible()
    expect(
        phone_page.get_by_text(
            "Sekretariatet ser at du er ferdig med å lese denne versjonen. Takk!"
        )
    ).to_be_visible()
    expect(
        phone_page.get_by_role("button", name="Jeg er ferdig med å lese")
    ).to_have_count(0)
    assert Review.objects.filter(
        version__number=2, user__username="radsmedlem"
    ).exists()

    secretariat.get_by_role("link", name="Hvem som er ferdige med å lese").click()
    secretariat.wait_for_url(f"**{BASE}/versjon/2/lesere/")
    row = secretariat.locator("table tbody tr").filter(has_text="Rita Rådsmedlem")
    expect(row.locator("td").nth(1)).to_have_text(re.compile(r"^Ja, \d"))
    scan_accessibility(secretariat)  # the readers page


def test_secretariat_writes_a_section_with_a_list_and_a_table(
    page, sign_in, demo_strategy
):
    from strategy.models import Section, SectionRevision

    section = _section(demo_strategy, PRIORITIES)
    sign_in(page, "sekretariat")
    page.goto("/strategi/")
    # The newest version comes first.
    page.get_by_role("link", name=re.compile(r"^Versjon \d+$")).first.click()
    page.wait_for_url(f"**{BASE}/versjon/2/")
    page.get_by_role("link", name=_named("Endre", PRIORITIES)).click()
    page.wait_for_url(f"**{BASE}/versjon/2/seksjon/{section.pk}/")
    scan_accessibility(page)  # the section editor

    page.get_by_label("Tekst (Markdown)").fill(MARKDOWN)
    page.get_by_role("button", name="Forhåndsvis", exact=True).click()
    preview = page.locator("section.card").filter(
        has=page.get_by_role("heading", name="Forhåndsvis", exact=True)
    )
    expect(preview.locator("ul > li")).to_have_text(
        ["Næringsutvikling", "Samferdsel", "Attraktivitet"]
    )
    expect(preview.locator("table th")).to_have_text(["Område", "Ansvar"])
    # Previewing keeps the text in the editor and saves nothing.
    expect(page.get_by_label("Tekst (Markdown)")).to_have_value(MARKDOWN)
    assert Section.objects.get(pk=section.pk).body == section.body
    scan_accessibility(page)  # the section editor with a preview

    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    expect(page.get_by_text("Delen er lagret.")).to_be_visible()
    body = _section_block(page, PRIORITIES).locator(".section-body")
    expect(body.locator("ul > li")).to_have_text(
        ["Næringsutvikling", "Samferdsel", "Attraktivitet"]
    )
    expect(body.locator("table thead th")).to_have_text(["Område", "Ansvar"])
    expect(body.locator("table tbody tr")).to_have_count(2)
    expect(body.locator("table tbody tr").first.locator("td")).to_have_text(
        ["Næringsutvikling", "Næringsforumet"]
    )
    saved = Section.objects.get(pk=section.pk)
    assert (_lf(saved.body), saved.revision) == (MARKDOWN, section.revision + 1)

    page.get_by_role("link", name=_named("Historikk", PRIORITIES)).click()
    page.wait_for_url(f"**{BASE}/versjon/2/seksjon/{section.pk}/historikk/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Historikk for «{PRIORITIES}»"
    )
    entries = page.locator("main section")
    expect(entries).to_have_count(2)  # the edit, and the text it started with
    expect(entries.first.get_by_role("heading")).to_contain_text("Sara Sekretariat")
    inserted = entries.first.locator(".diff-text ins")
    expect(inserted.first).to_be_visible()
    for word in ("satser", "Næringsutvikling", "Samferdsel", "Næringsforumet"):
        assert word in " ".join(inserted.all_text_contents())
    assert SectionRevision.objects.filter(section=section, revision__gt=1).count() == 1
    scan_accessibility(page)  # the history page


def test_two_people_save_the_same_section_and_nothing_is_lost(
    new_page, sign_in, demo_strategy
):
    from strategy.models import Section, SectionRevision

    first_text = "Arbeidsgruppens tekst om samarbeid mellom kommunene."
    second_text = "Sekretariatets tekst om felles innkjøp."
    arne, sara = new_page(), new_page()
    sign_in(arne, "arbeidsgruppe")
    sign_in(sara, "sekretariat")
    section = _editor(arne, demo_strategy, PRIORITIES)
    _editor(sara, demo_strategy, PRIORITIES)

    arne.get_by_label("Tekst (Markdown)").fill(first_text)
    arne.get_by_role("button", name="Lagre", exact=True).click()
    arne.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    expect(arne.get_by_text("Delen er lagret.")).to_be_visible()

    sara.get_by_label("Tekst (Markdown)").fill(second_text)
    with sara.expect_response(lambda r: r.request.method == "POST") as response:
        sara.get_by_role("button", name="Lagre", exact=True).click()
    assert response.value.status == 409
    alert = sara.get_by_role("alert")
    expect(alert.get_by_role("heading", level=2)).to_have_text(
        "Noen andre lagret denne delen mens du redigerte"
    )
    # Both texts: the colleague's as saved, one's own still in the editor.
    expect(alert.locator(".saved-text")).to_have_text(first_text)
    expect(alert.locator(".saved-markdown")).to_have_text(first_text)
    expect(sara.get_by_label("Tekst (Markdown)")).to_have_value(second_text)
    assert Section.objects.get(pk=section.pk).body == first_text
    scan_accessibility(sara)  # the section editor with the conflict screen

    # Merging by hand, then saving again, keeps both.
    merged = f"{first_text}\n\n{second_text}"
    sara.get_by_label("Tekst (Markdown)").fill(merged)
    sara.get_by_role("button", name="Lagre", exact=True).click()
    sara.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    expect(sara.get_by_text("Delen er lagret.")).to_be_visible()
    expect(_section_block(sara, PRIORITIES).locator(".section-body p")).to_have_text(
        [first_text, second_text]
    )
    saved = Section.objects.get(pk=section.pk)
    assert (_lf(saved.body), saved.revision) == (merged, section.revision + 2)
    history = SectionRevision.objects.filter(section=section, revision__gt=1).order_by(
        "revision"
    )
    assert [(_lf(r.body), r.saved_by.username) for r in history] == [
        (first_text, "arbeidsgruppe"),
        (merged, "sekretariat"),
    ]


def test_saving_an_unchanged_section_changes_nothing(page, sign_in, demo_strategy):
    from strategy.models import Section

    section = _section(demo_strategy, "Formål")
    assert "\n" in section.body
    sign_in(page, "sekretariat")
    _editor(page, demo_strategy, "Formål")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**{BASE}/versjon/2/#section-{section.pk}")
    saved = Section.objects.get(pk=section.pk)
    assert (saved.body, saved.revision) == (section.body, section.revision)


def test_a_new_version_made_while_editing_keeps_the_text(page, sign_in, demo_strategy):
    from strategy import writing

    sign_in(page, "sekretariat")
    _editor(page, demo_strategy, PRIORITIES)
    second = demo_strategy.versions.get(number=2)
    writing.version_new(previous=second, by=second.created_by)
    page.get_by_label("Tekst (Markdown)").fill("Teksten jeg skrev.")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.get_by_role("button", name="Lagre", exact=True).click()
    # Refused with the reason, and the text written is still there to copy.
    assert response.value.status == 403
    expect(page.get_by_text("Bare den nyeste versjonen kan endres")).to_be_visible()
    expect(page.get_by_label("Tekst (Markdown)")).to_have_value("Teksten jeg skrev.")


def test_the_first_edit_in_the_history_shows_the_text_it_replaced(
    page, sign_in, demo_strategy
):
    from strategy import writing

    section = _section(demo_strategy, PRIORITIES)
    assert section.body.startswith("### Bygge ny identitet")
    writing.section_save(
        section=section,
        heading=section.heading,
        body="Vi satser på tre områder.",
        revision=section.revision,
        by=section.owner,
    )
    sign_in(page, "sekretariat")
    page.goto(f"{BASE}/versjon/2/seksjon/{section.pk}/historikk/")
    newest = page.locator(".diff-text").first
    expect(newest.locator("ins", has_text="satser")).to_have_count(1)
    # The words it replaced, from the text the section started with.
    expect(newest.locator("del", has_text="Bygge")).to_have_count(1)


def test_the_changes_from_version_1_to_2_are_marked_with_a_legend(
    page, sign_in, demo_strategy
):
    from strategy import writing

    # Version 2 also rewords a line of «Mosseregionen i dag», so that the diff
    # has deleted words as well as inserted ones.
    today = _section(demo_strategy, TODAY)
    writing.section_save(
        section=today,
        heading=today.heading,
        body=today.body.replace("Stor vekst", "Sterk vekst"),
        revision=today.revision,
        by=demo_strategy.versions.get(number=2).created_by,
    )

    sign_in(page, "radsmedlem")
    page.goto(f"{BASE}/versjon/2/")
    page.get_by_role("link", name="Hva som er endret siden versjon 1").click()
    page.wait_for_url(f"**{BASE}/endringer/?fra=1&til=2")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Endringer fra versjon 1 til 2"
    )
    legend = page.locator(".diff-legend")
    expect(legend).to_contain_text("Tegnforklaring:")
    expect(legend.locator("ins")).to_have_text("satt inn")
    expect(legend.locator("del")).to_have_text("slettet")

    def section(heading):
        return page.locator(".diff-section").filter(
            has=page.get_by_role("heading", level=2, name=heading, exact=True)
        )

    expect(section("Samfunnsutfordringer")).to_contain_text("Endret")
    # The text as it reads: the new heading and paragraph marked whole.
    expect(section("Samfunnsutfordringer").locator("ins h3")).to_have_text("Beredskap")
    expect(section(MEASURES).locator("ins")).to_contain_text(
        "Etablere et felles næringsforum"
    )
    expect(section(TODAY).locator("del")).to_have_text("Stor")
    expect(section(TODAY).locator("ins")).to_have_text("Sterk")
    # Unchanged sections say so, folded: their text shows only when opened.
    expect(section("Formål")).to_contain_text("Uendret")
    expect(section("Formål").locator(".diff-rendered")).to_be_hidden()
    scan_accessibility(page)  # the diff page


# --- Accessibility --------------------------------------------------------------
# The reading view (as council member and secretariat), the section editor (plain,
# with a preview and with the conflict screen), the history, readers and diff
# pages are scanned in the journeys above.


def test_index_and_adopt_form_are_accessible(page, sign_in, demo_strategy):
    from strategy.models import Decision

    sign_in(page, "sekretariat")
    page.goto("/strategi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategi")
    expect(page.get_by_role("heading", level=2)).to_have_text(demo_strategy.title)
    scan_accessibility(page)

    page.goto(f"{BASE}/versjon/2/")
    page.get_by_role("link", name="Merk som vedtatt").click()
    page.wait_for_url(f"**{BASE}/versjon/2/vedta/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vedta versjon 2?")
    scan_accessibility(page)

    # The server's errors: the browser's own checks are lifted to reach them.
    page.locator("form [required]").evaluate_all(
        "fields => fields.forEach(f => f.removeAttribute('required'))"
    )
    page.get_by_role("button", name="Ja, vedta versjon 2").click()
    expect(page.get_by_label(re.compile(r"Saksnummer"))).to_have_attribute(
        "aria-invalid", "true"
    )
    assert not Decision.objects.exists()
    scan_accessibility(page)  # the adopt form with errors
