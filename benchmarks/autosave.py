"""Autosave and heartbeats under load: many participants on one answer per group.

What it measures
----------------
A workshop where every group writes one answer together: each participant owns
one item (slot) of the group's answer and the page autosaves every few seconds.
The script simulates that on loopback against the real stack, gunicorn and
PostgreSQL, with nothing mocked:

* each simulated participant joins with its group's code (GET and POST
  ``/delta/``), opens question 1 and reads the page's ``answer-initial`` JSON;
* the writers (items 1, 3, 5 …) then, every ``--interval`` seconds for
  ``--duration`` seconds (the first save at a random moment within the first
  interval), write a new revision of their own slot and POST it to
  ``/delta/gruppe/<id>/1/autolagring/`` with the version and content they last
  saw, as the page's script does. The others in the group save the same answer
  meanwhile, so most saves are merges. A save counts as the page's heartbeat,
  so writers send no other;
* the readers (items 2, 4 …) save their own slot once, then only keep the page
  open: a heartbeat (``…/1/puls/``) every ``--heartbeat`` seconds with the
  version they have, taking the newer text it brings as the page does. Each
  newer text must still hold the reader's own item (nothing merged away);
* at the end it reads the answers straight from the database and checks that
  every participant's slot holds the last text the server acknowledged, and
  that one last heartbeat of every reader returns exactly what is stored.

It prints the number of autosave and heartbeat requests, the errors (any
non-200 response, a timeout or broken connection, a "conflict" outcome, a 200
whose content does not hold the text just sent, a heartbeat whose newer text
lacks the reader's own item or whose state is not "open"), the lost updates (a
slot in the database that differs from its last acknowledged text), and the
p50, p95 and maximum latency of all requests (and of each kind), measured by
the client from sending the request to reading the whole response (a new
connection each time: gunicorn's sync workers close the connection after every
response).

Targets: 0 errors, 0 lost updates, p95 < 150 ms. The exit code is 0 when all
three are met, 1 otherwise (2 when the setup fails).

How to run
----------
From the project root, with PostgreSQL running (the user must be allowed to
create the database; it is created if missing)::

    .venv/bin/python benchmarks/autosave.py
    .venv/bin/python benchmarks/autosave.py --duration 10      # a quick run
    .venv/bin/python benchmarks/autosave.py --participants 50 --groups 10 \\
        --interval 2 --heartbeat 5 --duration 60 --workers 4 --port 8765 \\
        --database-url postgres://postgres@127.0.0.1:5432/mipr_bench

The script migrates the database, replaces the data of the previous run (the
process with the slug "benchmark" and everything in it), starts gunicorn on
127.0.0.1 with ``DEBUG=0`` and stops it again at the end, also on Ctrl-C.
Without ``--redis-url`` the cache is local memory. Static files are served from
the finders (``WHITENOISE_USE_FINDERS=1``), so that no ``collectstatic`` is
needed; the benchmark does not fetch them. The total time is the setup (a few
seconds) plus ``--duration``, plus at most one request timeout.
"""

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
from common import (
    CSRF_INPUT_RE,
    JOIN_TOKEN_RE,
    Browser,
    RequestFailed,
    SetupError,
    ensure_database,
    handle_signals,
    manage,
    percentile,
    port_in_use,
    print_log_tail,
    server_env,
    start_gunicorn,
    stop_gunicorn,
    wait_until_healthy,
)

PROCESS_SLUG = "benchmark"
QUESTION_NUMBER = 1
TARGET_P95_MS = 150.0
# Typing of a realistic length; the revision number in front makes every save
# differ from the last one.
FILLER = (
    "Vi vil styrke samarbeidet mellom kommunene i regionen om næringsutvikling, "
    "samferdsel og kompetanse, slik at flere unge velger å bli boende. "
) * 2
SETUP_MARKER = "BENCHMARK-SETUP:"

