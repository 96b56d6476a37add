"""Findings in the browser: tagging answer items, the theme view, the sources
register and the summary for the council (issue 5)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
BASE = f"/strategi/{SLUG}"
NEW_FINDING = "Bolig og tilflytting"
DEMO_FINDINGS = [
    "Tillit og samarbeid",
    "Bygge ny identitet",
    "Vi skal gjøre kommunene gode",
    "«Det beste av to verdener»",
]
# Question 1 of the workshop demo: (group number, item text) to tag.
TO_TAG = [
    (1, "Lav arbeidsdeltakelse"),
    (1, "Kommuneøkonomien"),
    (2, "Boliger for unge"),
]


@pytest.fixture
def findings(mipr_plan):
    """The demo plan, workshop answers, findings and sources."""
    from demo import evidence as evidence_demo
    from demo import workshop as workshop_demo

    workshop = workshop_demo.load(mipr_plan)
    evidence_demo.load(mipr_plan)
    return workshop


@pytest.fixture
def other_page(browser, live_server):
    """A page in a browser context of its own: another person's computer."""
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _answer_item(page, text):
    return page.locator(".answer-item").filter(has_text=text)


def _finding_card(page, title):
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


# --- The journeys -----------------------------------------------------


def test_working_group_creates_a_finding_tags_items_and_sees_the_theme(page, findings):
    from findings.models import Finding, ItemTag

    log_in(page, "arbeidsgruppe")
    page.goto(f"{BASE}/funn/")
    page.get_by_role("link", name="Nytt funn").click()
    page.wait_for_url(f"**{BASE}/funn/ny/")
    page.get_by_label("Tittel").fill(NEW_FINDING)
    page.get_by_label("Beskrivelse").fill("Unge og familier finner ikke bolig.")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**{BASE}/funn/")
    expect(page.get_by_text("Funnet er opprettet.")).to_be_visible()
    finding = Finding.objects.get(process__slug=SLUG, title=NEW_FINDING)

    question = findings.questions.get(number=1)
    page.goto(f"{BASE}/funn/svar/?sporsmal={question.pk}")
    # Only «Lav arbeidsdeltakelse» is untagged in the demo; the other two
    # items already support a demo finding and keep it.
    expect(
        _answer_item(page, "Lav arbeidsdeltakelse").get_by_text(
            "Ikke merket", exact=True
        )
    ).to_be_visible()
    for _group, text in TO_TAG:
        item = _answer_item(page, text)
        item.get_by_label(NEW_FINDING, exact=True).check()
        # Each tick is saved at once (static/js/tagging.js), no reload.
        expect(item.locator(".tick-state")).to_contain_text("Lagret")
    page.reload()
    for _group, text in TO_TAG:
        # Back at the same question, the item now carries the finding.
        item = _answer_item(page, text)
        expect(item.get_by_label(NEW_FINDING, exact=True)).to_be_checked()
        expect(item.get_by_text("Ikke merket", exact=True)).to_have_count(0)
    assert f"sporsmal={question.pk}" in page.url
    scan_accessibility(page)  # the side-by-side view, with the status message
    expect(
        _answer_item(page, "Kommuneøkonomien").get_by_label(
            "Vi skal gjøre kommunene gode", exact=True
        )
    ).to_be_checked()

    tagged = ItemTag.objects.filter(finding=finding).select_related("answer__group")
    assert sorted(
        (tag.answer.group.number, tag.answer.question.number, tag.slot)
        for tag in tagged
    ) == [(1, 1, 0), (1, 1, 1), (2, 1, 0)]

    page.get_by_role("link", name="Funn", exact=True).click()
    page.wait_for_url(f"**{BASE}/funn/")
    card = _finding_card(page, NEW_FINDING)
    expect(card.locator(".group-count")).to_have_text("2 av 5 grupper")
    quotes = card.locator("ul.quotes > li q")
    expect(quotes).to_have_count(3)
    assert sorted(quotes.all_inner_texts()) == sorted(text for _g, text in TO_TAG)
    # The bar only repeats the count, so assistive technology skips it.
    expect(card.locator("svg.group-bar")).to_have_attribute("aria-hidden", "true")
    expect(page.locator("section.card")).to_have_count(len(DEMO_FINDINGS) + 1)
    scan_accessibility(page)  # the theme view


