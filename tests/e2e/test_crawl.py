"""Crawl every page reachable from the navigation as each role and run axe-core
(WCAG 2.1 A and AA) on each one (issue 10, universal design), and the W3C Nu
HTML Checker over the HTML the server sent for each (issue 21).

The demo data is loaded; each role gets a browser context of its own and
follows same-origin links breadth-first, without submitting any form. Pages
that differ only by an id share a pattern (/milepel/#/): the first page of
every pattern is visited before a second example of any, and no more than
MAX_PER_PATTERN examples are taken, which is what keeps the crawl bounded.
MAX_PAGES is only a safety net: the test fails if any role's crawl reaches it
with links left to visit, since pages would then go unscanned.

The pages checked are printed as a table, with the count and time per role,
and the test fails once at the end with every violation found.
"""

import json
import re
import time
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from tests.e2e.conftest import AXE, WCAG_TAGS, join_group, watch_csp
from tests.helpers import html_errors, require

pytestmark = pytest.mark.django_db(transaction=True)

MAX_PAGES = 250  # per role; a safety net that the test asserts is never reached
MAX_QUERY_VARIANTS = 2  # per path: a few filter variants, not all of them
MAX_PER_PATTERN = 2  # /milepel/1/ and /milepel/2/, not all ten milestones
SKIP_PREFIXES = ("/logg-ut/", "/admin/", "/i18n/", "/static/", "/media/")
SKIP_SUFFIXES = (
    ".csv",
    ".xlsx",
    ".ics",
    ".svg",
    ".pdf",
    ".png",
    ".jpg",
    ".zip",
    ".json",
)
SKIP_PARTS = ("last-ned",)
STAFF = ("radsmedlem", "arbeidsgruppe", "sekretariat")
SLUG = "mipr-2026-2029"
# Patterns a role's crawl must reach: a few of the deepest, so that a crawl
# that silently stops short (a broken link, a cap) fails.
MUST_REACH = {
    "deltaker": {"/delta/gruppe/#/#/"},
    "radsmedlem": {f"/strategi/{SLUG}/versjon/#/", f"/strategi/{SLUG}/endringer/"},
    "arbeidsgruppe": {
        f"/strategi/{SLUG}/funn/#/",
        f"/strategi/{SLUG}/kilder/#/",
        f"/strategi/{SLUG}/versjon/#/seksjon/#/historikk/",
        "/workshop/#/vegg/",
    },
    "sekretariat": {
        f"/tidslinje/{SLUG}/milepel/#/endre/",
        f"/strategi/{SLUG}/versjon/#/lesere/",
        f"/strategi/{SLUG}/versjon/#/vedta/",
        "/workshop/#/endre/",
        "/workshop/#/sporsmal/#/",
        "/workshop/#/gruppe/#/",
        "/workshop/#/bli-med/",
        "/workshop/#/kort/",
        "/workshop/#/vegg/",
    },
}

AXE_RUN = (
    "async (tags) => await axe.run(document, "
    "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


@pytest.fixture
def demo_data(demo_process):
    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import plan as plan_demo
    from demo import workshop as workshop_demo

    plan_demo.load(demo_process)
    workshop = workshop_demo.load(demo_process)
    evidence_demo.load(demo_process)
    document_demo.load_strategy(demo_process)
    return workshop


def _normalise(href, origin):
    """The link as «path?query», or None when the crawl should not follow it."""
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or parts.netloc != origin:
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES) or path.lower().endswith(SKIP_SUFFIXES):
        return None
    if any(part in path for part in SKIP_PARTS):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def _pattern(path):
    """The path with its numbers replaced: pages that differ only by an id."""
    return re.sub(r"/\d+(?=/)", "/#", path)


def _axe(page) -> list[dict]:
    # axe is in every page through the context's init script.
    result = page.evaluate(AXE_RUN, WCAG_TAGS)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
    ]


