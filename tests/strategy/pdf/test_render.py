"""The renderer (strategy/pdf/render.py): the document read back with pypdf,
what it refuses to show, and that it fetches nothing from the network."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from demo.plan import SEED_MILESTONES
from demo.workshop import GROUPS, QUESTIONS
from demo.workshop import TITLE as WORKSHOP_TITLE
from strategy import review
from strategy.models import ExportStatus
from strategy.pdf import render as pdf

from .helpers import (
    APPENDIX_A,
    APPENDIX_B,
    CHAPTERS,
    COUNCIL,
    TITLE,
    appendix,
    assert_toc_points_at_the_headings,
    pages_of,
    squash,
    toc_of,
)

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_newest_demo_version_as_a_valid_pdf(document):
    reader = PdfReader(io.BytesIO(document["data"]))
    assert document["data"].startswith(b"%PDF-")
    # Cover, contents, the body (its sections flow), two appendices: about
    # three pages of text, not a page per section.
    assert 5 <= len(reader.pages) <= 9
    assert reader.metadata["/Subject"] == "Utkast versjon 2"
    assert "Versjon 2 · " in document["pages"][0]
    assert f"{TITLE}, versjon 2 (" in document["stdout"]


def test_every_page_but_the_cover_has_the_footer_with_its_number(document):
    pages = document["pages"]
    total = len(pages)
    assert "· side" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert text.splitlines()[-1].strip() == f"{TITLE} · side {number} av {total}"


def test_the_contents_give_the_page_where_each_chapter_and_appendix_begins(document):
    assert_toc_points_at_the_headings(
        document["pages"], [*CHAPTERS, APPENDIX_A, APPENDIX_B]
    )


def test_the_chapters_show_the_section_texts_and_their_sources(document):
    pages = document["pages"]
    toc = toc_of(pages)
    intro = pages[toc[CHAPTERS[0]] - 1]
    assert squash("legger her fram sin strategi for 2026–2029") in squash(intro)
    # The sections flow: the chapter may go on over the next page.
    challenges = "\n".join(pages[toc[CHAPTERS[3]] - 1 : toc[CHAPTERS[3]] + 1])
    assert "Beredskap" in challenges  # version 2's edit
    assert "Kilde: workshop 11.04.2025, gruppe 1" in challenges


def test_appendix_a_lists_every_milestone_of_the_plan(document):
    text = squash(appendix(document["pages"], APPENDIX_A, APPENDIX_B))
    assert len(SEED_MILESTONES) == 10
    for _who, what, *_rest in SEED_MILESTONES:
        assert squash(what) in text, what
    for header in ("Arbeidsform", "Innhold", "Tidspunkt", "Ansvarlig", "Status"):
        assert header in text


def test_appendix_b_shows_every_question_and_every_group(document):
    text = appendix(document["pages"], APPENDIX_B, None)
    assert squash(WORKSHOP_TITLE) in squash(text)
    for question in QUESTIONS:
        assert squash(f"{question['number']}. {question['title']}") in squash(text)
    lines = [line.strip() for line in text.splitlines()]
    for number in range(1, len(GROUPS) + 1):
        # Every group under every question, answered (its name as a heading)
        # or not (one line).
        group = f"Gruppe {number}"
        named = [line for line in lines if line in (group, f"{group}: Ikke besvart")]
        assert len(named) == len(QUESTIONS), number
    assert "Felles næringsforum – Næringslivet og kommunene møtes for sjelden." in (
        text
    )
    assert "Ikke besvart" in text


def test_the_metadata_name_the_strategy_the_council_and_the_language(document):
    reader = PdfReader(io.BytesIO(document["data"]))
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == COUNCIL
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nb"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert 'pdfuaid:part="1"' in xmp  # declared PDF/UA-1


def _structure_types(node, found: dict, depth=0) -> dict:
    node = node.get_object()
    if depth > 60 or not hasattr(node, "get"):
        return found
    kind = node.get("/S")
    if kind is not None:
        found[kind] = found.get(kind, 0) + 1
    kids = node.get("/K")
    if kids is not None:
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object"):
                _structure_types(kid, found, depth + 1)
    return found


def test_the_pdf_is_tagged_with_a_structure_tree(document):
    catalog = PdfReader(io.BytesIO(document["data"])).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    types = _structure_types(catalog["/StructTreeRoot"], {})
    assert types["/H1"] == 1  # the cover's title
    # Contents, the chapters and the appendices are second-level headings.
    assert types["/H2"] >= len(CHAPTERS) + 3
    # The plan, with its five column headers (Tidspunkt holds weeks and dates).
    assert types["/Table"] >= 1 and types["/TH"] >= 5
    assert types["/L"] >= 1 and types["/Link"] >= len(CHAPTERS) + 2


def test_a_table_of_exactly_the_maximum_is_accepted():
    class Section:
        heading = "Tabell"
        body = "| Nr |\n|---|\n" + "".join(f"| {n} |\n" for n in range(999))

    assert pdf.section_html(Section()).count("<tr>") == pdf.MAX_TABLE_ROWS


def test_markdown_the_parser_cannot_read_gives_a_message(
    v2, monkeypatch, request_pdf, fast_pdf
):
    def broken(text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pdf, "render_markdown", broken)
    export = request_pdf(v2)
    assert export.status == ExportStatus.FAILED
    assert export.error == "Teksten i delen «Innledning» kunne ikke leses."


def test_weasyprint_fetches_nothing_even_when_the_html_asks(no_network, caplog):
    html = (
        '<!doctype html><html lang="nb"><head><title>Prøve</title>'
        '<link rel="stylesheet" href="https://example.org/stil.css">'
        "<style>@import url(https://example.org/mer.css); "
        "body { background: url(https://example.org/bakgrunn.png); }</style>"
        '</head><body><p>Tekst</p><img src="https://example.org/bilde.png" '
        'alt="Bilde"><img src="file:///etc/passwd" alt="Fil"></body></html>'
    )
    data = pdf.write_pdf(html)
    assert pages_of(data) == ["Tekst\nBildeFil"]  # the images' alt texts
    for url in (
        "https://example.org/stil.css",
        "https://example.org/mer.css",
        "https://example.org/bakgrunn.png",
        "https://example.org/bilde.png",
        "file:///etc/passwd",
    ):
        assert f"not fetched: {url}" in caplog.text
    with pytest.raises(ValueError, match="not fetched"):
        pdf.refuse_every_url("https://example.org/bilde.png")


def test_the_export_uses_the_fetcher_that_refuses_every_address(monkeypatch):
    seen = {}

    class Html:
        def __init__(self, **kwargs):
            seen["html"] = kwargs["url_fetcher"]

        def write_pdf(self, **kwargs):
            seen["variant"] = kwargs["pdf_variant"]
            return b"%PDF-"

    def css(**kwargs):
        seen["css"] = kwargs["url_fetcher"]

    monkeypatch.setattr(pdf, "HTML", Html)
    monkeypatch.setattr(pdf, "CSS", css)
    pdf.write_pdf("<p>x</p>")
    assert seen == {
        "html": pdf.refuse_every_url,
        "css": pdf.refuse_every_url,
        "variant": "pdf/ua-1",
    }


def test_what_else_the_pdf_shows_changes_the_fingerprint(v2, v1, people, mipr):
    def key():
        return pdf.fingerprint(v2, with_comments=True)

    seen = {key()}
    milestone = mipr.milestones.get(what="Workshop")
    milestone.responsible = "hele rådet"
    milestone.version += 1
    milestone.save()
    seen.add(key())
    first, second = (
        review.comment_add(
            section=v2.sections.get(order=order),
            author=people["radsmedlem"],
            text=text,
        )
        for order, text in ((2, "Ja."), (3, "Nei."))
    )
    seen.add(key())
    review.comment_resolve(comment=first, by=people["sekretariat"])
    review.comment_resolve(comment=second, by=people["sekretariat"])
    seen.add(key())
    # Un-resolving the earlier one: the appendix says «Ikke løst» for it now.
    review.comment_resolve(comment=first, by=people["sekretariat"], resolved=False)
    seen.add(key())
    review.version_mark_presented(version=v2)
    seen.add(key())
    assert len(seen) == 6
    assert pdf.fingerprint(v1, with_comments=False) not in seen
    # The plain PDF does not show the comments: they do not change its key.
    plain = pdf.fingerprint(v2, with_comments=False)
    review.comment_add(
        section=v2.sections.get(order=4), author=people["radsmedlem"], text="Mer."
    )
    assert pdf.fingerprint(v2, with_comments=False) == plain


def test_appendix_b_holds_only_submitted_answers_of_closed_workshops(v2, mipr):
    from workshops.models import Answer, WorkshopStatus

    workshop = mipr.workshops.get()
    answers = Answer.objects.filter(question__workshop=workshop)
    sent, unsent = answers[0], answers[1]
    Answer.objects.filter(pk=sent.pk).update(submitted_at=timezone.now())
    sent_text = sent.content[0]["why"]
    unsent_text = next(slot["why"] for slot in unsent.content if slot["why"])

    def appendix_b():
        # The sections may quote answers too (from findings): only the appendix.
        html = pdf.render_html(v2)
        return html[
            html.index('id="appendix-b"') : html.index(
                "</section>", html.index('id="appendix-b"')
            )
        ]

    html = appendix_b()  # the workshop is open: nothing of it yet
    assert sent_text not in html and unsent_text not in html
    assert "Workshopen er ikke avsluttet ennå" in html

    workshop.status = WorkshopStatus.CLOSED
    workshop.save(update_fields=["status"])
    html = appendix_b()
    assert sent_text in html
    assert unsent_text not in html  # never submitted: not part of a document
    # Closing the workshop changes what the PDF shows: a new export.
    before = pdf.fingerprint(v2, with_comments=False)
    workshop.status = WorkshopStatus.OPEN
    workshop.save(update_fields=["status"])
    assert pdf.fingerprint(v2, with_comments=False) != before
