"""The PDF made by a real Celery worker through Redis, and a worker killed in the
middle of a render (acks_late + reject_on_worker_lost: the task comes back).

The worker is another process: it reaches this test's data only when the data
is committed (a transactional test) in a database both can open (PostgreSQL).
"""

import io
import os
import signal
import uuid

import pytest
from pypdf import PdfReader

from demo import document as document_demo
from strategy.models import ExportStatus, PdfExport
from strategy.pdf import render as pdf
from strategy.tasks import make_pdf
from tests import workers

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

TITLE = "Strategi for Mosseregionen 2026–2029"


def _log(tmp_path) -> str:
    return workers.logs(tmp_path, "worker")


def _queue() -> str:
    return f"test-pdf-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def export(mipr):
    """A queued export of the demo's newest version, as export_request makes it.

    Enqueued by the test itself, on its own queue: export_request would send
    it to the default queue, where no worker of this test listens.
    """
    version = document_demo.load_strategy(mipr).versions.get(number=2)
    return PdfExport.objects.create(
        version=version,
        with_comments=False,
        fingerprint=pdf.fingerprint(version, with_comments=False),
    )


def _assert_valid_pdf(export: PdfExport) -> None:
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.error == ""
    with export.file.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    assert len(reader.pages) == export.pages >= 5
    assert reader.metadata.title == TITLE


def test_a_real_worker_makes_the_pdf_through_redis(start_worker, export, tmp_path):
    queue = _queue()
    start_worker(queue)
    with workers.logs_on_failure(tmp_path):
        result = make_pdf.apply_async(
            args=[export.pk], queue=queue, ignore_result=False
        )
        assert result.get(timeout=120) == ExportStatus.READY
        _assert_valid_pdf(export)
        assert export.attempts == 1
    assert "strategy.make_pdf" in _log(tmp_path)


def test_a_render_killed_with_its_worker_is_made_again(
    start_worker, export, people, tmp_path
):
    workers.lengthen_render(export.version, by=people["sekretariat"])
    PdfExport.objects.filter(pk=export.pk).update(
        fingerprint=pdf.fingerprint(export.version, with_comments=False)
    )
    queue = _queue()
    worker = start_worker(queue, pool="prefork")
    with workers.logs_on_failure(tmp_path):
        make_pdf.apply_async(args=[export.pk], queue=queue)
        assert workers.wait_for_export(export.pk, {"running"}, timeout=60) == "running"
        children = workers.pool_children(worker.pid)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)
        # Killed before it was done.
        assert workers.export_status(export.pk) == "running"

        # The pool starts a new child; the message, rejected and requeued,
        # comes back to it and the export is made from the start.
        status = workers.wait_for_export(export.pk, {"ready", "failed"}, timeout=120)
        if status == "running" and worker.poll() is not None:
            start_worker(queue, pool="prefork")  # the worker itself went down
            status = workers.wait_for_export(
                export.pk, {"ready", "failed"}, timeout=120
            )
        assert status == "ready"
        _assert_valid_pdf(export)
        assert export.attempts == 2
        assert workers.pool_children(worker.pid) not in ([], children)
    assert "WorkerLostError" in _log(tmp_path) or "SIGKILL" in _log(tmp_path)