# Run by `manage.py shell -c` with BENCH_* in the environment: replaces the
# previous run's data and prints the new workshop, question and groups as JSON.
SETUP_CODE = """
import json, os
from django.db import transaction
from django.utils import timezone
from mipr.models import Process
from workshops.models import Group, Question, ShapeKind, Workshop, WorkshopStatus

slug = os.environ["BENCH_SLUG"]
group_count = int(os.environ["BENCH_GROUPS"])
item_count = int(os.environ["BENCH_ITEMS"])
with transaction.atomic():
    Process.objects.filter(slug=slug).delete()
    year = timezone.localdate().year
    process = Process.objects.create(
        slug=slug, name="Benchmark", council="Benchmark council",
        council_short="BENCH", period_start=year, period_end=year + 4, year=year,
        is_public=False,
    )
    workshop = Workshop.objects.create(
        process=process, title="Autosave benchmark", date=timezone.localdate(),
        place="Loopback", status=WorkshopStatus.OPEN,
    )
    question = Question.objects.create(
        workshop=workshop, number=int(os.environ["BENCH_QUESTION"]),
        title="Benchmark question", prompt="Write one point each.",
        kind=ShapeKind.ITEMS, item_count=item_count, ask_why=True,
    )
    question.full_clean()
    groups = [
        Group.objects.create(workshop=workshop, number=n, name=f"Group {n}")
        for n in range(1, group_count + 1)
    ]
print(os.environ["BENCH_MARKER"] + json.dumps({
    "workshop": workshop.pk,
    "question": question.pk,
    "groups": [{"id": g.pk, "code": g.code, "number": g.number} for g in groups],
}))
"""

INITIAL_RE = re.compile(
    r'<script id="answer-initial" type="application/json">(.*?)</script>', re.S
)


# --- Participants ------------------------------------------------------------


