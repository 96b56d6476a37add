"""The PDF as a council document (issue 21): pages, the cover, the draft mark,
and what an independent PDF/UA validator asks of it. Real PDFs from WeasyPrint,
read back with pypdf: the draft is the shared `document`, the adopted version
is rendered once here."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import ContentStream

from strategy import adoption, review
from strategy.pdf import render as pdf
from workshops.models import Answer, Workshop, WorkshopStatus

from .helpers import (
    APPENDIX_A,
    APPENDIX_B,
    CHAPTERS,
    COUNCIL,
    DRAFT_MARK,
    SPOILED,
    TITLE,
    appendix,
    lines_of,
    pages_of,
    toc_of,
)

pytestmark = pytest.mark.django_db

FOOTER = re.compile(r"· side \d+ av \d+$")
DECISION = {
    "body": "Representantskapet",
    "meeting_date": datetime.date(2025, 12, 5),
    "case_number": "2025/17",
    "text": "Strategien vedtas.",
}


def _content_lines(text: str) -> list[str]:
    """A page's lines without the running header and footer."""
    return [
        line
        for line in lines_of(text)
        if line and line != DRAFT_MARK and not FOOTER.search(line)
    ]


_ADOPTED: dict = {}


def _adopt(v2, people):
    """Version 2 adopted, once its workshop is closed and answered."""
    v2.refresh_from_db()
    if v2.is_frozen:
        return
    Workshop.objects.update(status=WorkshopStatus.CLOSED)
    Answer.objects.update(submitted_at=timezone.now(), submitted_by="Simen")
    review.version_mark_presented(version=v2)
    adoption.version_adopt(version=v2, by=people["sekretariat"], **DECISION)
    v2.refresh_from_db()


@pytest.fixture
def adopted(request, people):
    """Version 2 adopted and rendered, once for the module."""
    if not _ADOPTED:
        v2 = request.getfixturevalue("v2")
        _adopt(v2, people)
        data = pdf.version_pdf(v2)
        _ADOPTED.update(data=data, pages=pages_of(data))
    return _ADOPTED


# Pages


def test_the_sections_flow_and_only_chapters_start_a_page(document):
    pages = document["pages"]
    toc = toc_of(pages)
    # Cover, contents, the body, appendix A, appendix B: the demo's sections
    # share their pages.
    assert toc[CHAPTERS[0]] == 3
    assert len({toc[chapter] for chapter in CHAPTERS}) < len(CHAPTERS) / 2
    assert toc[APPENDIX_A] > toc[CHAPTERS[-1]]
    for heading in (APPENDIX_A, APPENDIX_B):
        assert _content_lines(pages[toc[heading] - 1])[0] == heading


def test_no_page_is_blank(document):
    for number, text in enumerate(document["pages"], start=1):
        assert _content_lines(text), number


def test_an_empty_section_of_a_draft_says_it_is_not_written_yet(document):
    pages = document["pages"]
    (entry,) = [chapter for chapter in CHAPTERS if chapter.endswith(SPOILED)]
    lines = lines_of(pages[toc_of(pages)[entry] - 1])
    heading = lines.index(entry)
    assert lines[heading + 1] == "Ikke skrevet ennå"


def test_the_adopted_version_leaves_empty_sections_out(adopted, document):
    toc = toc_of(adopted["pages"])
    assert not any(SPOILED in entry for entry in toc)
    assert "Ikke skrevet ennå" not in "".join(adopted["pages"])
    # Numbered without a gap.
    numbers = [int(entry.split(".")[0]) for entry in toc if entry[0].isdigit()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) < len(CHAPTERS)


# The cover and the draft mark


def test_the_cover_of_a_draft(document):
    cover = document["pages"][0]
    lines = lines_of(cover)
    assert f"{COUNCIL} (MIPR)" in lines
    assert cover.replace("\n", " ").count(TITLE) == 1
    today = timezone.localdate()
    months = ["januar", "februar", "mars", "april", "mai", "juni", "juli"]
    months += ["august", "september", "oktober", "november", "desember"]
    date = f"{today.day}. {months[today.month - 1]} {today.year}"
    assert f"Versjon 2 · {date}" in lines
    assert "Vedtatt" not in cover


def test_every_page_of_a_draft_says_utkast(document):
    for number, text in enumerate(document["pages"], start=1):
        assert DRAFT_MARK in lines_of(text), number


def test_the_adopted_cover_carries_the_decision_and_no_page_says_utkast(adopted):
    cover = adopted["pages"][0]
    assert cover.replace("\n", " ").count(TITLE) == 1
    assert "Versjon 2 · vedtatt 5. desember 2025" in lines_of(cover)
    assert "Vedtatt av Representantskapet 5. desember 2025, sak 2025/17" in " ".join(
        lines_of(cover)
    )
    for text in adopted["pages"]:
        assert "UTKAST" not in text


# PDF/UA


