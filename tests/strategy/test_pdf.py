"""The strategy as a PDF for the assembly: the document read back with pypdf,
the export records and their failures, idempotency, who may download, and the
export_strategy_pdf command.

WeasyPrint takes seconds per document, so only two tests render for real: the
demo's newest version (shared by the document tests, see `document`) and the
command with the comments appendix. The other tests replace WeasyPrint alone
(`fast_pdf`): the HTML, and with it every check of the sections, stays real.
"""

import datetime
import io
import re
import socket
import threading

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test import Client
from pypdf import PdfReader, PdfWriter

from demo import document as document_demo
from demo.plan import SEED_MILESTONES
from demo.process import MIPR_PROCESS
from demo.workshop import GROUPS, QUESTIONS
from demo.workshop import TITLE as WORKSHOP_TITLE
from strategy import adoption, review, writing
from strategy.models import ExportStatus, PdfExport
from strategy.pdf import jobs
from strategy.pdf import render as pdf
from strategy.tasks import make_pdf
from tests.helpers import require

pytestmark = pytest.mark.django_db

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


# --- Fixtures and helpers ---------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_in_tmp(media):
    """Every test here stores its PDFs in a directory of its own."""
    return media


@pytest.fixture
def strategy(mipr):
    """The demo strategy: version 1 and 2 for review, comments on version 1."""
    return document_demo.load_strategy(mipr)


@pytest.fixture
def v1(strategy):
    return strategy.versions.get(number=1)


@pytest.fixture
def v2(strategy):
    return strategy.versions.get(number=2)


@pytest.fixture
def draft(v2, people):
    """Version 3, a working draft that council members may not read yet."""
    return writing.version_new(previous=v2, by=people["sekretariat"])


def tiny_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def fast_pdf(monkeypatch):
    """WeasyPrint replaced by a blank page; returns the HTML of every render."""
    renders = []

    def write_pdf(html):
        renders.append(html)
        return tiny_pdf()

    monkeypatch.setattr(pdf, "write_pdf", write_pdf)
    return renders


@pytest.fixture
def request_pdf(django_capture_on_commit_callbacks, people):
    """Ask for a PDF as the view does; the task runs in-process on commit."""

    def ask(version, *, with_comments=False, by="sekretariat"):
        with django_capture_on_commit_callbacks(execute=True):
            export = jobs.export_request(
                version=version, with_comments=with_comments, by=people[by]
            )
        export.refresh_from_db()
        return export

    return ask