@dataclass
class Participant:
    index: int
    group: dict
    slot: int
    browser: Browser
    joined: bool = False
    join_ms: float = 0.0
    version: int = 0
    base: list = field(default_factory=list)
    revision: int = 0
    # The slot as the server last acknowledged it, and what was sent since
    # without an acknowledgement (a timed-out save may still have landed).
    acknowledged: dict | None = None
    unconfirmed: list = field(default_factory=list)
    latencies_ms: list = field(default_factory=list)
    beat_latencies_ms: list = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    resyncs: int = 0
    first_error: str = ""

    @property
    def name(self) -> str:
        return f"Participant {self.index + 1}"

    @property
    def is_writer(self) -> bool:
        """Items 1, 3, 5 … write all the time; the others mostly read."""
        return self.slot % 2 == 0

    @property
    def answer_path(self) -> str:
        return f"/delta/gruppe/{self.group['id']}/{QUESTION_NUMBER}/"

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] += 1
        if not self.first_error:
            self.first_error = f"{kind}: {detail}" if detail else kind

    def join(self) -> None:
        """Join with the group's code and read the answer page."""
        started = time.perf_counter()
        try:
            status, _headers, body = self.browser.request("GET", "/delta/")
            if status != 200:
                raise RequestFailed(f"join-get-{status}")
            token = CSRF_INPUT_RE.search(body.decode())
            form_token = JOIN_TOKEN_RE.search(body.decode())
            if not token or not form_token or "csrftoken" not in self.browser.cookies:
                raise RequestFailed("join-no-csrf-token")
            form = urlencode(
                {
                    "code": self.group["code"],
                    "name": self.name,
                    "csrfmiddlewaretoken": token.group(1),
                    "skjema": form_token.group(1),
                }
            )
            status, headers, _body = self.browser.request(
                "POST",
                "/delta/",
                body=form,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            expected = f"/delta/gruppe/{self.group['id']}/"
            if status != 302 or headers.get("Location") != expected:
                raise RequestFailed(f"join-post-{status}", str(headers.get("Location")))
            status, _headers, _body = self.browser.request("GET", expected)
            if status != 200:
                raise RequestFailed(f"group-page-{status}")
            self.load_answer_page()
        except RequestFailed as failed:
            self.error(failed.kind, str(failed))
            return
        self.join_ms = (time.perf_counter() - started) * 1000
        self.joined = True

    def load_answer_page(self) -> None:
        """Take version and content from the answer page, as the page script does."""
        status, _headers, body = self.browser.request("GET", self.answer_path)
        if status != 200:
            raise RequestFailed(f"answer-page-{status}")
        found = INITIAL_RE.search(body.decode())
        if not found:
            raise RequestFailed("answer-page-no-initial")
        initial = json.loads(found.group(1))
        self.version, self.base = initial["version"], initial["content"]

    def save(self) -> None:
        """One autosave: a new revision of this participant's own slot."""
        self.revision += 1
        mine = {
            "text": f"p{self.slot + 1} rev {self.revision} {FILLER}",
            "why": f"Fordi {self.name} mener det (rev {self.revision}).",
        }
        content = [dict(entry) for entry in self.base]
        content[self.slot] = mine
        body = json.dumps(
            {"version": self.version, "base": self.base, "content": content}
        )
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": self.browser.cookies.get("csrftoken", ""),
        }
        self.unconfirmed.append(mine)
        started = time.perf_counter()
        try:
            status, _headers, data = self.browser.request(
                "POST", self.answer_path + "autolagring/", body=body, headers=headers
            )
        except RequestFailed as failed:
            self.latencies_ms.append((time.perf_counter() - started) * 1000)
            self.error(failed.kind, str(failed))
            self.resync()
            return
        self.latencies_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:
            self.error(f"http-{status}", data[:200].decode(errors="replace"))
            self.resync()
            return
        try:
            result = json.loads(data)
            outcome, version, saved = (
                result["outcome"],
                result["version"],
                result["content"],
            )
        except (ValueError, KeyError, TypeError):
            self.error("bad-response", data[:200].decode(errors="replace"))
            self.resync()
            return
        self.outcomes[outcome] += 1
        # The server's answer is the new base, whatever the outcome.
        self.version, self.base = version, saved
        if outcome == "conflict":
            self.error("conflict", json.dumps(result.get("conflicts"))[:200])
        elif result.get("errors"):
            self.error("refused-slot", json.dumps(result["errors"])[:200])
        elif outcome not in {"saved", "merged"}:
            self.error(f"outcome-{outcome}")
        elif saved[self.slot] != mine:
            self.error("ack-mismatch", "the response does not hold the text sent")
        else:
            self.acknowledged = mine
            self.unconfirmed = []

    def beat(self) -> dict | None:
        """One heartbeat, as an open page sends it; the reply, or None."""
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": self.browser.cookies.get("csrftoken", ""),
        }
        body = json.dumps({"version": self.version, "slot": None})
        started = time.perf_counter()
        try:
            status, _headers, data = self.browser.request(
                "POST", self.answer_path + "puls/", body=body, headers=headers
            )
        except RequestFailed as failed:
            self.beat_latencies_ms.append((time.perf_counter() - started) * 1000)
            self.error(f"beat-{failed.kind}", str(failed))
            return None
        self.beat_latencies_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:
            self.error(f"beat-http-{status}", data[:200].decode(errors="replace"))
            return None
        try:
            reply = json.loads(data)
        except ValueError:
            self.error("beat-bad-response", data[:200].decode(errors="replace"))
            return None
        if reply.get("state") != "open":
            self.error("beat-state", str(reply.get("state")))
        if "content" in reply:
            if reply["version"] <= self.version and self.version:
                self.error("beat-old-version", f"{reply['version']} <= {self.version}")
            if self.acknowledged and reply["content"][self.slot] != self.acknowledged:
                self.error("merged-away", "a newer version lacks this reader's item")
            self.version, self.base = reply["version"], reply["content"]
        return reply

    def resync(self) -> None:
        """After a failed save, reload the page so that one error stays one."""
        self.resyncs += 1
        try:
            self.load_answer_page()
        except (RequestFailed, ValueError, KeyError) as exc:
            self.error("resync-failed", str(exc))

    def run(
        self, *, start: float, end: float, interval: float, heartbeat: float, stop
    ) -> None:
        """From `start` until `end` (monotonic): a writer saves every `interval`
        seconds; a reader saves once, then beats every `heartbeat` seconds."""
        tick = 0
        every = interval if self.is_writer else heartbeat
        while not stop.is_set():
            due = start + tick * every
            if due >= end or time.monotonic() >= end:
                return
            delay = due - time.monotonic()
            if delay > 0 and stop.wait(delay):
                return
            if self.is_writer or tick == 0:
                self.save()
            else:
                self.beat()
            tick += 1


