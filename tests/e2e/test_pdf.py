"""«Lag PDF» in the browser: the status page follows the export without a
reload, the download is a real PDF, and the page works without JavaScript.

The live server has no broker: the task runs in the request, so an export is
ready (or failed) by the time the status page opens. The tests of the page's
polling therefore make the export themselves, step by step, in the database
the live server reads.
"""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from tests.e2e.conftest import log_in, scan_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "mipr-2026-2029"
BASE = f"/strategi/{SLUG}"
TITLE = "Strategi for Mosseregionen 2026–2029"


@pytest.fixture(autouse=True)
def _media_in_tmp(media):
    """Every test here stores its PDFs in a directory of its own."""
    return media


@pytest.fixture
def strategy(mipr_plan):
    """The demo plan, workshop, findings and the strategy with versions 1 and 2."""
    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import workshop as workshop_demo

    workshop_demo.load(mipr_plan)
    evidence_demo.load(mipr_plan)
    return document_demo.load_strategy(mipr_plan)


@pytest.fixture
def v2(strategy):
    return strategy.versions.get(number=2)


@pytest.fixture
def fast_pdf(monkeypatch):
    """WeasyPrint replaced by a blank page (the live server runs in this process)."""
    from strategy.pdf import render as pdf

    def write_pdf(html):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    monkeypatch.setattr(pdf, "write_pdf", write_pdf)


@pytest.fixture
def queued(v2):
    """An export waiting for a worker, as export_request leaves it."""
    from strategy.models import PdfExport
    from strategy.pdf import render as pdf

    return PdfExport.objects.create(
        version=v2, fingerprint=pdf.fingerprint(v2, with_comments=False)
    )


def _download(page) -> tuple[str, PdfReader]:
    with page.expect_download() as info:
        page.get_by_role("link", name="Last ned PDF-en").click()
    download = info.value
    with open(download.path(), "rb") as file:
        return download.suggested_filename, PdfReader(io.BytesIO(file.read()))


def _set_status(export, status):
    from strategy.models import PdfExport

    PdfExport.objects.filter(pk=export.pk).update(status=status)


def test_make_pdf_and_download_it_and_the_status_page_passes_axe(page, v2):
    from strategy.models import PdfExport

    log_in(page, "sekretariat")
    page.goto(f"{BASE}/versjon/2/")
    page.get_by_role("button", name="Lag PDF").click()
    export = PdfExport.objects.get(version=v2)
    page.wait_for_url(f"**{BASE}/pdf/{export.pk}/")

    expect(page.get_by_role("heading", name="PDF av versjon 2")).to_be_visible()
    expect(page.locator("#pdf-status")).to_have_text("klar")
    expect(page.locator("#pdf-progress")).to_have_js_property("value", 3)
    expect(page.locator("#pdf-error")).to_be_hidden()
    export.refresh_from_db()
    expect(page.locator("#pdf-download")).to_contain_text(f"({export.pages} sider)")
    scan_accessibility(page)

    name, reader = _download(page)
    assert name.endswith("-versjon-2.pdf")
    assert len(reader.pages) == export.pages
    assert reader.metadata.title == TITLE
    cover = reader.pages[0].extract_text()
    assert "Versjon 2" in cover and "UTKAST – ikke vedtatt" in cover
    assert reader.metadata["/Subject"] == "Utkast versjon 2"


def test_the_status_follows_the_export_without_a_reload(page, queued, fast_pdf):
    from strategy.pdf import jobs

    log_in(page, "arbeidsgruppe")
    page.goto(f"{BASE}/pdf/{queued.pk}/")
    status = page.locator("#pdf-status")
    progress = page.locator("#pdf-progress")
    expect(status).to_have_text("i kø")
    expect(progress).to_have_js_property("value", 1)
    expect(page.get_by_role("link", name="Last ned PDF-en")).to_be_hidden()
    scan_accessibility(page)
    page.evaluate("window.stillTheSamePage = true")

    _set_status(queued, "running")
    expect(status).to_have_text("lages", timeout=8_000)
    expect(progress).to_have_js_property("value", 2)

    jobs.export_run(export_id=queued.pk)
    expect(status).to_have_text("klar", timeout=8_000)
    expect(progress).to_have_js_property("value", 3)
    expect(page.get_by_role("link", name="Last ned PDF-en")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True  # no reload

    _name, reader = _download(page)
    assert len(reader.pages) == 1


def test_a_failed_export_shows_its_message_and_can_be_tried_again(
    page, queued, fast_pdf
):
    from strategy.pdf import jobs

    log_in(page, "sekretariat")
    page.goto(f"{BASE}/pdf/{queued.pk}/")
    expect(page.locator("#pdf-status")).to_have_text("i kø")

    jobs.export_fail(export_id=queued.pk, message=jobs.timeout_message())
    # The page reloads itself to offer «Prøv igjen».
    try_again = page.get_by_role("button", name="Prøv igjen")
    expect(try_again).to_be_visible(timeout=8_000)
    expect(page.locator("#pdf-status")).to_have_text("feilet")
    expect(page.locator("#pdf-error")).to_have_text(
        "Det tok for lang tid å lage PDF-en, så arbeidet ble stoppet. "
        "Prøv igjen, eller gjør dokumentet kortere."
    )
    scan_accessibility(page)

    try_again.click()  # the task runs in the request: ready at once
    page.wait_for_url(f"**{BASE}/pdf/{queued.pk}/")
    expect(page.locator("#pdf-status")).to_have_text("klar")
    expect(page.get_by_role("link", name="Last ned PDF-en")).to_be_visible()


def test_the_status_page_works_without_javascript(new_page, queued, fast_pdf):
    from strategy.pdf import jobs

    page = new_page(java_script_enabled=False)
    log_in(page, "sekretariat")

    # A queued export: the page refreshes itself (<noscript> meta refresh).
    page.goto(f"{BASE}/pdf/{queued.pk}/")
    expect(page.locator("#pdf-status")).to_have_text("i kø")
    jobs.export_run(export_id=queued.pk)
    expect(page.locator("#pdf-status")).to_have_text("klar", timeout=8_000)
    _name, reader = _download(page)
    assert len(reader.pages) == 1

    # «Lag PDF» with the comments appendix: a plain form post and redirect.
    page.goto(f"{BASE}/versjon/2/")
    page.get_by_label("Med kommentarene fra gjennomgangen som vedlegg").check()
    page.get_by_role("button", name="Lag PDF").click()
    page.wait_for_url(f"**{BASE}/pdf/*/")
    assert page.url.rstrip("/").rsplit("/", 1)[-1] != str(queued.pk)
    expect(page.locator("#pdf-status")).to_have_text("klar")
    _name, reader = _download(page)
    assert len(reader.pages) == 1


def test_anyone_downloads_the_pdf_of_the_adopted_strategy(page, v2, fast_pdf):
    import datetime

    from strategy import adoption
    from strategy.models import PdfExport

    adoption.version_adopt(
        version=v2,
        body="Representantskapet",
        meeting_date=datetime.date(2025, 12, 4),
        case_number="12/25",
        text="Strategien vedtas.",
        by=None,
    )
    page.goto(f"{BASE}/versjon/2/")
    page.get_by_role("button", name="Lag PDF").click()
    export = PdfExport.objects.get(version=v2)
    page.wait_for_url(f"**{BASE}/pdf/{export.pk}/")
    expect(page.locator("#pdf-status")).to_have_text("klar")
    _name, reader = _download(page)
    assert len(reader.pages) == 1
