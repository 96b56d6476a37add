"""The portal under load: the main pages against a bare page, autosave and PDF.

What it measures
----------------
A database filled by ``manage.py generate_load_data`` (five processes, 200
groups, 10,000 answers, 5,000 comments, 500 milestones by default), gunicorn
on loopback with DEBUG off, and real HTTP with sessions from a real log-in
(``/logg-inn/`` with its CSRF token) or a real join (``/delta/`` with a group
code). For each page, ``--clients`` simulated visitors (25):

* **throughput**: every client sends its next request as soon as the last one
  is answered, for ``--duration`` seconds. Requests/s, and its ratio to the
  bare page's: a page should manage at least half of what a request through
  the middleware and one trivial template does (``/_bench/bare/``, only in
  ``benchmarks/urls.py``). The latency in this phase is mostly the wait in
  gunicorn's queue (25 clients, ``--workers`` workers): it is shown, not judged;
* **latency**: every client sends one request every ``--think`` seconds (1 s),
  as people reading and clicking do, for ``--duration`` seconds: p50 and p95
  of the time from sending the request to reading the whole response. Target
  p95 < 100 ms.

The pages (those of the newest generated process):

* ``bare``: ``/_bench/bare/``, anonymous;
* ``timeline``: ``/tidslinje/`` (its plan has 100 milestones), anonymous;
* ``answer``: a group's answer page, each client a participant who joined one
  of the workshop's groups (40 groups, 50 questions);
* ``wall-304``: the projector wall's fragment with ``If-None-Match``: 304
  while nobody types (the secretariat);
* ``themes``: the findings' theme page, the synthesis (the working group);
* ``reading``: a version with 500 comments, as a council member reads it;
* ``diff``: the changes from version 1 to 2 (the council member).

Then ``benchmarks/autosave.py`` (50 participants; ``--autosave-duration``
seconds) and ``benchmarks/pdf_export.py`` (its own process, for its peak RSS),
unless skipped. The table at the end holds every figure with its target; the
last line is the same as JSON. Exit code 0 when every target is met, 1 when
one is not, 2 when the setup fails.

How to run
----------
From the project root, with PostgreSQL running (the user must be allowed to
create the database)::

    .venv/bin/python benchmarks/run.py
    .venv/bin/python benchmarks/run.py --duration 5 --skip-pdf   # quicker
    .venv/bin/python benchmarks/run.py --regenerate --seed 2

The data is generated once (a few seconds) and kept for later runs while its
sizes match; ``--regenerate`` replaces it. Without ``--redis-url`` the cache is
local memory. A whole run takes about five minutes on two CPUs. Figures depend
on what else the machine does: the load average is printed with them.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import autosave
import psycopg
from common import (
    ROOT,
    Browser,
    RequestFailed,
    SetupError,
    ensure_database,
    free_port,
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

TARGET_RATIO = 0.5
TARGET_P95_MS = 100.0
# The generator's defaults (demo/generated.py), without loading Django here.
SIZES = {
    "processes": 5,
    "groups": 200,
    "answers": 10_000,
    "comments": 5_000,
    "milestones": 500,
}
MARKER = "LOADDATA:"
DESCRIBE = (
    "import json; from demo import generated as loaddata; "
    f"print({MARKER!r} + json.dumps(loaddata.describe()))"
)
ETAG_RE = re.compile(r'"[^"]*"')


# --- The pages ---------------------------------------------------------------


@dataclass
class Visit:
    """What one client asks for: its session, the path and any headers."""

    browser: Browser
    path: str
    headers: dict = field(default_factory=dict)


@dataclass
class Target:
    name: str
    label: str
    visits: list[Visit]
    expect: int = 200
    # Checks the probe's body; returns what is wrong, or "".
    check: Callable[[bytes], str] = lambda _body: ""


@dataclass
class Phase:
    latencies_ms: list = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    first_error: str = ""
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, share: float) -> float:
        return percentile(self.latencies_ms, share)


def describe(env) -> dict | None:
    output = manage(env, "shell", "-c", DESCRIBE)
    for line in output.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    raise SetupError(f"describing the generated data printed nothing:\n{output}")


def prepare_data(env, args) -> dict:
    """The generated data's description; generated first when needed."""
    wanted = {name: getattr(args, name) for name in SIZES}
    found = describe(env)
    if found and found["sizes"] == wanted and not args.regenerate:
        print(f"Generated data found ({_sizes(wanted)}); --regenerate to replace it.")
        return found
    print(f"Generating data ({_sizes(wanted)}, seed {args.seed})...", flush=True)
    sizes = [f"--{name}={value}" for name, value in wanted.items()]
    output = manage(
        env, "generate_load_data", *sizes, f"--seed={args.seed}", "--force", timeout=900
    )
    print("  " + output.strip().replace("\n", "\n  "))
    found = describe(env)
    if not found or found["sizes"] != wanted:
        raise SetupError(f"the generated data has other sizes: {found}")
    return found


