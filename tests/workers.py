"""The app's own processes, started by tests: Celery workers and the web server.

They are other processes: they reach a test's data only when it is committed
(a transactional test) in a database they can all open (PostgreSQL).
Each runs in a session of its own, so that a test can kill it with all its
children at once, as a crash would.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.db import connection

from tests.helpers import ROOT, require


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def require_postgresql() -> None:
    require(
        connection.vendor == "postgresql",
        "another process reaches the test database only on PostgreSQL (DATABASE_URL)",
    )


def require_redis() -> str:
    """REDIS_URL, or a skip (a failure under REQUIRE_SERVICES=1)."""
    url = os.environ.get("REDIS_URL", "")
    require(bool(url), "REDIS_URL is not set: the worker test needs Redis")
    require(redis_answers(url), f"Redis does not answer at {url}")
    return url


def shared_database_url() -> str:
    """DATABASE_URL with the name of the database this test run created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = settings.DATABASES["default"]["NAME"]
    return urlunsplit(parts._replace(path=f"/{name}"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL to the process and all its children: nothing gets to clean up."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _stop(process: subprocess.Popen, *, stop_signal=signal.SIGTERM) -> None:
    if process.poll() is not None:
        return
    process.send_signal(stop_signal)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        kill_group(process)


def logs(log_dir: Path, prefix: str) -> str:
    return "\n".join(path.read_text() for path in sorted(log_dir.glob(f"{prefix}-*")))


@contextmanager
def logs_on_failure(log_dir: Path, prefix: str = "worker"):
    """The processes' logs in the failure message: what they did is otherwise lost."""
    try:
        yield
    except AssertionError as error:
        raise AssertionError(
            f"{error}\n--- {prefix} logs ---\n{logs(log_dir, prefix)}"
        ) from None


# --- Celery workers -------------------------------------------------------------


@contextmanager
def celery_workers(*, redis_url: str, media: Path, log_dir: Path):
    """Yields `start(queue, pool=..., env=...)`; the workers stop at the end.

    Each worker listens on the queue it is given, so that no other test's
    task reaches it; it logs to `log_dir/worker-N.log`.
    """
    started = []

    def start(
        queue: str, *, pool: str = "solo", env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        log = (log_dir / f"worker-{len(started)}.log").open("w")
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
                "REDIS_URL": redis_url,
                "DATABASE_URL": shared_database_url(),
                "MEDIA_ROOT": str(media),
                "DEBUG": "0",
                **(env or {}),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append((process, log))
        return process

    try:
        yield start
    finally:
        for process, log in started:
            _stop(process)
            log.close()


@contextmanager
def tasks_routed_to(queue: str, *task_names: str):
    """Tasks the app sends itself (export_request, ...) go to this queue.

    The default queue is shared: a test's worker on it could take another
    test's leftovers.
    """
    from mipr import celery_app

    amqp = celery_app.amqp
    previous = celery_app.conf.task_routes
    celery_app.conf.task_routes = {name: {"queue": queue} for name in task_names}
    amqp.flush_routes()
    amqp.router = amqp.Router()
    try:
        yield
    finally:
        celery_app.conf.task_routes = previous
        amqp.flush_routes()
        amqp.router = amqp.Router()


def pool_children(pid: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(line) for line in found.stdout.split()]


# --- PDF exports, as a worker moves them on ------------------------------------


def lengthen_render(version, *, by) -> None:
    """A version whose render takes seconds: long enough to kill it midway."""
    from strategy import writing

    section = version.sections.get(order=7)
    paragraph = "Kommunene i Mosseregionen samarbeider om næring og beredskap. " * 8
    writing.section_save(
        section=section,
        heading=section.heading,
        body="\n\n".join(f"## Del {n}\n\n{paragraph}" for n in range(80)),
        revision=section.revision,
        by=by,
    )


def export_status(export_id: int) -> str:
    from strategy.models import PdfExport

    return PdfExport.objects.values_list("status", flat=True).get(pk=export_id)


def wait_for_export(export_id: int, statuses: set[str], *, timeout: float) -> str:
    """The export's status once it is one of `statuses`, or after `timeout`."""
    deadline = time.monotonic() + timeout
    status = export_status(export_id)
    while status not in statuses and time.monotonic() < deadline:
        time.sleep(0.05)
        status = export_status(export_id)
    return status


# --- The web server -------------------------------------------------------------

# Straight to the server, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class AppServer:
    """The app in gunicorn, as in production: one sync worker on a fixed port.

    Persistent database connections (CONN_MAX_AGE) live in the worker process
    from one request to the next, as they do in production; Django's test
    servers close them after every request.
    """

    def __init__(
        self, *, log_dir: Path, port: int | None = None, env: dict | None = None
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_dir = log_dir
        self.env = {
            **{
                key: value
                for key, value in os.environ.items()
                if key not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            },
            "DATABASE_URL": shared_database_url(),
            "DEBUG": "0",
            "HTTPS_ONLY": "0",
            "WHITENOISE_USE_FINDERS": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CONN_MAX_AGE": "60",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self._runs = 0

    def start(self, *, timeout: float = 30) -> None:
        log = (self.log_dir / f"server-{self._runs}.log").open("w")
        self._runs += 1
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "mipr.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()  # the child has its own copy
        deadline = time.monotonic() + timeout
        while self.get("/healthz")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"gunicorn did not come up on {self.url}:\n"
                    f"{logs(self.log_dir, 'server')}"
                )
            time.sleep(0.1)

    def get(self, path: str) -> tuple[int, str]:
        """Status and body; 0 when nothing answers."""
        try:
            with _DIRECT.open(self.url + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def kill(self) -> None:
        """SIGKILL to the arbiter and its worker: a crash, not a shutdown."""
        kill_group(self.process)

    def stop(self) -> None:
        if self.process is not None:
            # SIGINT is gunicorn's quick shutdown; SIGTERM waits for requests.
            _stop(self.process, stop_signal=signal.SIGINT)