def _crawl(page, start, origin) -> tuple[list[dict], list[str]]:
    """Visit pages breadth-first from start, new patterns first.

    Returns one row per page visited, and the links still waiting when
    MAX_PAGES stopped the crawl (none, unless the cap was hit).
    """
    rows = []
    seen = {start}
    variants = {}  # path -> how many query-string variants are queued
    patterns = {(_pattern(start), False): 1}  # how many pages of each are queued
    fresh = deque([start])  # the first page of its pattern
    repeats = deque()  # another example of a pattern already queued
    while (fresh or repeats) and len(rows) < MAX_PAGES:
        url = (fresh or repeats).popleft()
        response = page.goto(url)
        status = response.status if response else 0
        content_type = response.headers.get("content-type", "") if response else ""
        if "text/html" not in content_type:
            rows.append({"path": url, "status": status, "violations": []})
            continue
        rows.append(
            {
                "path": url,
                "status": status,
                "violations": _axe(page),
                # What the server sent, for the W3C checker (not the DOM the
                # scripts made of it).
                "html": response.body(),
            }
        )
        for href in page.evaluate(LINKS):
            link = _normalise(urljoin(page.url, href), origin)
            if link is None or link in seen:
                continue
            path, _, query = link.partition("?")
            if query:
                if variants.get(path, 0) >= MAX_QUERY_VARIANTS:
                    continue
                variants[path] = variants.get(path, 0) + 1
            # A filtered view (?mine=1) is a pattern of its own.
            pattern = (_pattern(path), bool(query))
            queued = patterns.get(pattern, 0)
            if not query and queued >= MAX_PER_PATTERN:
                continue
            patterns[pattern] = queued + 1
            seen.add(link)
            (repeats if queued else fresh).append(link)
    return rows, [*fresh, *repeats]


def test_every_page_passes_axe_and_the_html_checker_for_every_role(
    browser, live_server, demo_data, sign_in, tmp_path
):
    require(AXE.exists(), "axe-core is missing: run `npm ci`")
    origin = urlsplit(live_server.url).netloc
    group = demo_data.groups.get(number=1)
    results = []  # (role, row)
    refused = []  # (role, what the Content-Security-Policy blocked)
    summary = []  # (role, pages, seconds)
    capped = {}  # role -> the links left when MAX_PAGES stopped its crawl
    for role in ("anonym", "deltaker", *STAFF):
        context = browser.new_context(base_url=live_server.url, locale="nb-NO")
        context.set_default_timeout(10_000)
        context.add_init_script(path=AXE)
        blocked = watch_csp(context)
        page = context.new_page()
        start = "/"
        if role == "deltaker":
            join_group(page, group, "Kari")
            start = f"/delta/gruppe/{group.pk}/"
        elif role in STAFF:
            sign_in(page, role)
        began = time.monotonic()
        try:
            rows, left = _crawl(page, start, origin)
        finally:
            context.close()
            refused += [(role, line) for line in blocked]
        results += [(role, row) for row in rows]
        summary.append((role, len(rows), time.monotonic() - began))
        if left:
            capped[role] = left

    width = max(len(row["path"]) for _, row in results)
    print()
    print(f"{'role':<13} {'path':<{width}} {'status':>6} {'violations':>10}")
    for role, row in results:
        print(
            f"{role:<13} {row['path']:<{width}} {row['status']:>6} "
            f"{len(row['violations']):>10}"
        )
    failing = [(role, row) for role, row in results if row["violations"]]
    roles = {role for role, _ in results}
    print(
        f"{len(results)} pages checked for {len(roles)} roles; "
        f"{len(failing)} with violations"
    )

    for role, pages, seconds in summary:
        print(f"{role:<13} {pages:>4} pages in {seconds:5.1f} s")
    print(f"{len(refused)} refusals under the Content-Security-Policy")

    assert capped == {}, "the crawl stopped at MAX_PAGES with links left:\n" + (
        "\n".join(
            f"{role}: {len(left)} left, e.g. {left[:5]}"
            for role, left in capped.items()
        )
    )
    reached = {}
    for role, row in results:
        reached.setdefault(role, set()).add(_pattern(row["path"].partition("?")[0]))
    missed = {
        role: sorted(must - reached.get(role, set()))
        for role, must in MUST_REACH.items()
        if must - reached.get(role, set())
    }
    assert missed == {}, f"patterns the crawl did not reach: {missed}"
    assert refused == [], "\n".join(f"{role} {line}" for role, line in refused)
    broken = [(role, row) for role, row in results if row["status"] >= 500]
    assert broken == [], "server errors:\n" + "\n".join(
        f"{role} {row['path']} {row['status']}" for role, row in broken
    )
    # The W3C Nu HTML Checker over every page the crawl saw, in one run.
    invalid = html_errors(
        {
            f"{role} {row['path']}": row["html"]
            for role, row in results
            if "html" in row
        },
        tmp_path,
    )
    print(f"{len(invalid)} HTML errors (W3C Nu HTML Checker)")
    assert failing == [], "axe violations:\n" + "\n".join(
        f"{role} {row['path']}:\n"
        + json.dumps(row["violations"], indent=2, ensure_ascii=False)
        for role, row in failing
    )
    assert invalid == [], "HTML errors:\n" + "\n".join(invalid)