def _sizes(sizes: dict) -> str:
    return ", ".join(f"{value} {name}" for name, value in sizes.items())


def targets(port: int, data: dict, args) -> list[Target]:
    """Log in, join, and name every page with the sessions that ask for it."""
    timeout = args.timeout
    slug, users, password = data["slug"], data["users"], data["password"]

    def logged_in(role: str) -> Browser:
        browser = Browser(port, timeout)
        browser.log_in(users[role], password)
        return browser

    anonymous = Browser(port, timeout)
    secretariat = logged_in("sekretariat")
    working_group = logged_in("arbeidsgruppe")
    member = logged_in("radsmedlem")

    participants = []
    for index in range(args.clients):
        group = data["groups"][index % len(data["groups"])]
        browser = Browser(port, timeout)
        browser.join(group["code"], f"Deltaker {index + 1}")
        participants.append(Visit(browser, f"/delta/gruppe/{group['id']}/1/"))

    wall = f"/workshop/{data['workshop']}/vegg/svar/?sporsmal=1"
    status, headers, _body = secretariat.request("GET", wall)
    etag = headers.get("ETag", "")
    if status != 200 or not ETAG_RE.fullmatch(etag):
        raise SetupError(f"the wall's fragment answered {status} without an ETag")

    def same(browser: Browser, path: str, headers=None) -> list[Visit]:
        return [
            Visit(browser.copy(), path, dict(headers or {}))
            for _n in range(args.clients)
        ]

    def containing(marker: bytes, count: int = 1):
        def check(body: bytes) -> str:
            found = body.count(marker)
            return "" if found >= count else f"{marker!r} {found} times, not {count}"

        return check

    version = data["version"]
    comments = data["version_comments"]
    return [
        Target(
            "bare",
            "bare view /_bench/bare/",
            same(anonymous, "/_bench/bare/"),
            check=containing(b"<p>ok</p>"),
        ),
        Target(
            "timeline",
            "/tidslinje/ (anonymous)",
            same(anonymous, "/tidslinje/"),
            check=containing(slug.encode()),
        ),
        Target(
            "answer",
            "answer page (participants)",
            participants,
            check=containing(b'id="answer-initial"'),
        ),
        Target(
            "wall-304",
            "wall fragment, If-None-Match",
            same(secretariat, wall, {"If-None-Match": etag}),
            expect=304,
        ),
        Target(
            "themes",
            "themes / synthesis (staff)",
            same(working_group, f"/strategi/{slug}/funn/"),
            check=containing(b"Tillit og samarbeid"),
        ),
        Target(
            "reading",
            f"reading v{version}, {comments} comments",
            same(member, f"/strategi/{slug}/versjon/{version}/"),
            check=containing(b'id="comment-', comments),
        ),
        Target(
            "diff",
            "diff v1 to v2 (member)",
            same(member, f"/strategi/{slug}/endringer/?fra=1&til=2"),
            check=containing(b"<ins>"),
        ),
    ]


# --- Load ----------------------------------------------------------------------


def _one(visit: Visit, expect: int, phase: Phase, lock: threading.Lock) -> None:
    started = time.perf_counter()
    try:
        status, _headers, body = visit.browser.request(
            "GET", visit.path, headers=visit.headers
        )
        problem = "" if status == expect else f"http-{status}"
        detail = body[:120].decode(errors="replace")
    except RequestFailed as failed:
        problem, detail = failed.kind, str(failed)
    elapsed = (time.perf_counter() - started) * 1000
    with lock:
        phase.latencies_ms.append(elapsed)
        if problem:
            phase.errors[problem] += 1
            phase.first_error = phase.first_error or f"{problem}: {detail}"