def _artifact_and_tagged_text(reader, page) -> tuple[str, str]:
    """The page's text inside artifacts, and outside them."""
    stack: list[bool] = []
    parts = {True: [], False: []}

    def before(operator, operands, cm, tm):
        if operator in (b"BMC", b"BDC"):
            stack.append(operands[0] == "/Artifact" or any(stack))
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(chunk, cm, tm, font, size):
        parts[any(stack)].append(chunk)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return "".join(parts[True]), "".join(parts[False])


def _reachable(root) -> set:
    seen, todo = set(), [root["/K"]]
    while todo:
        item = todo.pop()
        node = item.get_object()
        if isinstance(node, list):
            todo.extend(node)
        elif hasattr(node, "get") and "/S" in node:
            if item.indirect_reference is not None:
                seen.add(item.indirect_reference.idnum)
            if "/K" in node:
                todo.append(node["/K"])
    return seen


def test_the_running_header_and_footer_are_artifacts(document):
    reader = PdfReader(io.BytesIO(document["data"]))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        artifacts, tagged = _artifact_and_tagged_text(reader, page)
        assert DRAFT_MARK.replace(" ", "") in artifacts.replace(" ", ""), number
        if number > 1:  # (the cover says it in a box of its own too)
            assert DRAFT_MARK not in tagged.replace("\n", " ")
            assert f"side {number} av {total}" in artifacts
            assert "side " not in tagged


def test_all_other_content_belongs_to_the_structure_tree(document):
    reader = PdfReader(io.BytesIO(document["data"]))
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    reachable = _reachable(root)
    nums = root["/ParentTree"]["/Nums"]
    owners = {nums[i]: nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    tagged = 0
    for page in reader.pages:
        parents = owners[page["/StructParents"]]
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"BDC" and "/MCID" in operands[1]:
                parent = parents[operands[1]["/MCID"]]
                assert parent.indirect_reference.idnum in reachable
                tagged += 1
    assert tagged > 100


def test_contents_links_are_printed_and_described_by_their_heading(document):
    reader = PdfReader(io.BytesIO(document["data"]))
    contents = reader.pages[1]
    links = [a.get_object() for a in contents["/Annots"]]
    described = {str(link["/Contents"]) for link in links}
    assert {*CHAPTERS, APPENDIX_A, APPENDIX_B} <= described
    assert not any(text.startswith(("section-", "appendix-")) for text in described)
    for link in links:
        assert link["/F"] & 4  # Print


def _structure_elements(node, kind, found, depth=0):
    node = node.get_object()
    if depth > 60 or not hasattr(node, "get"):
        return found
    if node.get("/S") == kind:
        found.append(node)
    kids = node.get("/K")
    if kids is not None:
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            _structure_elements(kid, kind, found, depth + 1)
    return found


def test_table_header_cells_have_a_scope(document):
    root = PdfReader(io.BytesIO(document["data"])).trailer["/Root"]
    headers = _structure_elements(root["/StructTreeRoot"], "/TH", [])
    assert len(headers) >= 5
    for header in headers:
        assert header["/A"]["/O"] == "/Table"
        assert header["/A"]["/Scope"] == "/Column"


PDF_DATE = re.compile(r"^D:(\d{14})([+-]\d\d)'(\d\d)'?$")


def _pdf_date(value: str) -> datetime.datetime:
    match = PDF_DATE.match(value)
    assert match, value  # to the second, with its zone
    moment = datetime.datetime.strptime(match[1], "%Y%m%d%H%M%S")
    offset = datetime.timedelta(hours=int(match[2]), minutes=int(match[3]))
    return moment.replace(tzinfo=datetime.timezone(offset))


def test_the_modification_date_is_a_full_timestamp_not_before_creation(document):
    info = PdfReader(io.BytesIO(document["data"])).metadata
    created = _pdf_date(info["/CreationDate"])
    modified = _pdf_date(info["/ModDate"])
    assert created <= modified
    assert modified <= timezone.now() + datetime.timedelta(seconds=1)


# Appendix B


def test_appendix_b_gives_one_line_to_a_group_that_did_not_answer(document):
    text = appendix(document["pages"], APPENDIX_B, None)
    lines = lines_of(text)
    assert "Gruppe 2: Ikke besvart" in lines
    assert "Ikke besvart" not in lines  # never on a line of its own


def test_a_later_answer_change_leaves_the_adopted_pdf_unchanged(adopted, v2, people):
    _adopt(v2, people)
    key = pdf.fingerprint(v2, with_comments=False)
    answer = Answer.objects.filter(submitted_at__isnull=False).order_by("pk").first()
    content = answer.content
    content[0]["text"] = "Endret etter vedtaket"
    Answer.objects.filter(pk=answer.pk).update(
        content=content, version=answer.version + 1, submitted_at=timezone.now()
    )
    live = str(pdf.appendix_b(v2.strategy.process))
    assert "Endret etter vedtaket" in live  # the answers did change ...

    # ... but the adopted version keeps its appendix: the same export, and
    # rendered again the same text.
    assert pdf.fingerprint(v2, with_comments=False) == key
    again = pages_of(pdf.version_pdf(v2))
    frozen = appendix(again, APPENDIX_B, None)
    assert "Endret etter vedtaket" not in frozen
    assert frozen == appendix(adopted["pages"], APPENDIX_B, None)
