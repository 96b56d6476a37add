"""The workshop room in the browser: the join screen and the wall on the
projector at 1920 × 1080, and the join cards as printed.

The screenshots land in the test's tmp_path; they were looked at once, and the
layout assertions below guard what was seen: the codes in large letters, no
menu, everything on one screen, one printed page per card."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture
def workshop(mipr_plan):
    from demo import workshop as demo

    return demo.load(mipr_plan)


@pytest.fixture
def projector(new_page, sign_in, workshop):
    page = new_page(viewport=PROJECTOR)
    sign_in(page, "sekretariat")
    return page


def _drawn(locator) -> bool:
    """Takes up room on the screen: Playwright calls the 1 × 1 px of
    .visually-hidden(-focusable) visible, the room cannot see them."""
    box = locator.bounding_box()
    return box is not None and box["width"] > 1 and box["height"] > 1


def _no_visible_navigation(page):
    chrome = page.locator("nav, header, footer").or_(page.get_by_text("Innlogget som"))
    assert not any(_drawn(chrome.nth(i)) for i in range(chrome.count()))


def _fits_the_screen(page):
    size = page.evaluate(
        "() => ({height: document.documentElement.scrollHeight,"
        " width: document.documentElement.scrollWidth})"
    )
    assert size["height"] <= PROJECTOR["height"], size
    assert size["width"] <= PROJECTOR["width"], size


def test_the_join_screen_on_the_projector(projector, workshop, tmp_path):
    page = projector
    page.goto(f"/workshop/{workshop.pk}/bli-med/?projektor=1")
    page.screenshot(path=tmp_path / "join-screen-projector.png")
    print(tmp_path / "join-screen-projector.png")
    _no_visible_navigation(page)
    codes = page.locator(".join-code [aria-hidden=true]")
    expect(codes).to_have_count(5)
    for index, group in enumerate(workshop.groups.all()):
        code = codes.nth(index)
        expect(code).to_have_text(group.code)
        expect(code).to_be_in_viewport()
        font = code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert font >= 80, font
        # The whole code on one line, inside its card.
        box, card = code.bounding_box(), page.locator(".card").nth(index).bounding_box()
        assert box["height"] < 2 * font
        assert (
            box["x"] >= card["x"]
            and box["x"] + box["width"] <= card["x"] + card["width"]
        )
        expect(page.locator(".join-members").nth(index)).to_have_text(group.members)
        expect(page.locator(".join-qr").nth(index)).to_be_in_viewport()
    heading = page.locator("h1").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert heading >= 40
    _fits_the_screen(page)
    # The links wait for the keyboard, out of sight.
    leave = page.get_by_role("link", name="Avslutt projektorvisning")
    assert not _drawn(leave)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Tilbake til workshopen")).to_be_focused()
    assert _drawn(page.get_by_role("link", name="Tilbake til workshopen"))
    scan_accessibility(page)


def test_the_wall_on_the_projector_refreshes_itself(projector, workshop, tmp_path):
    from workshops import services

    page = projector
    page.goto(f"/workshop/{workshop.pk}/vegg/?sporsmal=1&projektor=1")
    wall = page.locator("#wall-answers")
    expect(wall).to_contain_text("Lav arbeidsdeltakelse")
    page.screenshot(path=tmp_path / "wall-projector.png")
    print(tmp_path / "wall-projector.png")
    _no_visible_navigation(page)
    question = page.locator(".wall-question")
    assert question.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 48
    answer = wall.get_by_text("Lav arbeidsdeltakelse")
    assert answer.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 28
    scan_accessibility(page)

    page.evaluate("window.__marker = 1")
    with page.expect_response(lambda response: "/vegg/svar/" in response.url):
        pass
    services.answer_save(
        group=workshop.groups.get(number=3),
        question=workshop.questions.get(number=1),
        content=[{"text": "Kollektivtrafikk", "why": "Folk må komme seg på jobb."}],
        version=0,
        editor="Inger",
    )
    expect(wall).to_contain_text("Kollektivtrafikk", timeout=15_000)
    assert page.evaluate("window.__marker") == 1
    _no_visible_navigation(page)
    # The new answer is as large as the others.
    new = wall.get_by_text("Kollektivtrafikk")
    assert new.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 28

    # The facilitator tabs to the controls and moves on, still on the projector.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert _drawn(page.locator(".wall-controls"))
    page.get_by_role("link", name="Spørsmål 2 →").click()
    expect(question).to_contain_text("2. Samarbeid med næringslivet")
    assert "projektor=1" in page.url
    _no_visible_navigation(page)


# --- The join cards, printed ---------------------------------------------------------


def test_the_join_cards_print_one_a4_page_per_group(projector, workshop, tmp_path):
    import io

    from pypdf import PdfReader

    page = projector
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/workshop/{workshop.pk}/kort/")
    scan_accessibility(page)
    cards = page.locator(".join-card")
    expect(cards).to_have_count(5)
    # Every QR code has loaded before anything is printed.
    assert page.evaluate(
        "() => [...document.images].every(img => img.complete && img.naturalWidth)"
    )

    page.emulate_media(media="print")
    page.screenshot(path=tmp_path / "join-cards-print.png", full_page=True)
    print(tmp_path / "join-cards-print.png")
    _no_visible_navigation(page)
    assert not _drawn(page.locator("h1"))
    for index, group in enumerate(workshop.groups.all()):
        card = cards.nth(index)
        expect(card.locator("h2")).to_have_text(group.name)
        expect(card.locator(".join-card-members")).to_have_text(group.members)
        code = card.locator(".join-code [aria-hidden=true]")
        expect(code).to_have_text(group.code)
        # 64 pt: the code is read across the table.
        assert code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 80
        qr = card.locator("img").bounding_box()
        assert qr["width"] >= 300  # 85 mm at 96 px to the inch

    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (tmp_path / "join-cards.pdf").write_bytes(pdf)
    print(tmp_path / "join-cards.pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 5
    for number, (pdf_page, group) in enumerate(
        zip(reader.pages, workshop.groups.all(), strict=True), start=1
    ):
        text = pdf_page.extract_text()
        assert group.name in text and group.code in text, (number, text)
        box = pdf_page.mediabox
        # A4 portrait: 595 × 842 points.
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
