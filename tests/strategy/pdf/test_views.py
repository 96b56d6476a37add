"""The PDF pages: who may ask for, follow and download an export."""

import datetime
import io

import pytest
from django.test import Client
from pypdf import PdfReader

from strategy import adoption
from strategy.models import ExportStatus, PdfExport
from strategy.pdf import render as pdf

from .helpers import (
    APPENDIX_C,
    FILENAME,
    SLUG,
    SPOILED,
    spoil,
)

pytestmark = pytest.mark.django_db


def test_the_status_page_shows_the_error_and_offers_to_try_again(
    v2, people, request_pdf, fast_pdf, as_user
):
    spoil(v2, "Bjelle \x07", people["sekretariat"])
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