def run_threads(targets, stop, deadline: float) -> None:
    """Run the callables in threads; wait until they end or `deadline` passes."""
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        stop.set()
        raise SetupError("some participants did not finish in time")


# --- Setup: database, data and gunicorn ------------------------------------


def create_data(env, *, groups: int, items: int) -> dict:
    output = manage(
        env,
        "shell",
        "-c",
        SETUP_CODE,
        extra_env={
            "BENCH_SLUG": PROCESS_SLUG,
            "BENCH_GROUPS": str(groups),
            "BENCH_ITEMS": str(items),
            "BENCH_QUESTION": str(QUESTION_NUMBER),
            "BENCH_MARKER": SETUP_MARKER,
        },
    )
    for line in output.splitlines():
        if line.startswith(SETUP_MARKER):
            return json.loads(line[len(SETUP_MARKER) :])
    raise SetupError(f"the data setup printed no result:\n{output}")


def read_final_answers(url: str, question_id: int) -> dict[int, tuple[list, int]]:
    """Group id -> (content, version) of the benchmark answers, from the database."""
    with psycopg.connect(url, connect_timeout=10) as connection:
        rows = connection.execute(
            """
            SELECT g.id, a.content, a.version
            FROM workshops_answer a
            JOIN workshops_group g ON g.id = a.group_id
            WHERE a.question_id = %s
            """,
            [question_id],
        ).fetchall()
    return {group_id: (content, version) for group_id, content, version in rows}


def final_beats(participants, answers) -> list[str]:
    """Readers whose last heartbeat does not show what the database holds."""
    stale = []
    for person in participants:
        if person.is_writer:
            continue
        person.version = 0  # ask for the text whatever the page had
        reply = person.beat()
        content, version = answers.get(person.group["id"], ([], 0))
        if reply is None or reply.get("version") != version:
            stale.append(f"{person.name}: version {reply and reply.get('version')}")
        elif reply.get("content") != content:
            stale.append(f"{person.name}: the text differs from the database")
    return stale


# --- Report ------------------------------------------------------------------


def check_lost(participants, answers) -> tuple[int, int, list[str]]:
    """Lost updates, unconfirmed saves that landed anyway, and examples."""
    lost, landed, examples = 0, 0, []
    for person in participants:
        if not person.joined or person.revision == 0:
            continue
        content, _version = answers.get(person.group["id"], ([], 0))
        stored = content[person.slot] if person.slot < len(content) else None
        if stored == person.acknowledged:
            continue
        if stored in person.unconfirmed:
            landed += 1  # saved, but the response never arrived: not lost
            continue
        lost += 1
        if len(examples) < 5:
            text = (stored or {}).get("text", "")[:24]
            expected = (person.acknowledged or {}).get("text", "")[:24]
            examples.append(
                f"{person.name} (group {person.group['number']}, slot "
                f"{person.slot + 1}): stored {text!r}, acknowledged {expected!r}"
            )
    return lost, landed, examples


def version_check(participants, answers) -> list[str]:
    """Groups whose final version is not the number of saves that changed it.

    Every acknowledged save changes the answer once, so the version must equal
    the acknowledged saves plus any unconfirmed ones that landed.
    """
    expected = Counter()
    for person in participants:
        expected[person.group["id"]] += person.outcomes["saved"]
        expected[person.group["id"]] += person.outcomes["merged"]
    mismatches = []
    for group_id, count in expected.items():
        _content, version = answers.get(group_id, ([], 0))
        if version < count:
            mismatches.append(f"group id {group_id}: version {version} < {count}")
    return mismatches


