"""The PDF made by a real Celery worker through Redis, and a worker killed in the
middle of a render (acks_late + reject_on_worker_lost: the task comes back).

The worker is another process: it reaches this test's data only when the data
is committed (a transactional test) in a database both can open (PostgreSQL).
"""

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from strategy import demo as strategy_demo
from strategy import drafts, pdf
from strategy.models import ExportStatus, PdfExport
from strategy.tasks import make_pdf
from tests.conftest import require
from tests.helpers import ROOT

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

TITLE = "Strategi for Mosseregionen 2026–2029"


def _redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def services():
    """Redis and PostgreSQL, or a skip (a failure under REQUIRE_SERVICES=1)."""
    url = os.environ.get("REDIS_URL", "")
    require(bool(url), "REDIS_URL is not set: the worker test needs Redis")
    require(_redis_answers(url), f"Redis does not answer at {url}")
    require(
        connection.vendor == "postgresql",
        "the worker reaches the test database only on PostgreSQL (DATABASE_URL)",
    )
    return url


def _test_database_url() -> str:
    """DATABASE_URL with the name of the database this test run created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = settings.DATABASES["default"]["NAME"]
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def start_worker(services, media, tmp_path):
    """Starts workers on a queue of their own; stops them after the test."""
    started = []

    def start(queue: str, *, pool: str = "solo"):
        log = (tmp_path / f"worker-{len(started)}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mipr",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{queue}-{len(started)}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "REDIS_URL": services,
                "DATABASE_URL": _test_database_url(),
                "MEDIA_ROOT": str(media),
                "DEBUG": "0",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: the pool's children go with it at the end.
            start_new_session=True,
        )
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


def _log(tmp_path) -> str:
    return "\n".join(path.read_text() for path in sorted(tmp_path.glob("worker-*")))


def _status(export_id: int) -> str:
    return PdfExport.objects.values_list("status", flat=True).get(pk=export_id)


def _wait_for(export_id: int, statuses: set, *, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    status = _status(export_id)
    while status not in statuses and time.monotonic() < deadline:
        time.sleep(0.05)
        status = _status(export_id)
    return status


def _queue() -> str:
    return f"test-pdf-{uuid.uuid4().hex[:8]}"


@contextmanager
def _stopped_on_failure(tmp_path):
    """The worker's log in the failure message: what it did is otherwise lost."""
    try:
        yield
    except AssertionError as error:
        raise AssertionError(f"{error}\n--- worker log ---\n{_log(tmp_path)}") from None


@pytest.fixture
def export(mipr):
    """A queued export of the demo's newest version, as export_request makes it.

    Enqueued by the test itself, on its own queue: export_request would send
    it to the default queue, where no worker of this test listens.
    """
    version = strategy_demo.load_strategy(mipr).versions.get(number=2)
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
    assert len(reader.pages) == export.pages >= 13
    assert reader.metadata.title == TITLE


def test_a_real_worker_makes_the_pdf_through_redis(start_worker, export, tmp_path):
    queue = _queue()
    start_worker(queue)
    with _stopped_on_failure(tmp_path):
        result = make_pdf.apply_async(args=[export.pk], queue=queue)
        assert result.get(timeout=120) == ExportStatus.READY
        _assert_valid_pdf(export)
        assert export.attempts == 1
    assert "strategy.make_pdf" in _log(tmp_path)


def _pool_children(pid: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(line) for line in found.stdout.split()]


def test_a_render_killed_with_its_worker_is_made_again(
    start_worker, export, people, tmp_path
):
    # Long enough a render that the kill lands in the middle of it.
    section = export.version.sections.get(order=7)
    paragraph = "Kommunene i Mosseregionen samarbeider om næring og beredskap. " * 8
    drafts.section_save(
        section=section,
        heading=section.heading,
        body="\n\n".join(f"## Del {n}\n\n{paragraph}" for n in range(80)),
        revision=section.revision,
        by=people["sekretariat"],
    )
    PdfExport.objects.filter(pk=export.pk).update(
        fingerprint=pdf.fingerprint(export.version, with_comments=False)
    )
    queue = _queue()
    worker = start_worker(queue, pool="prefork")
    with _stopped_on_failure(tmp_path):
        make_pdf.apply_async(args=[export.pk], queue=queue)
        assert _wait_for(export.pk, {"running"}, timeout=60) == "running"
        children = _pool_children(worker.pid)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)
        assert _status(export.pk) == "running"  # killed before it was done

        # The pool starts a new child; the message, rejected and requeued,
        # comes back to it and the export is made from the start.
        status = _wait_for(export.pk, {"ready", "failed"}, timeout=120)
        if status == "running" and worker.poll() is not None:
            start_worker(queue, pool="prefork")  # the worker itself went down
            status = _wait_for(export.pk, {"ready", "failed"}, timeout=120)
        assert status == "ready"
        _assert_valid_pdf(export)
        assert export.attempts == 2
        assert _pool_children(worker.pid) not in ([], children)
    assert "WorkerLostError" in _log(tmp_path) or "SIGKILL" in _log(tmp_path)
