"""Two web instances, one worker: nothing a request needs lives in one instance.

Instance A and instance B are two gunicorn servers on their own ports, with
nothing in common but what production shares: PostgreSQL (sessions, exports),
Redis (the queue) and the file storage the worker writes the PDF to. A person
logs in on A and asks A for a PDF; a real Celery worker makes it; B, which
never saw the log-in or the request, follows the export and serves the file.

A has a media directory of its own: it never needs the file.
"""

import io
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar

import pytest
from pypdf import PdfReader

from demo import document as document_demo
from strategy.models import ExportStatus, PdfExport
from tests import workers

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

SLUG = "mipr-2026-2029"
TITLE = "Strategi for Mosseregionen 2026–2029"
PASSWORD = "skalering-test-passord"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    """A browser: one cookie jar, whichever instance it talks to."""

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.cookies),
        )

    def get(self, url: str) -> tuple[int, bytes, str]:
        """Status, body and the address it ended at (after redirects)."""
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read(), response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read(), url

    def post_form(self, url: str, fields: dict, *, token_from: str):
        """POST with the CSRF token of the form on `token_from`, as a browser does."""
        _status, page, _url = self.get(token_from)
        token = CSRF_RE.search(page.decode())
        assert token, f"no form with a CSRF token on {token_from}"
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token[1]})
        request = urllib.request.Request(url, data=body.encode(), method="POST")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read(), response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read(), url


@pytest.fixture
def council_member(mipr, settings):
    """The demo's council member, with a password the servers can check.

    The tests hash with MD5 for speed; the servers run the production
    settings, which do not accept it.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="radsmedlem")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def version(mipr):
    """Version 2 of the demo's strategy: published for review."""
    return document_demo.load_strategy(mipr).versions.get(number=2)


@pytest.fixture
def instances(services, tmp_path):
    """Instances A and B, sending the PDF task to a queue only this test's
    worker listens on. Yields (A, B, queue)."""
    queue = f"test-scale-{uuid.uuid4().hex[:8]}"
    module = f"scale_out_settings_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(
        "from mipr.settings import *  # noqa: F403\n"
        f"CELERY_TASK_ROUTES = {{'strategy.make_pdf': {{'queue': {queue!r}}}}}\n"
    )
    common = {
        "REDIS_URL": services,
        "DJANGO_SETTINGS_MODULE": module,
        "PYTHONPATH": str(tmp_path),
    }
    a = workers.AppServer(
        log_dir=tmp_path, env={**common, "MEDIA_ROOT": str(tmp_path / "a-media")}
    )
    b = workers.AppServer(
        log_dir=tmp_path, env={**common, "MEDIA_ROOT": str(tmp_path / "media")}
    )
    try:
        a.start()
        b.start()
        yield a, b, queue
    finally:
        a.stop()
        b.stop()


def _wait_until_ready(visitor: Visitor, url: str, *, timeout: float) -> dict:
    import json

    deadline = time.monotonic() + timeout
    while True:
        status, body, _url = visitor.get(url)
        assert status == 200, body[:500]
        state = json.loads(body)
        if state["status"] in {ExportStatus.READY, ExportStatus.FAILED}:
            return state
        assert time.monotonic() < deadline, f"still {state['status']} after {timeout} s"
        time.sleep(0.5)


def test_a_pdf_asked_for_on_one_instance_is_downloaded_from_another(
    instances, council_member, version, services, tmp_path
):
    a, b, queue = instances
    with workers.celery_workers(
        redis_url=services, media=tmp_path / "media", log_dir=tmp_path
    ) as start_worker:
        start_worker(queue)
        with (
            workers.logs_on_failure(tmp_path, "worker"),
            workers.logs_on_failure(tmp_path, "server"),
        ):
            visitor = Visitor()
            status, _body, landed = visitor.post_form(
                f"{a.url}/logg-inn/",
                {"username": "radsmedlem", "password": PASSWORD},
                token_from=f"{a.url}/logg-inn/",
            )
            assert (status, urllib.parse.urlsplit(landed).path) == (200, "/")

            # The session made on A is in the database: B knows the person.
            page = f"/strategi/{SLUG}/versjon/2/"
            status, body, _url = visitor.get(b.url + page)
            assert status == 200 and "Rita" in body.decode()

            status, _body, landed = visitor.post_form(
                f"{a.url}{page}pdf/", {}, token_from=a.url + page
            )
            assert status == 200, landed
            export_path = urllib.parse.urlsplit(landed).path
            found = re.fullmatch(rf"/strategi/{SLUG}/pdf/(\d+)/", export_path)
            assert found, landed
            export = PdfExport.objects.get(pk=found[1])
            assert export.version == version

            state = _wait_until_ready(
                visitor, f"{b.url}{export_path}status/", timeout=180
            )
            assert state["status"] == ExportStatus.READY, state
            status, data, _url = visitor.get(b.url + state["download"])

    assert status == 200
    reader = PdfReader(io.BytesIO(data))
    export.refresh_from_db()
    assert len(reader.pages) == export.pages >= 5
    assert reader.metadata.title == TITLE
    # The file is where the worker and B keep files, never in A's directory.
    assert (tmp_path / "media" / export.file.name).is_file()
    assert not list((tmp_path / "a-media").rglob("*.pdf"))
