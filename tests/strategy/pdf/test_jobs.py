"""PDF jobs (strategy/pdf/jobs.py and the task): one export per version, options
and content, failures with a message, retries, stuck and lost exports."""

import datetime
import threading
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError, connection

from strategy import writing
from strategy.models import ExportStatus, PdfExport
from strategy.pdf import jobs
from strategy.pdf import render as pdf
from strategy.tasks import make_pdf
from tests.helpers import require

from .helpers import (
    SECTION_FAULTS,
    SLUG,
    spoil,
    tiny_pdf,
)

pytestmark = pytest.mark.django_db


def test_a_section_the_pdf_cannot_show_fails_the_export_with_a_message(
    v1, v2, people, request_pdf, fast_pdf, no_network
):
    for fault, (body, message) in SECTION_FAULTS.items():
        section = spoil(v2, body, people["sekretariat"])

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


def test_an_export_killed_by_its_hard_time_limit_can_be_asked_for_again(
    v2, fast_pdf, request_pdf
):

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


def test_superseded_and_old_failed_exports_are_deleted_with_their_files(v1, v2, media):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from strategy.pdf import jobs

    def made(version, *, hours_ago, status=ExportStatus.READY, **fields):
        when = timezone.now() - datetime.timedelta(hours=hours_ago)
        export = PdfExport.objects.create(
            version=version,
            fingerprint=f"{version.pk}-{hours_ago}",
            status=status,
            **fields,
        )
        if status == ExportStatus.READY:
            export.file.save(f"{export.pk}.pdf", ContentFile(tiny_pdf()))
        PdfExport.objects.filter(pk=export.pk).update(
            finished_at=when, requested_at=when
        )
        return export

    published = made(v1, hours_ago=30, is_published=True)
    newest_v1 = made(v1, hours_ago=2)
    old_v2 = made(v2, hours_ago=5)
    replaced_v2 = made(v2, hours_ago=3)
    newest_v2 = made(v2, hours_ago=0.5)
    failed = made(v2, hours_ago=48, status=ExportStatus.FAILED)
    recently_failed = made(v2, hours_ago=1, status=ExportStatus.FAILED)
    paths = [Path(e.file.path) for e in (old_v2, replaced_v2)]

    assert jobs.delete_superseded() == 3
    left = set(PdfExport.objects.values_list("pk", flat=True))
    assert left == {published.pk, newest_v1.pk, newest_v2.pk, recently_failed.pk}
    assert not PdfExport.objects.filter(pk=failed.pk).exists()
    assert not any(path.exists() for path in paths)
    assert Path(published.file.path).exists()
    assert jobs.delete_superseded() == 0


def test_the_beat_schedule_sends_the_daily_tasks():
    from django.conf import settings

    from mipr.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names == {"mipr.retention", "strategy.delete_superseded_pdfs"}
    assert names <= set(app.tasks)