def run_phase(target: Target, *, seconds: float, think: float | None, seed: int):
    """Every client in a thread for `seconds`: back to back, or one request
    every `think` seconds (the first at a random moment in the first interval)."""
    phase, lock = Phase(), threading.Lock()
    rng = random.Random(seed)
    offsets = [rng.uniform(0, think) if think else 0.0 for _visit in target.visits]
    begin = time.monotonic() + 0.2
    end = begin + seconds

    def client(visit: Visit, offset: float) -> None:
        tick = 0
        while True:
            due = begin + offset + tick * (think or 0)
            if due >= end or time.monotonic() >= end:
                return
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            _one(visit, target.expect, phase, lock)
            tick += 1

    threads = [
        threading.Thread(target=client, args=(visit, offset), daemon=True)
        for visit, offset in zip(target.visits, offsets, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 3 * target.visits[0].browser.timeout + 5)
    phase.seconds = max(time.monotonic() - begin, 1e-9)
    return phase


def probe(target: Target) -> str:
    """What is wrong with the page's answer, or "" when it is the right page.

    A slow page may still be answering the previous phase's queue: the probe
    waits for it with a long timeout and tries three times.
    """
    visit = target.visits[0]
    browser = Browser(visit.browser.port, 60, visit.browser.cookies)
    problem = ""
    for _attempt in range(3):
        try:
            status, _headers, body = browser.request(
                "GET", visit.path, headers=visit.headers
            )
        except RequestFailed as failed:
            problem = str(failed)
            continue
        problem = "" if status == target.expect else f"answered {status}"
        return problem or target.check(body)
    return problem


@dataclass
class PageResult:
    target: Target
    throughput: Phase
    latency: Phase

    @property
    def errors(self) -> int:
        return sum(self.throughput.errors.values()) + sum(self.latency.errors.values())


def measure_pages(port: int, data: dict, args) -> list[PageResult]:
    results = []
    for index, target in enumerate(targets(port, data, args)):
        print(f"  {target.label:<34}", end="", flush=True)
        problem = probe(target)
        if problem:
            # Not the page it should be: no figures, and the target not met.
            print(f"not measured: {problem}")
            failed = Phase(errors=Counter(probe=1), first_error=problem)
            results.append(PageResult(target, failed, Phase()))
            continue
        run_phase(target, seconds=args.warmup, think=None, seed=index)
        throughput = run_phase(target, seconds=args.duration, think=None, seed=index)
        latency = run_phase(target, seconds=args.duration, think=args.think, seed=index)
        result = PageResult(target, throughput, latency)
        print(
            f"{throughput.per_second:7.1f} req/s, p95 {latency.p(0.95):6.1f} ms"
            + (f", {result.errors} errors" if result.errors else "")
        )
        results.append(result)
    return results


# --- Autosave and PDF ------------------------------------------------------------


def run_autosave(args) -> dict:
    argv = [
        "--duration",
        str(args.autosave_duration),
        "--database-url",
        args.database_url,
        "--port",
        str(free_port()),
        "--workers",
        str(args.workers),
    ]
    if args.redis_url:
        argv += ["--redis-url", args.redis_url]
    code, figures = autosave.run(argv)
    return figures or {"met": False, "error": f"exit code {code}"}


def run_pdf(args) -> dict:
    """pdf_export.py in a process of its own, so that its peak RSS is its own."""
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "pdf_export.py"),
        "--json",
        "--pages",
        str(args.pdf_pages),
        "--repeat",
        str(args.pdf_repeat),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1
    )
    last = ""
    for line in process.stdout:
        if line.startswith("{"):
            last = line
        else:
            print(line, end="")
    code = process.wait()
    try:
        return json.loads(last)
    except ValueError:
        return {"met": False, "error": f"exit code {code}"}


# --- Report ----------------------------------------------------------------------