@pytest.fixture
def no_network(monkeypatch):
    """Fails the test if anything opens a connection or looks up a name."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    # Asserted here too: a fetcher's caller may swallow the AssertionError.
    assert attempts == []


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


def first_line(text: str) -> str:
    return text.splitlines()[0].strip() if text.strip() else ""


def assert_toc_points_at_the_headings(pages: list[str], expected: list[str]) -> None:
    toc = toc_of(pages)
    assert list(toc) == expected
    for entry, number in toc.items():
        assert 1 <= number <= len(pages), entry
        assert first_line(pages[number - 1]) == entry, (entry, number)
        # ... and on no other page: the number is the heading's one page.
        assert [i for i, t in enumerate(pages, 1) if first_line(t) == entry] == [number]


_DOCUMENT: dict = {}


@pytest.fixture
def document(request, tmp_path):
    """The demo's newest version as PDF, by `export_strategy_pdf` without options.

    Rendered once for the module (the bytes outlive the test database); the
    demo is loaded only for the test that renders.
    """
    if not _DOCUMENT:
        request.getfixturevalue("strategy")
        output = tmp_path / "strategi.pdf"
        stdout = io.StringIO()
        call_command("export_strategy_pdf", "--output", str(output), stdout=stdout)
        data = output.read_bytes()
        _DOCUMENT.update(data=data, stdout=stdout.getvalue(), pages=pages_of(data))
    return _DOCUMENT


def appendix(pages: list[str], start: str, end: str | None) -> str:
    toc = toc_of(pages)
    last = toc[end] - 1 if end else len(pages)
    return "\n".join(pages[toc[start] - 1 : last])


# --- 1. The document itself -------------------------------------------------------


def test_the_command_writes_the_newest_demo_version_as_a_valid_pdf(document):
    reader = PdfReader(io.BytesIO(document["data"]))
    assert document["data"].startswith(b"%PDF-")
    # Cover, contents, one page or more per chapter, two appendices.
    assert len(reader.pages) >= 2 + len(CHAPTERS) + 2
    assert reader.metadata["/Subject"] == "Utkast versjon 2"
    assert "Utkast versjon 2" in document["pages"][0]
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
    challenges = pages[toc[CHAPTERS[3]] - 1]
    assert "Beredskap" in challenges  # version 2's edit
    assert "Kilde: workshop 11.04.2025, gruppe 1" in challenges


def test_appendix_a_lists_every_milestone_of_the_plan(document):
    text = squash(appendix(document["pages"], APPENDIX_A, APPENDIX_B))
    assert len(SEED_MILESTONES) == 10
    for _who, what, *_rest in SEED_MILESTONES:
        assert squash(what) in text, what
    for header in ("Hvem", "Hva", "Uke", "Ansvarlig"):
        assert header in text


def test_appendix_b_shows_every_question_and_every_group(document):
    text = appendix(document["pages"], APPENDIX_B, None)
    assert squash(WORKSHOP_TITLE) in squash(text)
    for question in QUESTIONS:
        assert squash(f"{question['number']}. {question['title']}") in squash(text)
    lines = [line.strip() for line in text.splitlines()]
    for number in range(1, len(GROUPS) + 1):
        # Every group under every question, answered or not.
        assert lines.count(f"Gruppe {number}") == len(QUESTIONS), number
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
    assert types["/Table"] >= 1 and types["/TH"] >= 6  # the plan, with headers
    assert types["/L"] >= 1 and types["/Link"] >= len(CHAPTERS) + 2


# --- 2. What cannot be made: a message on the export, and no network ------------

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


def _spoil(version, body, by):
    section = version.sections.get(heading=SPOILED)
    return writing.section_save(
        section=section,
        heading=section.heading,
        body=body,
        revision=section.revision,
        by=by,
    )


def test_a_section_the_pdf_cannot_show_fails_the_export_with_a_message(
    v1, v2, people, request_pdf, fast_pdf, no_network
):
    for fault, (body, message) in SECTION_FAULTS.items():
        section = _spoil(v2, body, people["sekretariat"])

        failed = request_pdf(v2)
        assert failed.status == ExportStatus.FAILED, fault
        assert failed.error == message, fault
        assert not failed.file and failed.finished_at is not None
        assert fast_pdf == [], fault  # stopped before WeasyPrint

        # Other exports still work: another version, and this one once mended.
        assert request_pdf(v1).status == ExportStatus.READY, fault
        writing.section_save(
            section=section,
            heading=section.heading,
            body="Mendt.",
            revision=section.revision,
            by=people["sekretariat"],
        )
        mended = request_pdf(v2)
        assert mended.pk != failed.pk and mended.status == ExportStatus.READY, fault
        failed.refresh_from_db()
        assert failed.status == ExportStatus.FAILED, fault
        fast_pdf.clear()


def test_the_status_page_shows_the_error_and_offers_to_try_again(
    v2, people, request_pdf, fast_pdf, as_user
):
    _spoil(v2, "Bjelle \x07", people["sekretariat"])
    export = request_pdf(v2, with_comments=True)
    html = as_user("sekretariat").get(f"/strategi/{SLUG}/pdf/{export.pk}/").content
    html = html.decode()
    assert "feilet" in html
    assert f"Delen «{SPOILED}» inneholder tegn som ikke er tillatt." in html
    assert "Prøv igjen" in html
    assert '<input type="hidden" name="comments" value="1">' in html
    data = as_user("sekretariat").get(f"/strategi/{SLUG}/pdf/{export.pk}/status/")
    assert data.json() == {
        "status": "failed",
        "label": "feilet",
        "error": f"Delen «{SPOILED}» inneholder tegn som ikke er tillatt.",
        "download": "",
    }


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


def test_a_render_over_the_time_limit_fails_with_a_message(
    v2, v1, monkeypatch, request_pdf, fast_pdf
):
    assert (make_pdf.soft_time_limit, make_pdf.time_limit) == (120, 180)
    assert make_pdf.acks_late and make_pdf.reject_on_worker_lost
    export = PdfExport.objects.create(
        version=v2, fingerprint=pdf.fingerprint(v2, with_comments=False)
    )
    real = pdf.version_pdf

    def too_slow(version, *, with_comments=False):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(pdf, "version_pdf", too_slow)
    assert make_pdf.apply(args=[export.pk]).get() == "timeout"
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error == (
        "Det tok for lang tid å lage PDF-en, så arbeidet ble stoppet. "
        "Prøv igjen, eller gjør dokumentet kortere."
    )
    assert "tok for lang tid" in export.error

    monkeypatch.setattr(pdf, "version_pdf", real)
    assert request_pdf(v1).status == ExportStatus.READY  # the others still work
    again = request_pdf(v2)  # and asking again makes it
    assert again.pk == export.pk
    assert again.status == ExportStatus.READY and again.error == ""
    assert again.attempts == 1  # counted per request: it caps redeliveries


def test_an_unexpected_error_fails_the_export_with_a_message(
    v2, monkeypatch, request_pdf, caplog
):
    def broken(version, *, with_comments=False):
        raise RuntimeError("pango fell over")

    monkeypatch.setattr(pdf, "version_pdf", broken)
    export = request_pdf(v2)
    assert export.status == ExportStatus.FAILED
    assert export.error == (
        "PDF-en kunne ikke lages på grunn av en feil hos oss. Prøv igjen."
    )
    assert "pango fell over" in caplog.text  # logged for us, not shown


def test_a_database_hiccup_is_retried(v2, monkeypatch, fast_pdf):
    export = PdfExport.objects.create(
        version=v2, fingerprint=pdf.fingerprint(v2, with_comments=False)
    )
    real = pdf.version_pdf
    calls = []

    def flaky(version, *, with_comments=False):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(version, with_comments=with_comments)

    monkeypatch.setattr(pdf, "version_pdf", flaky)
    # throw=False: the in-process retry runs at once instead of raising Retry.
    assert make_pdf.apply(args=[export.pk], throw=False).get() == "ready"
    export.refresh_from_db()
    assert len(calls) == 2
    assert export.status == ExportStatus.READY and export.attempts == 2


def test_a_database_that_stays_away_fails_the_export_after_the_retries(v2, monkeypatch):
    export = PdfExport.objects.create(version=v2, fingerprint="y")

    def down(version, *, with_comments=False):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pdf, "version_pdf", down)
    result = make_pdf.apply(args=[export.pk], retries=make_pdf.max_retries)
    assert result.get() == "failed"
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "feil hos oss" in export.error


# --- 3. Idempotency ---------------------------------------------------------------


def _files(media) -> list:
    return sorted(media.rglob("*.pdf")) if media.exists() else []


def test_the_same_version_twice_is_one_export_and_one_file(
    v2, request_pdf, fast_pdf, media
):
    first = request_pdf(v2)
    second = request_pdf(v2, by="arbeidsgruppe")
    assert first.pk == second.pk and second.status == ExportStatus.READY
    assert PdfExport.objects.count() == 1
    assert len(fast_pdf) == 1
    assert [f.name for f in _files(media)] == [f"{SLUG}-v2-{first.pk}.pdf"]
    assert second.pages == 1 and second.attempts == 1

    # A redelivered task finds the file made and leaves it.
    jobs.export_run(export_id=first.pk)
    assert len(fast_pdf) == 1 and len(_files(media)) == 1


def test_the_options_and_a_section_edit_make_new_exports(
    v2, people, request_pdf, fast_pdf, media
):
    plain = request_pdf(v2)
    with_comments = request_pdf(v2, with_comments=True)
    assert with_comments.pk != plain.pk and with_comments.with_comments

    section = v2.sections.get(order=1)
    writing.section_save(
        section=section,
        heading=section.heading,
        body=section.body + "\n\nEn ny setning.",
        revision=section.revision,
        by=people["sekretariat"],
    )
    edited = request_pdf(v2)
    assert edited.pk not in (plain.pk, with_comments.pk)
    assert edited.fingerprint != plain.fingerprint
    assert edited.status == ExportStatus.READY
    assert "En ny setning." in fast_pdf[-1]
    assert PdfExport.objects.count() == 3 and len(_files(media)) == 3
    plain.refresh_from_db()
    assert plain.status == ExportStatus.READY  # the old PDF stays downloadable


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


def test_a_failed_export_is_queued_again_when_asked_for_again(
    v2, monkeypatch, request_pdf, fast_pdf
):
    real = pdf.version_pdf
    monkeypatch.setattr(
        pdf, "version_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError)
    )
    failed = request_pdf(v2)
    assert failed.status == ExportStatus.FAILED

    monkeypatch.setattr(pdf, "version_pdf", real)
    again = request_pdf(v2, by="arbeidsgruppe")
    assert again.pk == failed.pk
    assert again.status == ExportStatus.READY and again.error == ""
    assert again.requested_by.username == "arbeidsgruppe"
    assert again.attempts == 1 and len(fast_pdf) == 1


def test_a_failed_export_another_request_just_queued_is_not_queued_twice(
    v2, monkeypatch, request_pdf, fast_pdf
):
    """Two «try again» at once: the one that flips the status enqueues the task."""
    export = PdfExport.objects.create(
        version=v2,
        fingerprint=pdf.fingerprint(v2, with_comments=False),
        status=ExportStatus.FAILED,
        error="Feil.",
    )
    manager = type(PdfExport.objects)
    real = manager.get_or_create

    def get_or_create_then_the_other_request_wins(self, *args, **kwargs):
        found, created = real(self, *args, **kwargs)
        # The other request re-queued it since this one read it as failed.
        PdfExport.objects.filter(pk=found.pk).update(
            status=ExportStatus.QUEUED, error=""
        )
        return found, created

    monkeypatch.setattr(
        manager, "get_or_create", get_or_create_then_the_other_request_wins
    )
    queued = []
    monkeypatch.setattr(jobs, "_enqueue", queued.append)
    result = request_pdf(v2)
    assert result.pk == export.pk and result.status == ExportStatus.QUEUED
    assert queued == []


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_pdf(strategy, people, monkeypatch, fast_pdf):
    require(
        connection.vendor == "postgresql",
        "requests at once need PostgreSQL (set DATABASE_URL)",
    )
    v2 = strategy.versions.get(number=2)
    together = threading.Barrier(2, timeout=10)
    real_fingerprint = pdf.fingerprint

    def fingerprint_then_wait(version, *, with_comments):
        key = real_fingerprint(version, with_comments=with_comments)
        together.wait()  # both insert at the same moment
        return key

    monkeypatch.setattr(pdf, "fingerprint", fingerprint_then_wait)
    exports, errors = [], []

    def ask(persona):
        try:
            exports.append(
                jobs.export_request(
                    version=v2, with_comments=False, by=people[persona]
                ).pk
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=ask, args=(p,))
        for p in ("sekretariat", "arbeidsgruppe")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(exports) == 2 and exports[0] == exports[1]
    assert PdfExport.objects.count() == 1
    assert len(fast_pdf) == 1
    assert PdfExport.objects.get().status == ExportStatus.READY


# --- 4. Who may ask, follow and download ------------------------------------------


def _urls(export, slug=SLUG) -> list[str]:
    base = f"/strategi/{slug}/pdf/{export.pk}/"
    return [base, f"{base}status/", f"{base}last-ned/"]


@pytest.fixture
def exports(v2, draft, request_pdf, fast_pdf):
    """A ready PDF of version 2 (for review) and of version 3 (a working draft)."""
    return {"review": request_pdf(v2), "draft": request_pdf(draft)}


READS = {
    "sekretariat": {"review": 200, "draft": 200},
    "arbeidsgruppe": {"review": 200, "draft": 200},
    "radsmedlem": {"review": 200, "draft": 404},
    "other_secretariat": {"review": 404, "draft": 404},
    "outsider": {"review": 404, "draft": 404},
}


def test_who_may_follow_and_download_an_export(exports, as_user):
    for persona, expected_by_version in READS.items():
        client = as_user(persona)
        for which, expected in expected_by_version.items():
            for url in _urls(exports[which]):
                assert client.get(url).status_code == expected, (persona, url)


def test_the_download_is_the_pdf_as_an_attachment(exports, as_user):
    response = as_user("radsmedlem").get(_urls(exports["review"])[2])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{FILENAME.format(2)}"'
    )
    data = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_anonymous_visitors_are_sent_to_the_login(exports):
    client = Client()
    for export in exports.values():
        for url in _urls(export):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/logg-inn/")
    response = client.post(f"/strategi/{SLUG}/versjon/2/pdf/")
    assert response["Location"].startswith("/logg-inn/")


def test_an_export_is_only_found_under_its_own_process(exports, as_user, people):
    other = people["other_secretariat"].memberships.get().process
    for url in _urls(exports["review"], slug=other.slug):
        assert as_user("other_secretariat").get(url).status_code == 404


def test_a_download_before_the_pdf_is_ready_is_not_found(v2, as_user):
    export = PdfExport.objects.create(
        version=v2, fingerprint=pdf.fingerprint(v2, with_comments=False)
    )
    client = as_user("sekretariat")
    assert client.get(_urls(export)[2]).status_code == 404
    html = client.get(_urls(export)[0]).content.decode()
    assert "i kø" in html and '<meta http-equiv="refresh" content="3">' in html
    assert client.get(_urls(export)[1]).json()["download"] == ""


ASKS = [
    ("sekretariat", 3, 302),
    ("arbeidsgruppe", 3, 302),
    ("radsmedlem", 2, 302),
    ("radsmedlem", 3, 404),
    ("outsider", 2, 404),
    ("other_secretariat", 2, 404),
]


def test_who_may_ask_for_a_pdf(
    draft, as_user, fast_pdf, django_capture_on_commit_callbacks
):
    for persona, version, expected in ASKS:
        PdfExport.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(persona).post(f"/strategi/{SLUG}/versjon/{version}/pdf/")
        assert response.status_code == expected, (persona, version)
        if expected == 302:
            export = PdfExport.objects.get(version__number=version)
            assert response["Location"] == f"/strategi/{SLUG}/pdf/{export.pk}/"
            assert export.status == ExportStatus.READY
            assert export.requested_by.username == persona
        else:
            assert not PdfExport.objects.exists(), (persona, version)


def test_only_staff_can_ask_for_the_comments_appendix(
    v2, as_user, fast_pdf, django_capture_on_commit_callbacks
):
    for persona, appendix in [
        ("sekretariat", True),
        ("arbeidsgruppe", True),
        ("radsmedlem", False),
    ]:
        PdfExport.objects.all().delete()
        fast_pdf.clear()
        with django_capture_on_commit_callbacks(execute=True):
            as_user(persona).post(f"/strategi/{SLUG}/versjon/2/pdf/", {"comments": "1"})
        export = PdfExport.objects.get()
        assert export.with_comments is appendix, persona
        assert (APPENDIX_C in fast_pdf[0]) is appendix, persona
        version_page = as_user(persona).get(f"/strategi/{SLUG}/versjon/2/").content
        assert (b'name="comments"' in version_page) is appendix, persona


@pytest.fixture
def adopted(v2, people):
    adoption.version_adopt(
        version=v2,
        body="Representantskapet",
        meeting_date=datetime.date(2025, 12, 4),
        case_number="12/25",
        text="Strategien vedtas.",
        by=people["sekretariat"],
    )
    v2.refresh_from_db()
    return v2


def test_anyone_can_make_and_download_the_pdf_of_the_adopted_public_version(
    adopted, fast_pdf, django_capture_on_commit_callbacks, mipr
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/strategi/{SLUG}/versjon/2/pdf/", {"comments": "1"})
    export = PdfExport.objects.get()
    assert response["Location"] == f"/strategi/{SLUG}/pdf/{export.pk}/"
    assert export.requested_by is None and export.with_comments is False
    assert "Vedtatt 4. desember 2025" in fast_pdf[0]
    status, data, download = (client.get(url) for url in _urls(export))
    assert status.status_code == 200 and "Last ned PDF-en" in status.content.decode()
    assert data.json()["download"] == _urls(export)[2]
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    mipr.is_public = False
    mipr.save(update_fields=["is_public"])
    assert Client().get(_urls(export)[2])["Location"].startswith("/logg-inn/")


# --- 5. export_strategy_pdf -------------------------------------------------------


def test_the_command_adds_the_comments_appendix_for_a_given_version(v1, tmp_path):
    output = tmp_path / "v1.pdf"
    call_command(
        "export_strategy_pdf",
        "--version",
        str(v1.pk),
        "--appendix-comments",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    pages = pages_of(output.read_bytes())
    assert "Utkast versjon 1" in pages[0]
    assert_toc_points_at_the_headings(
        pages, [*CHAPTERS, APPENDIX_A, APPENDIX_B, APPENDIX_C]
    )
    comments = squash(appendix(pages, APPENDIX_C, None))
    assert squash("Bør beredskap løftes tydeligere fram som egen utfordring?") in (
        comments
    )
    assert squash("Savner et konkret tiltak for felles næringsforum.") in comments
    assert "Løstav" in comments and "Ikkeløst" in comments


def test_the_command_refuses_an_unknown_version(strategy, tmp_path):
    output = tmp_path / "ingen.pdf"
    with pytest.raises(CommandError, match="No such version"):
        call_command(
            "export_strategy_pdf", "--version", "999999", "--output", str(output)
        )
    assert not output.exists()


def test_the_command_reports_a_section_it_cannot_show(v2, people, tmp_path):
    _spoil(v2, "Bjelle \x07", people["sekretariat"])
    output = tmp_path / "feil.pdf"
    with pytest.raises(CommandError, match="inneholder tegn som ikke er tillatt"):
        call_command("export_strategy_pdf", "--output", str(output))
    assert not output.exists()


def test_an_export_killed_by_its_hard_time_limit_can_be_asked_for_again(
    v2, fast_pdf, request_pdf
):
    import datetime

    from django.utils import timezone

    from strategy.models import PdfExport

    export = request_pdf(v2)
    PdfExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    again = request_pdf(v2)
    assert again.pk == export.pk and again.status == ExportStatus.READY


def test_an_export_whose_task_was_lost_in_the_queue_is_sent_again(
    v2, fast_pdf, request_pdf, monkeypatch
):
    import datetime

    from django.utils import timezone

    from strategy.models import PdfExport

    sent = []
    monkeypatch.setattr(
        make_pdf, "apply_async", lambda *a, **kw: sent.append(kw or a)
    )  # the broker takes the message, and no worker ever sees it
    export = request_pdf(v2)
    assert export.status == ExportStatus.QUEUED and len(sent) == 1
    assert request_pdf(v2).status == ExportStatus.QUEUED
    assert len(sent) == 1  # queued a moment ago: no second task

    PdfExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    monkeypatch.undo()
    again = request_pdf(v2)
    assert again.pk == export.pk and again.status == ExportStatus.READY
    assert PdfExport.objects.count() == 1


def test_an_export_redelivered_too_often_stops_with_a_message(v2):
    from strategy.models import PdfExport

    export = PdfExport.objects.create(version=v2, fingerprint="x", attempts=3)
    stopped = jobs.export_run(export_id=export.pk)
    assert stopped.status == ExportStatus.FAILED
    assert "feil hos oss" in stopped.error


def test_a_dead_broker_fails_the_export_with_a_message_and_a_retry_works(
    v2, as_user, monkeypatch, fast_pdf, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError as BrokerDown

    real_send = make_pdf.apply_async

    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(make_pdf, "apply_async", broker_down)
    client = as_user("sekretariat")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/strategi/{SLUG}/versjon/2/pdf/")
    assert response.status_code == 302  # no 500 for the user
    export = PdfExport.objects.get()
    assert export.status == ExportStatus.FAILED
    assert "bakgrunnstjenesten svarer ikke" in export.error
    page = client.get(response["Location"]).content.decode()
    assert "bakgrunnstjenesten svarer ikke" in page and "Prøv igjen" in page

    monkeypatch.setattr(make_pdf, "apply_async", real_send)  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/strategi/{SLUG}/versjon/2/pdf/")
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert PdfExport.objects.count() == 1