# --- Main --------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Autosave load test against gunicorn and PostgreSQL.",
    )
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument(
        "--interval", type=float, default=2.0, help="seconds between saves"
    )
    parser.add_argument(
        "--heartbeat",
        type=float,
        default=5.0,
        help="seconds between a reader's heartbeats",
    )
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds of autosaving"
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/mipr_bench"
    )
    parser.add_argument(
        "--redis-url", default="", help="use Redis as the cache (default: local memory)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per request"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="CONN_MAX_AGE for the server (default: the settings' default)",
    )
    parser.add_argument("--seed", type=int, default=None, help="for the start times")
    args = parser.parse_args(argv)
    if args.participants < 1 or not 1 <= args.groups <= args.participants:
        parser.error("give at least one participant and 1 to participants groups")
    if math.ceil(args.participants / args.groups) > 10:
        parser.error("at most 10 participants per group (a question has ≤ 10 items)")
    if min(args.interval, args.heartbeat, args.duration, args.timeout) <= 0:
        parser.error("interval, heartbeat, duration and timeout must be positive")
    return args


def main(argv=None) -> int:
    code, _figures = run(argv)
    return code


def run(argv=None) -> tuple[int, dict]:
    """The exit code and the figures (empty when the setup failed)."""
    args = parse_args(argv)
    handle_signals()
    # gunicorn's log goes to a file, shown only when something went wrong.
    with tempfile.NamedTemporaryFile(
        "w+", prefix="autosave-gunicorn-", suffix=".log", delete=False
    ) as log:
        code, figures = benchmark(args, log)
    if code == 0:
        os.unlink(log.name)
    else:
        print_log_tail(Path(log.name))
    return code, figures


def benchmark(args, log) -> tuple[int, dict]:
    """Set up, run and report; the exit code and the figures.

    gunicorn is always stopped.
    """
    items = math.ceil(args.participants / args.groups)
    env = server_env(
        database_url=args.database_url,
        redis_url=args.redis_url,
        conn_max_age=args.conn_max_age,
    )
    rng = random.Random(args.seed)
    server = None
    stop = threading.Event()
    try:
        setup_started = time.monotonic()
        if port_in_use(args.port):
            raise SetupError(f"port {args.port} is in use; choose another --port")
        ensure_database(args.database_url)
        manage(env, "migrate", "--no-input", "-v0", timeout=300)
        data = create_data(env, groups=args.groups, items=items)
        server = start_gunicorn(env, port=args.port, workers=args.workers, log=log)
        wait_until_healthy(server, args.port, timeout=30)

        participants = [
            Participant(
                index=i,
                group=data["groups"][i % args.groups],
                slot=i // args.groups,
                browser=Browser(args.port, args.timeout),
            )
            for i in range(args.participants)
        ]
        run_threads(
            [person.join for person in participants],
            stop,
            deadline=time.monotonic() + 3 * args.timeout + 5,
        )
        setup_seconds = time.monotonic() - setup_started

        active = [person for person in participants if person.joined]
        # Each participant's first save at a random moment in the first interval.
        offsets = [rng.uniform(0, args.interval) for _person in active]
        load_before = os.getloadavg()[0]
        begin = time.monotonic() + 0.5
        end = begin + args.duration
        run_threads(
            [
                lambda person=person, offset=offset: person.run(
                    start=begin + offset,
                    end=end,
                    interval=args.interval,
                    heartbeat=args.heartbeat,
                    stop=stop,
                )
                for person, offset in zip(active, offsets, strict=True)
            ],
            stop,
            deadline=end + 2 * args.timeout + 5,
        )
        elapsed = time.monotonic() - begin
        load_after = os.getloadavg()[0]
        answers = read_final_answers(args.database_url, data["question"])
        # Every reader's page, after one more beat, shows exactly what is stored.
        stale = final_beats(active, answers)
    except (SetupError, psycopg.Error, subprocess.SubprocessError) as exc:
        print(f"Setup failed: {exc}", file=sys.stderr)
        return 2, {}
    except KeyboardInterrupt:
        stop.set()
        print("Interrupted.", file=sys.stderr)
        return 130, {}
    finally:
        stop_gunicorn(server)

    timing = {
        "stale": stale,
        "elapsed": elapsed,
        "setup": setup_seconds,
        "load": (load_before, load_after),
    }
    figures = report(args, participants, answers, timing, items)
    return (0 if figures["met"] else 1), figures