def test_working_group_member_records_their_interview_and_marks_it_done(page, findings):
    from findings.models import Source, SourceStatus

    log_in(page, "arbeidsgruppe")
    page.goto(f"{BASE}/kilder/")
    page.get_by_role("link", name="Mine kilder").click()
    page.wait_for_url(f"**{BASE}/kilder/?mine=1")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Intervju med næringsforeningen")
    scan_accessibility(page)  # the sources list

    rows.first.get_by_role("link", name="Intervju med næringsforeningen").click()
    scan_accessibility(page)  # the source form
    says = "Bedriftene vil ha én dør inn til kommunene i regionen."
    page.get_by_label("Hva kilden sier").fill(says)
    page.get_by_role("combobox", name=re.compile(r"^Status")).select_option(
        label="ferdig"
    )
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**{BASE}/kilder/")
    expect(page.get_by_text("Kilden er lagret.")).to_be_visible()
    row = page.locator("table tbody tr").filter(
        has_text="Intervju med næringsforeningen"
    )
    expect(row.locator("td").nth(3)).to_have_text("Ferdig")

    source = Source.objects.get(title="Intervju med næringsforeningen")
    assert (source.status, source.says) == (SourceStatus.DONE, says)
    assert source.version == 2


def test_secretariat_shares_the_summary_and_a_council_member_reads_it(
    page, other_page, findings
):
    log_in(other_page, "radsmedlem")
    assert other_page.goto(f"{BASE}/funn/oppsummering/").status == 404

    log_in(page, "sekretariat")
    page.goto(f"{BASE}/funn/oppsummering/")
    scan_accessibility(page)  # the summary, with the secretariat's controls
    page.get_by_role("button", name="Del med rådsmedlemmene").click()
    expect(
        page.get_by_text("Oppsummeringen er delt med rådsmedlemmene.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Slutt å dele")).to_be_visible()

    response = other_page.goto(f"{BASE}/funn/oppsummering/")
    assert response.status == 200
    expect(other_page.get_by_role("heading", level=1)).to_have_text(
        "Dette har vi hørt så langt"
    )
    expect(other_page.get_by_role("heading", level=2)).to_have_text(DEMO_FINDINGS)
    # The secretariat's controls are not the council member's.
    expect(other_page.get_by_role("button", name="Slutt å dele")).to_have_count(0)
    scan_accessibility(other_page)  # the summary as the council sees it


# --- Accessibility --------------------------------------------------------------
# The theme view, the side-by-side view, the sources list, the source form and
# the summary are scanned in the journeys above.


def test_index_finding_form_merge_and_delete_pages_are_accessible(page, findings):
    from findings.models import Finding

    log_in(page, "sekretariat")
    page.goto("/strategi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategi")
    scan_accessibility(page)

    page.goto(f"{BASE}/funn/ny/")
    scan_accessibility(page)
    # A 201-character title: the server refuses it. The browser's own limit is
    # lifted so that the server's error is the one shown.
    title = page.get_by_label("Tittel")
    title.evaluate("input => input.removeAttribute('maxlength')")
    title.fill("x" * 201)
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator(".invalid-feedback")).to_contain_text("200")
    expect(page.get_by_label("Tittel")).to_have_value("x" * 201)
    assert not Finding.objects.filter(title="x" * 201).exists()
    scan_accessibility(page)

    page.goto(f"{BASE}/funn/slaa-sammen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Slå sammen funn")
    scan_accessibility(page)

    finding = Finding.objects.get(process__slug=SLUG, title="Tillit og samarbeid")
    page.goto(f"{BASE}/funn/{finding.pk}/slett/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Slette funnet «Tillit og samarbeid»?"
    )
    scan_accessibility(page)


@pytest.mark.parametrize("path", ["/funn/", "/funn/oppsummering/"])
def test_the_group_bars_show_the_share_of_groups(page, findings, path):
    """The bar beside «2 av 5 grupper» is two fifths full, in a colour that
    stands out from its track (it was a solid black block without CSS)."""
    log_in(page, "sekretariat")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(BASE + path)
    bars = page.locator("svg.group-bar")
    assert bars.count() >= 2
    for n in range(bars.count()):
        bar = bars.nth(n)
        count_text = bar.locator("xpath=preceding-sibling::span[1]").inner_text()
        groups, total = map(int, re.findall(r"\d+", count_text)[:2])
        track = bar.locator(".group-bar-track").bounding_box()
        fill = bar.locator(".group-bar-fill").bounding_box() or {"width": 0}
        assert abs(fill["width"] / track["width"] - groups / total) < 0.02
        colours = bar.evaluate(
            "svg => [...svg.querySelectorAll('rect')]"
            ".map(r => getComputedStyle(r).fill)"
        )
        assert colours[0] != colours[1]
        assert "rgb(0, 0, 0)" not in colours
    page.locator("svg.group-bar").first.scroll_into_view_if_needed()
    page.screenshot(
        path=f"var/screenshots/group-bars-{path.strip('/').replace('/', '-')}.png"
    )
