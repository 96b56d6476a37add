"""Drill (issue 22, finding 4): a script throws 1,000 wrong codes at /delta/ from
the venue's address while the room joins. The room stays open.

The app runs in gunicorn, as in production; the script is
benchmarks/join_guessing.py on loopback: each guess from a new browser that
loads the form first. Needs PostgreSQL (gunicorn reads the test's data).
"""

import json
import subprocess
import sys
import threading
import time

import pytest
from django.contrib.sessions.models import Session

from tests import workers
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from common import Browser  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)

GUESSES = 1000


@pytest.fixture
def workshop(demo_process):
    from demo import plan
    from demo import workshop as demo_workshop

    workers.require_postgresql()
    plan.load(demo_process)
    return demo_workshop.load(demo_process)


def test_a_thousand_wrong_codes_leave_the_room_open(workshop, tmp_path):
    groups = list(workshop.groups.all())
    server = workers.AppServer(log_dir=tmp_path)
    server.start()
    try:
        script = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "join_guessing.py"),
                server.url,
                "--guesses",
                str(GUESSES),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        joined = []

        def room():
            # The participants arrive while the script runs, a few a second.
            for n in range(15):
                if script.poll() is not None and n > 5:
                    break
                browser = Browser(server.port, timeout=10)
                status, headers, _body = browser.post_form(
                    "/delta/", {"code": groups[n % 5].code, "name": f"Deltaker {n}"}
                )
                joined.append((status, headers.get("Location", "")))
                time.sleep(0.3)

        people = threading.Thread(target=room)
        people.start()
        output, _ = script.communicate(timeout=300)
        people.join(timeout=60)
        report = json.loads(output.strip().splitlines()[-1])
        # The room was let in, every one of them, while the script was refused.
        assert joined and all(status == 302 for status, _ in joined), joined
        assert all("/delta/gruppe/" in location for _, location in joined)
        statuses = report["statuses"]
        assert report["guesses"] == GUESSES
        assert set(statuses) <= {"400", "429"}, statuses  # no 5xx, never in
        assert statuses.get("429", 0) > 0, statuses  # the address backs off
        # Nobody but the people who joined got a session: guesses write nothing.
        assert Session.objects.count() == len(joined)
        # After the script, the room still gets in.
        status, _headers, _body = Browser(server.port, timeout=10).post_form(
            "/delta/", {"code": groups[0].code, "name": "Sist inn"}
        )
        assert status == 302
    finally:
        server.stop()