def report(args, pages: list[PageResult], extra: dict, load: tuple) -> dict:
    bare = next((r for r in pages if r.target.name == "bare"), None)
    bare_rate = bare.throughput.per_second if bare else 0.0
    summary = {"bare_rps": round(bare_rate, 1), "pages": {}}
    rows = []
    for result in pages:
        rate = result.throughput.per_second
        ratio = rate / bare_rate if bare_rate else 0.0
        p95 = result.latency.p(0.95)
        is_bare = result.target.name == "bare"
        met = (
            result.errors == 0
            and p95 < TARGET_P95_MS
            and (is_bare or ratio >= TARGET_RATIO)
        )
        summary["pages"][result.target.name] = {
            "rps": round(rate, 1),
            "ratio": round(ratio, 3),
            "p50_ms": round(result.latency.p(0.5), 1),
            "p95_ms": round(p95, 1),
            "p95_busy_ms": round(result.throughput.p(0.95), 1),
            "errors": result.errors,
            "met": met,
        }
        target = (
            f"p95 < {TARGET_P95_MS:.0f} ms"
            if is_bare
            else f">= {TARGET_RATIO} x bare, p95 < {TARGET_P95_MS:.0f} ms"
        )
        figure = (
            f"{rate:6.1f}/s {ratio:4.2f}x  "
            f"p50 {result.latency.p(0.5):5.1f}  p95 {p95:5.1f}  "
            f"(busy p95 {result.throughput.p(0.95):5.0f})"
        )
        if result.errors:
            figure += f"  {result.errors} errors"
        rows.append((result.target.label, figure, target, met))
    if "autosave" in extra:
        a = extra["autosave"]
        summary["autosave"] = a
        rows.append(
            (
                f"autosave, {a.get('participants', '?')} participants",
                f"{a.get('errors', '?')} errors, {a.get('lost', '?')} lost, "
                f"p95 {a.get('p95_ms', '?')} ms",
                "0 errors, p95 < 150 ms",
                a["met"],
            )
        )
    if "pdf" in extra:
        p = extra["pdf"]
        summary["pdf"] = p
        rows.append(
            (
                f"PDF export, {p.get('pages', '?')} pages",
                f"ratio {p.get('ratio', '?')}, RSS {p.get('peak_rss_mb', '?')} MB",
                "ratio <= 1.25, RSS <= 250 MB",
                p["met"],
            )
        )
    summary["all_met"] = all(row[3] for row in rows)
    summary["load"] = [round(value, 2) for value in load]

    print()
    print(
        f"Results: gunicorn {args.workers} workers, {args.clients} clients, "
        f"{args.duration:g} s per phase, think time {args.think:g} s; "
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} before, "
        f"{load[1]:.1f} after. Latencies in ms."
    )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    header = ("target", "measured", "goal")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("-+-".join("-" * w for w in widths) + "-+-----")
    for label, figure, goal, met in rows:
        cells = (label, figure, goal)
        print(
            " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
            + " | "
            + ("met" if met else "NOT MET")
        )
    for result in pages:
        for phase in (result.throughput, result.latency):
            if phase.first_error:
                print(f"  {result.target.name}: first error: {phase.first_error}")
    print(json.dumps(summary, ensure_ascii=False))
    return summary


# --- Main --------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Pages, autosave and PDF under load, against their targets."
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/mipr_perf"
    )
    parser.add_argument(
        "--redis-url", default="", help="use Redis as the cache (default: local memory)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument("--clients", type=int, default=25)
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds per phase and page"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds between a client's requests"
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per page")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per request"
    )
    for name, default in SIZES.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--regenerate", action="store_true", help="replace the generated data"
    )
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-autosave", action="store_true")
    parser.add_argument(
        "--autosave-duration", type=float, default=20.0, help="seconds (20)"
    )
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--pdf-pages", type=int, default=40)
    parser.add_argument("--pdf-repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.clients < 1 or args.duration <= 0 or args.think <= 0 or args.warmup < 0:
        parser.error("clients, duration and think must be positive")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    handle_signals()
    load_before = os.getloadavg()[0]
    pages, extra = [], {}
    with tempfile.NamedTemporaryFile(
        "w+", prefix="run-gunicorn-", suffix=".log", delete=False
    ) as log:
        try:
            if not args.skip_pages:
                pages = benchmark_pages(args, log)
            if not args.skip_autosave:
                print("\nAutosave...", flush=True)
                extra["autosave"] = run_autosave(args)
            if not args.skip_pdf:
                print("\nPDF export...", flush=True)
                extra["pdf"] = run_pdf(args)
        except (
            SetupError,
            RequestFailed,
            psycopg.Error,
            subprocess.SubprocessError,
        ) as exc:
            print(f"Setup failed: {exc}", file=sys.stderr)
            print_log_tail(Path(log.name))
            return 2
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            return 130
    summary = report(args, pages, extra, (load_before, os.getloadavg()[0]))
    if summary["all_met"]:
        os.unlink(log.name)
    return 0 if summary["all_met"] else 1


def benchmark_pages(args, log) -> list[PageResult]:
    env = server_env(
        database_url=args.database_url,
        redis_url=args.redis_url,
        settings_module="benchmarks.settings",
    )
    port = args.port or free_port()
    if port_in_use(port):
        raise SetupError(f"port {port} is in use; choose another --port")
    ensure_database(args.database_url)
    manage(env, "migrate", "--no-input", "-v0", timeout=300)
    data = prepare_data(env, args)
    server = start_gunicorn(env, port=port, workers=args.workers, log=log)
    try:
        wait_until_healthy(server, port, timeout=30)
        print(
            f"\nPages of {data['slug']}: throughput ({args.clients} clients back to "
            f"back) and latency ({args.clients} clients, one request every "
            f"{args.think:g} s), {args.duration:g} s each",
            flush=True,
        )
        return measure_pages(port, data, args)
    finally:
        stop_gunicorn(server)


if __name__ == "__main__":
    sys.exit(main())
