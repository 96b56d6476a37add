"""Fault drills (issue 8): a worker, Redis and PostgreSQL fail under the app.

Each drill breaks a real service the way production would see it and checks
what the user and the data see afterwards. The worker and the web server are
other processes: they reach the test's data only on PostgreSQL, in a
transactional test. The browser drill (the server killed during an autosave)
is in tests/e2e/test_fault_drills_browser.py.
"""

import io
import json
import re
import socket
import threading
import time
import uuid
from contextlib import contextmanager

import psycopg
import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

from mipr import celery_app
from strategy.models import ExportStatus, PdfExport, Version
from strategy.pdf import jobs
from tests import workers

SLUG = "mipr-2026-2029"
QUEUE_DOWN = "PDF-en kunne ikke startes: bakgrunnstjenesten svarer ikke."


@pytest.fixture
def queue(services):
    """A queue of this test's own, where the app sends the PDF task."""
    name = f"test-drill-{uuid.uuid4().hex[:8]}"
    with workers.tasks_routed_to(name, "strategy.make_pdf"):
        yield name


@pytest.fixture
def version(db):
    """Version 2 of the demo strategy, as `make run` loads it."""
    call_command("load_mipr_demo", "--force", stdout=io.StringIO())
    return Version.objects.get(strategy__process__slug=SLUG, number=2)


@pytest.fixture
def secretariat(version):
    return get_user_model().objects.get(username="sekretariat")


def _stored_pdfs(media) -> list:
    return sorted((media / "pdf").glob("*.pdf")) if (media / "pdf").exists() else []


def _assert_one_valid_pdf(export: PdfExport, media) -> None:
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.error == ""
    assert PdfExport.objects.filter(version=export.version).count() == 1
    assert [path.name for path in _stored_pdfs(media)] == [
        export.file.name.rsplit("/", 1)[-1]
    ]
    with export.file.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    assert len(reader.pages) == export.pages >= 5


# --- 1. The whole worker killed in the middle of a render -----------------------


def _held_by_broker(redis_url: str, queue: str) -> tuple[int, int]:
    """Messages of this queue: waiting, and handed out but not acknowledged
    (kombu keeps those in the hash `unacked` until the worker acknowledges)."""
    with redis.Redis.from_url(redis_url) as client:
        unacked = [json.loads(raw) for raw in client.hvals("unacked")]
        waiting = client.llen(queue)
    return waiting, sum(1 for _m, _ex, key in unacked if key == queue)


def test_the_production_visibility_timeout_outlasts_every_task_time_limit():
    """Shorter, and Redis would hand a task still running to a second worker."""
    from strategy.tasks import make_pdf

    timeout = celery_app.conf.broker_transport_options["visibility_timeout"]
    assert timeout > celery_app.conf.task_time_limit >= make_pdf.time_limit
    assert timeout <= 30 * 60  # not Redis's hour: a killed task comes back soon


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_export_whose_whole_worker_is_killed_is_made_once_by_the_next_worker(
    services, start_worker, queue, version, secretariat, media, tmp_path
):
    workers.lengthen_render(version, by=secretariat)
    first = start_worker(queue, pool="prefork")
    with workers.logs_on_failure(tmp_path):
        export = jobs.export_request(
            version=version, with_comments=False, by=secretariat
        )
        assert workers.wait_for_export(export.pk, {"running"}, timeout=60) == "running"
        assert len(workers.pool_children(first.pid)) == 1
        workers.kill_group(first)  # the main process and its pool, at once

        # Nothing was finished, and nothing tells the broker so: the task is
        # still handed out, unacknowledged (acks_late).
        assert workers.export_status(export.pk) == "running"
        assert _stored_pdfs(media) == []
        assert _held_by_broker(services, queue) == (0, 1)

        # A new worker takes it back once the visibility timeout has passed:
        # 20 minutes in production, a second here.
        start_worker(queue, pool="prefork", env={"CELERY_VISIBILITY_TIMEOUT": "1"})
        status = workers.wait_for_export(export.pk, {"ready", "failed"}, timeout=120)
        assert status == "ready"
        _assert_one_valid_pdf(export, media)
        assert export.attempts == 2  # the killed render and the one that finished
        assert _held_by_broker(services, queue) == (0, 0)

    first_log, second_log = ((tmp_path / f"worker-{n}.log").read_text() for n in (0, 1))
    # The same message, received by both workers, finished once.
    (task_id,) = re.findall(r"strategy\.make_pdf\[([0-9a-f-]+)\] received", first_log)
    assert f"{task_id}] succeeded" not in first_log
    assert second_log.count(f"strategy.make_pdf[{task_id}] received") == 1
    assert second_log.count("] succeeded") == 1
    assert f"{task_id}] succeeded" in second_log


# --- 2. Redis dead when the export is asked for ---------------------------------


def _use_broker(url: str) -> None:
    """Broker and result store at url, as both are one Redis in production."""
    celery_app.conf.broker_url = url
    celery_app.conf.result_backend = url
    # The app keeps its pools (kombu's, one per address) and its result store:
    # pick them again.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@contextmanager
