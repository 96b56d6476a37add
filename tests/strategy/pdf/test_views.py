"""The PDF pages: who may ask for, follow and download an export."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from strategy import adoption, review
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


def test_anyone_downloads_the_adopted_versions_pdf_made_at_adoption(
    v2, people, fast_pdf, django_capture_on_commit_callbacks, mipr
):
    with django_capture_on_commit_callbacks(execute=True):
        adoption.version_adopt(
            version=v2,
            body="Representantskapet",
            meeting_date=datetime.date(2025, 12, 4),
            case_number="12/25",
            text="Strategien vedtas.",
            by=people["sekretariat"],
        )
    export = PdfExport.objects.get()
    assert export.is_published and export.status == ExportStatus.READY
    assert "Vedtatt av Representantskapet 4. desember 2025, sak 12/25" in fast_pdf[0]

    # A visitor asking for it gets that one: nothing is rendered for them.
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/strategi/{SLUG}/versjon/2/pdf/", {"comments": "1"})
    assert response["Location"] == f"/strategi/{SLUG}/pdf/{export.pk}/"
    assert PdfExport.objects.count() == 1 and len(fast_pdf) == 1
    status, data, download = (client.get(url) for url in _urls(export))
    assert status.status_code == 200 and "Last ned PDF-en" in status.content.decode()
    assert data.json()["download"] == _urls(export)[2]
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    mipr.is_public = False
    mipr.save(update_fields=["is_public"])
    assert Client().get(_urls(export)[2])["Location"].startswith("/logg-inn/")


def test_visitors_get_only_the_published_pdf_and_make_no_other(
    v1, people, as_user, fast_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review.version_set_public(version=v1, public=True)
    published = PdfExport.objects.get(is_published=True)
    # A member's own PDF of the same version, after an edit: not for visitors.
    members = PdfExport.objects.create(
        version=v1,
        fingerprint="x",
        status=ExportStatus.READY,
        requested_by=people["radsmedlem"],
    )
    for url in _urls(members):
        assert Client().get(url).status_code == 404, url
        assert as_user("outsider").get(url).status_code == 404, url
    for url in _urls(members)[:2]:  # (it has no file to download)
        assert as_user("radsmedlem").get(url).status_code == 200, url
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(f"/strategi/{SLUG}/versjon/1/pdf/")
        assert response["Location"] == f"/strategi/{SLUG}/pdf/{published.pk}/"
    assert len(fast_pdf) == 1  # made once, when the version was made public


def test_members_asking_for_many_pdfs_are_asked_to_wait(
    v2, as_user, fast_pdf, django_capture_on_commit_callbacks
):
    from strategy.views.pdf import PDF_REQUESTS

    client = as_user("radsmedlem")
    for _ in range(PDF_REQUESTS.limit):
        assert client.post(f"/strategi/{SLUG}/versjon/2/pdf/").status_code == 302
    response = client.post(f"/strategi/{SLUG}/versjon/2/pdf/")
    assert response.status_code == 429
    assert "Du har bedt om mange PDF-er på kort tid" in response.content.decode()
    # Another member is not held back.
    assert (
        as_user("sekretariat").post(f"/strategi/{SLUG}/versjon/2/pdf/").status_code
        == 302
    )


def test_the_requester_is_told_when_the_pdf_is_being_made_already(v2, as_user, people):
    from strategy.pdf import jobs

    jobs.export_request(version=v2, with_comments=False, by=people["sekretariat"])
    PdfExport.objects.update(
        requested_at=timezone.now() - datetime.timedelta(seconds=5)
    )
    response = as_user("radsmedlem").post(
        f"/strategi/{SLUG}/versjon/2/pdf/", follow=True
    )
    assert "Denne PDF-en lages allerede" in response.content.decode()
