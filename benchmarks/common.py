"""What the benchmarks share: an HTTP client, the database and gunicorn.

The benchmarks are scripts (``.venv/bin/python benchmarks/<name>.py``), so this
module is imported as ``common`` from the directory they run in.
"""

import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CSRF_INPUT_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The join form's own token (workshops.access.join_token).
JOIN_TOKEN_RE = re.compile(r'name="skjema" value="([^"]+)"')


class SetupError(Exception):
    pass


# --- HTTP --------------------------------------------------------------------


class RequestFailed(Exception):
    """A request that got no usable answer; `kind` names it in the report."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


class Browser:
    """One visitor's client: a cookie jar and one connection per request.

    gunicorn's sync workers close the connection after every response, so a
    new one each time is what a browser gets too.
    """

    def __init__(self, port: int, timeout: float, cookies: dict | None = None):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = dict(cookies or {})

    def copy(self) -> "Browser":
        """Another client in the same session (its own jar, the same cookies)."""
        return Browser(self.port, self.timeout, self.cookies)

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body) of one request; RequestFailed when none came."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except TimeoutError as exc:
            raise RequestFailed("timeout", str(exc)) from exc
        except (OSError, HTTPException) as exc:
            raise RequestFailed("connection", exc.__class__.__name__) from exc
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def post_form(self, path: str, fields: dict, *, token_from: str | None = None):
        """GET the form page for its CSRF token, then POST `fields` to `path`."""
        status, _headers, body = self.request("GET", token_from or path)
        if status != 200:
            raise RequestFailed(f"form-get-{status}", path)
        token = CSRF_INPUT_RE.search(body.decode())
        if not token or "csrftoken" not in self.cookies:
            raise RequestFailed("form-no-csrf-token", path)
        fields = {**fields, "csrfmiddlewaretoken": token.group(1)}
        form_token = JOIN_TOKEN_RE.search(body.decode())
        if form_token:
            fields["skjema"] = form_token.group(1)
        return self.request(
            "POST",
            path,
            body=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def log_in(self, username: str, password: str) -> None:
        """Log in through /logg-inn/ as a person does; RequestFailed otherwise."""
        status, headers, _body = self.post_form(
            "/logg-inn/", {"username": username, "password": password}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RequestFailed(f"login-{status}", f"{username}: {headers}")

    def join(self, code: str, name: str) -> str:
        """Join a workshop group with its code; the group page's path."""
        status, headers, _body = self.post_form("/delta/", {"code": code, "name": name})
        if status != 302:
            raise RequestFailed(f"join-post-{status}", code)
        return headers.get("Location", "")


# --- Database, environment and gunicorn --------------------------------------


def ensure_database(url: str) -> None:
    """Create the database of `url` if it is missing."""
    name = conninfo_to_dict(url).get("dbname")
    if not name:
        raise SetupError(f"no database name in {url}")
    admin = make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            )
            print(f"Created database {name}.")


def server_env(
    *,
    database_url: str,
    redis_url: str = "",
    conn_max_age: int | None = None,
    settings_module: str | None = None,
) -> dict:
    """The environment of a production-like server: DEBUG off, plain HTTP."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"REDIS_URL", "DATABASE_URL", "CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        HTTPS_ONLY="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        WHITENOISE_USE_FINDERS="1",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    if conn_max_age is not None:
        env["CONN_MAX_AGE"] = str(conn_max_age)
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    return env


def manage(env, *arguments, extra_env=None, timeout=120) -> str:
    """Run a manage.py command; its output, or SetupError with it."""
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise SetupError(
            f"manage.py {arguments[0]} failed:\n{done.stdout}{done.stderr}"
        )
    return done.stdout


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(env, *, port: int, workers: int, log):
    """gunicorn on loopback, in a session of its own.

    Its own session, so that Ctrl-C reaches only the benchmark, which then
    stops gunicorn in an orderly way.
    """
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "mipr.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "30",
    ]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_healthy(server, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    probe = Browser(port, timeout=2)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SetupError(f"gunicorn exited with code {server.returncode}")
        try:
            status, _headers, _body = probe.request("GET", "/healthz")
            if status == 200:
                return
        except RequestFailed:
            pass
        time.sleep(0.2)
    raise SetupError(f"/healthz did not answer 200 within {timeout:.0f} s")


def stop_gunicorn(server) -> None:
    if server is None or server.poll() is not None:
        return
    # SIGINT is gunicorn's quick shutdown: no request of ours is left to finish,
    # and the graceful one (SIGTERM) takes seconds.
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)


def sigterm_to_exit(_signum, _frame):
    raise KeyboardInterrupt


def handle_signals() -> None:
    """Ctrl-C and SIGTERM both end a run and stop gunicorn, also when the
    script was started in the background (where SIGINT starts out ignored)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, sigterm_to_exit)


# --- Report ------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def print_log_tail(path: Path, lines: int = 30) -> None:
    try:
        tail = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return
    print(f"\ngunicorn's log: {path}", file=sys.stderr)
    if tail:
        print("\n".join(tail), file=sys.stderr)