def _dead_redis(kind: str):
    """The app's Redis (broker and health check) on a port where none answers.

    refused: nothing listens (Redis stopped). silent: the connection is taken
    and never answered (a frozen Redis, a half-open connection).
    """
    with socket.socket() as port:
        port.bind(("127.0.0.1", 0))
        held = []
        if kind == "silent":
            port.listen(50)

            def take():
                while True:
                    try:
                        held.append(port.accept()[0])
                    except OSError:  # closed at the end of the test
                        return

            threading.Thread(target=take, daemon=True).start()
        dead = f"redis://127.0.0.1:{port.getsockname()[1]}/0"
        alive = celery_app.conf.broker_url
        assert celery_app.conf.result_backend == alive
        _use_broker(dead)
        try:
            with override_settings(REDIS_URL=dead):
                yield
        finally:
            _use_broker(alive)
            for connection in held:
                connection.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_a_dead_redis_gets_a_message_no_stuck_export_and_a_retry_makes_the_pdf(
    services, start_worker, queue, version, secretariat, client, media, tmp_path, kind
):
    client.force_login(secretariat)
    version_page = client.get(f"/strategi/{SLUG}/versjon/2/").content.decode()
    make_pdf_url = f"/strategi/{SLUG}/versjon/2/pdf/"
    assert f'action="{make_pdf_url}"' in version_page and "Lag PDF" in version_page

    with _dead_redis(kind):
        started = time.monotonic()
        response = client.post(make_pdf_url)
        # Well within gunicorn's 30 s: the user gets the answer, not a timeout.
        assert time.monotonic() - started < 15
        assert response.status_code == 302  # no 500
        export = PdfExport.objects.get()
        assert export.status == ExportStatus.FAILED  # not queued for ever
        assert export.error.startswith(QUEUE_DOWN)
        page = client.get(response["Location"])
        assert page.status_code == 200
        html = page.content.decode()
        assert QUEUE_DOWN in html and "Prøv igjen" in html

        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"] == "ok"
        assert health.json()["broker"].startswith("unavailable")

    assert client.get("/healthz").json()["broker"] == "ok"
    start_worker(queue)
    with workers.logs_on_failure(tmp_path):
        response = client.post(make_pdf_url)  # «Prøv igjen» posts the same form
        assert response["Location"] == f"/strategi/{SLUG}/pdf/{export.pk}/"
        status = workers.wait_for_export(export.pk, {"ready", "failed"}, timeout=120)
        assert status == "ready"
        _assert_one_valid_pdf(export, media)
        assert export.attempts == 1
        assert "Last ned PDF-en" in client.get(response["Location"]).content.decode()


# --- 3. PostgreSQL restarted while the app runs ---------------------------------


def _backends(application_name: str) -> set[int]:
    with psycopg.connect(workers.shared_database_url(), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        ).fetchall()
    return {pid for (pid,) in rows}


def _terminate(pids: set[int]) -> None:
    """What a restart of PostgreSQL does to the app: its connections are cut."""
    with psycopg.connect(workers.shared_database_url(), autocommit=True) as admin:
        for pid in pids:
            # Waits (up to 5 s) until the backend is gone.
            admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


@pytest.fixture
def postgresql():
    workers.require_postgresql()


@pytest.fixture
def app_server(postgresql, mipr_plan, tmp_path):
    """Starts the app in gunicorn, tagged so that its connections can be found."""
    started = []

    def start(**env) -> tuple[workers.AppServer, str]:
        name = f"drill-{uuid.uuid4().hex[:8]}"
        server = workers.AppServer(log_dir=tmp_path, env={"PGAPPNAME": name, **env})
        started.append(server)
        server.start()
        return server, name

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def mipr_plan(demo_process):
    from demo import plan as demo

    demo.load(demo_process)
    return demo_process


@pytest.mark.django_db(transaction=True)
def test_the_app_answers_after_postgresql_cut_its_connections(app_server, tmp_path):
    server, name = app_server()
    with workers.logs_on_failure(tmp_path, "server"):
        assert server.get("/tidslinje/")[0] == 200
        before = _backends(name)
        assert len(before) == 1
        # A persistent connection: the next request is served on the same one.
        assert server.get("/tidslinje/")[0] == 200
        assert _backends(name) == before

        _terminate(before)
        assert _backends(name) == set()
        # CONN_HEALTH_CHECKS: the dead connection is found before it is used.
        status, page = server.get("/tidslinje/")
        assert status == 200 and "Fremdriftsplan" in page
        after = _backends(name)
        assert len(after) == 1 and after != before
        assert server.get("/healthz")[0] == 200


@pytest.mark.django_db(transaction=True)
def test_without_health_checks_the_first_request_after_the_cut_fails(
    app_server, tmp_path
):
    """The control: the drill above cuts the very connection the app uses."""
    (tmp_path / "no_health_checks.py").write_text(
        "from mipr.settings import *  # noqa: F403\n"
        'DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405\n'
    )
    server, name = app_server(
        DJANGO_SETTINGS_MODULE="no_health_checks", PYTHONPATH=str(tmp_path)
    )
    with workers.logs_on_failure(tmp_path, "server"):
        assert server.get("/tidslinje/")[0] == 200
        _terminate(_backends(name))
        assert server.get("/tidslinje/")[0] == 500
        assert server.get("/tidslinje/")[0] == 200  # closed after the error
