"""What the PDF tests share: the demo's expectations and readers of a PDF."""

import io
import re

from pypdf import PdfReader, PdfWriter

from demo import document as document_demo
from demo.process import MIPR_PROCESS
from strategy import writing

SLUG = "mipr-2026-2029"
TITLE = "Strategi for Mosseregionen 2026–2029"
COUNCIL = MIPR_PROCESS["council"]
CHAPTERS = [
    f"{n}. {heading}" for n, (heading, _text) in enumerate(document_demo.OUTLINE, 1)
]
APPENDIX_A = "Vedlegg A: fremdriftsplanen"
APPENDIX_B = "Vedlegg B: workshopen"
APPENDIX_C = "Vedlegg C: kommentarer fra gjennomgangen"
FILENAME = "strategi-for-mosseregionen-2026-2029-versjon-{}.pdf"
# The section the failure tests spoil: empty in the demo, so easy to spot.
SPOILED = "Tiltak: samarbeid mellom kommunene"


def tiny_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squash(text: str) -> str:
    """Without white space and the hyphens WeasyPrint adds when it breaks words."""
    return re.sub(r"\u2010?\s+", "", text)


TOC_LINE = re.compile(r"^(?P<entry>\S.*?) ?\.{3,} ?(?P<page>\d+)$")


def toc_of(pages: list[str]) -> dict[str, int]:
    """The contents page's entries and the page number after each dotted leader."""
    (contents,) = [text for text in pages if text.startswith("Innhold\n")]
    entries = {}
    for line in contents.splitlines()[1:]:
        match = TOC_LINE.match(line.strip())
        if match:
            entries[match["entry"]] = int(match["page"])
    return entries


DRAFT_MARK = "UTKAST – ikke vedtatt"


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def assert_toc_points_at_the_headings(pages: list[str], expected: list[str]) -> None:
    """Each entry's page holds its heading, a line of its own, and no other
    page does (the contents' own line ends in a leader and a number)."""
    toc = toc_of(pages)
    assert list(toc) == expected
    for entry, number in toc.items():
        assert 1 <= number <= len(pages), entry
        assert entry in lines_of(pages[number - 1]), (entry, number)
        assert [i for i, t in enumerate(pages, 1) if entry in lines_of(t)] == [number]


def appendix(pages: list[str], start: str, end: str | None) -> str:
    toc = toc_of(pages)
    last = toc[end] - 1 if end else len(pages)
    return "\n".join(pages[toc[start] - 1 : last])


HUGE_TABLE = "| Nr |\n|---|\n" + "".join(f"| {n} |\n" for n in range(1001))
SECTION_FAULTS = {
    "huge table": (
        HUGE_TABLE,
        f"Delen «{SPOILED}» har en tabell med 1002 rader; en PDF kan ha høyst 1000.",
    ),
    "outside image": (
        "Kart:\n\n![Kart over regionen](https://example.org/kart.png)",
        f"Delen «{SPOILED}» viser et bilde fra en ekstern adresse. "
        "PDF-en henter aldri noe fra internett: fjern bildet.",
    ),
    "protocol-relative image": (
        "![Kart]( //example.org/kart.png )",
        f"Delen «{SPOILED}» viser et bilde fra en ekstern adresse. "
        "PDF-en henter aldri noe fra internett: fjern bildet.",
    ),
    "control characters": (
        "Tekst med en bjelle \x07 og en escape \x1b[31m.",
        f"Delen «{SPOILED}» inneholder tegn som ikke er tillatt.",
    ),
    "quotes nested too deep": (
        "> " * 13 + "Dypt inne.",
        f"Teksten i delen «{SPOILED}» er nøstet for dypt "
        "(lister eller sitater inni hverandre).",
    ),
    "lists nested too deep": (
        "".join("    " * depth + f"- nivå {depth}\n" for depth in range(13)),
        f"Teksten i delen «{SPOILED}» er nøstet for dypt "
        "(lister eller sitater inni hverandre).",
    ),
}


def spoil(version, body, by):
    section = version.sections.get(heading=SPOILED)
    return writing.section_save(
        section=section,
        heading=section.heading,
        body=body,
        revision=section.revision,
        by=by,
    )