def report(args, participants, answers, timing, items) -> dict:
    elapsed = timing["elapsed"]
    saves = [ms for person in participants for ms in person.latencies_ms]
    beats = [ms for person in participants for ms in person.beat_latencies_ms]
    latencies = saves + beats
    writers = sum(1 for person in participants if person.is_writer)
    errors = sum((person.errors for person in participants), Counter())
    outcomes = sum((person.outcomes for person in participants), Counter())
    error_count = sum(errors.values())
    lost, landed, examples = check_lost(participants, answers)
    versions = version_check(participants, answers)
    joined = [person for person in participants if person.joined]
    p50, p95 = percentile(latencies, 0.50), percentile(latencies, 0.95)
    worst = max(latencies, default=0.0)
    database = urlsplit(args.database_url).path.lstrip("/")
    cache = "Redis" if args.redis_url else "local memory"

    print()
    print("Autosave and heartbeat benchmark")
    print(
        f"  setup        {args.participants} participants in {args.groups} groups "
        f"({items} items per answer) for {args.duration:g} s: {writers} writers "
        f"save every {args.interval:g} s, {len(participants) - writers} readers "
        f"save once, then beat every {args.heartbeat:g} s"
    )
    print(
        f"  server       gunicorn, {args.workers} sync workers, PostgreSQL "
        f"({database}), cache: {cache}; setup took {timing['setup']:.1f} s"
    )
    # Latency depends on the CPU the server gets: other work on the machine
    # (a test run, a browser) shows here as a load average above the CPU count.
    print(
        f"  machine      {os.cpu_count()} CPUs, load average "
        f"{timing['load'][0]:.1f} at the start of the saves, "
        f"{timing['load'][1]:.1f} at the end"
    )
    print(
        f"  joined       {len(joined)}/{len(participants)}, p50 "
        f"{percentile([p.join_ms for p in joined], 0.5):.0f} ms for join + pages"
    )
    print(
        f"  requests     {len(saves)} autosaves and {len(beats)} heartbeats in "
        f"{elapsed:.1f} s ({len(latencies) / elapsed if elapsed else 0:.1f}/s); "
        "save outcomes: "
        + (", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) or "none")
    )
    print(f"  errors       {error_count}")
    for kind, count in errors.most_common():
        print(f"    {kind:<18} {count}")
    for person in participants:
        if person.first_error:
            print(f"    first: {person.name}: {person.first_error[:160]}")
            break
    print(f"  lost updates {lost}")
    for example in examples:
        print(f"    {example}")
    if landed:
        print(f"    ({landed} unconfirmed saves landed anyway: not counted as lost)")
    if versions:
        print("  versions     some answers changed fewer times than acknowledged:")
        for line in versions:
            print(f"    {line}")
    stale = timing["stale"]
    print(f"  final beats  {len(stale)} readers do not see what is stored")
    for line in stale[:5]:
        print(f"    {line}")
    print(f"  latency      p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms")
    for kind, values in (("autosave", saves), ("heartbeat", beats)):
        print(
            f"    {kind:<10} p50 {percentile(values, 0.5):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms"
        )

    met = (
        error_count == 0
        and lost == 0
        and not versions
        and not stale
        and p95 < TARGET_P95_MS
    )
    print(
        f"  target       0 errors, 0 lost updates, every reader sees the stored "
        f"text, p95 < {TARGET_P95_MS:.0f} ms: " + ("MET" if met else "NOT MET")
    )
    return {
        "participants": args.participants,
        "requests": len(latencies),
        "heartbeats": len(beats),
        "stale": len(stale),
        "errors": error_count,
        "lost": lost,
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "met": met,
    }


if __name__ == "__main__":
    sys.exit(main())
