"""Who may open every address of the portal: one table, every URL, seven people.

Every URL pattern the resolver knows must have at least one row in `TABLE`; a
new address without a row fails `test_every_url_pattern_has_a_row`. Each row is
one URL name filled in with the demo's objects (`variant` says which), one method
and the expected outcome for each column:

    D   anonymous visitor
    P1  participant who joined with group 1's code (/delta/, code + first name)
    P2  participant who joined with group 2's code
    R   radsmedlem (council member)
    A   arbeidsgruppe (working group)
    S   sekretariat
    X   the secretariat of ANOTHER process
    D~  anonymous visitor, with MIPR's process unpublished
    X~  the other process's secretariat, with MIPR's process unpublished

Outcomes:

    Y   allowed: past the permission check (2xx, 304, a redirect elsewhere, or
        400/409 for the minimal, often invalid, POST we send)
    L   sent to a login page (/logg-inn/, or /admin/login/)
    N   denied: 404, or 403
    M   405: the method is not accepted; the view did not run

Variants: `-` MIPR's objects; `v1` public version, `v2` published for review,
`v3` a working draft (and their sections, exports, comments); `g1`/`g2` group
1's/2's pages; `x` MIPR's object under the OTHER process's address (an object
id from one process with another process's slug or workshop); `adopted` and
`shared` first adopt version 2 or share the findings summary.

Besides the outcome, every response is searched for markers planted in MIPR's
data (a draft's text, a group's answer and code, a staff-only source, ...): a
marker may appear only in the answers of those allowed to see it (`SEES`).

Each case is a test of its own in a rolled-back transaction (the `db` fixture,
a savepoint inside the module's demo), so no POST can influence another case.
"""

import html
import io
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from pypdf import PdfReader, PdfWriter

from demo import document as document_demo
from demo import evidence as evidence_demo
from demo import plan as plan_demo
from demo import workshop as workshop_demo
from demo.process import load_process
from findings import services
from findings.models import Finding, ItemTag, Source, SourceKind
from mipr.models import Membership, Process, Role
from strategy import adoption, review, writing
from strategy.models import (
    Comment,
    ExportStatus,
    PdfExport,
    Review,
    Version,
    VersionStatus,
)
from strategy.pdf import jobs, render
from tests.factories import ProcessFactory, UserFactory
from tests.helpers import join_form
from timeline.models import Deliverable, Milestone, Status
from workshops.access import join_token
from workshops.models import Answer, Workshop

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"
SLUG = "mipr-2026-2029"
OTHER_SLUG = "annen-region-2026-2029"

COLUMNS = (
    "anonymous",
    "participant1",
    "participant2",
    "radsmedlem",
    "arbeidsgruppe",
    "sekretariat",
    "other_secretariat",
    "anonymous~",
    "other_secretariat~",
)

TABLE = """
# name                       variant method  D P1 P2 R A S X | D~ X~
home                         -       GET     Y Y  Y  Y Y Y Y | Y  Y
healthz                      -       GET     Y Y  Y  Y Y Y Y | Y  Y
accessibility                -       GET     Y Y  Y  Y Y Y Y | Y  Y
privacy                      -       GET     Y Y  Y  Y Y Y Y | Y  Y
# The change log: the process's secretariat only.
audit_log                    -       GET     L L  L  N N Y N | L  N
# The members and their own data (the council member's): the secretariat only.
members                      -       GET     L L  L  N N Y N | L  N
member-data                  -       GET     L L  L  N N Y N | L  N
member-remove                -       GET     L L  L  N N Y N | L  N
member-remove                -       POST    L L  L  N N Y N | L  N
login                        -       GET     Y Y  Y  Y Y Y Y | Y  Y
login                        -       POST    Y Y  Y  Y Y Y Y | Y  Y
logout                       -       GET     M M  M  M M M M | M  M
logout                       -       POST    Y Y  Y  Y Y Y Y | Y  Y
# One's own name and e-mail address.
profile                      -       GET     L L  L  Y Y Y Y | L  Y
profile                      -       POST    L L  L  Y Y Y Y | L  Y
password_change              -       GET     L L  L  Y Y Y Y | L  Y
password_change              -       POST    L L  L  Y Y Y Y | L  Y
password_change_done         -       GET     L L  L  Y Y Y Y | L  Y
# The plan: public while the process is published.
timeline:index               -       GET     Y Y  Y  Y Y Y Y | Y  Y
timeline:calendar            -       GET     Y Y  Y  Y Y Y Y | Y  Y
timeline:csv                 -       GET     Y Y  Y  Y Y Y Y | Y  Y
timeline:plan                -       GET     Y Y  Y  Y Y Y Y | N  N
timeline:process-calendar    -       GET     Y Y  Y  Y Y Y Y | N  N
timeline:process-csv         -       GET     Y Y  Y  Y Y Y Y | N  N
timeline:milestone           -       GET     Y Y  Y  Y Y Y Y | N  N
timeline:milestone           x       GET     N N  N  N N N N | N  N
timeline:milestone-create    -       GET     L L  L  N N Y N | L  N
timeline:milestone-create    -       POST    L L  L  N N Y N | L  N
timeline:milestone-edit      -       GET     L L  L  N N Y N | L  N
timeline:milestone-edit      -       POST    L L  L  N N Y N | L  N
timeline:milestone-edit      x       GET     L L  L  N N N N | L  N
timeline:milestone-edit      x       POST    L L  L  N N N N | L  N
timeline:milestone-status    -       GET     L L  L  M M M M | L  M
timeline:milestone-status    -       POST    L L  L  N N Y N | L  N
timeline:milestone-status    x       POST    L L  L  N N N N | L  N
timeline:milestone-move      -       GET     L L  L  M M M M | L  M
timeline:milestone-move      -       POST    L L  L  N N Y N | L  N
timeline:milestone-move      x       POST    L L  L  N N N N | L  N
timeline:milestone-delete    -       GET     L L  L  N N Y N | L  N
timeline:milestone-delete    -       POST    L L  L  N N Y N | L  N
timeline:milestone-delete    x       POST    L L  L  N N N N | L  N
# Participants: only their own group, whatever the process's publication.
workshops:join               -       GET     Y Y  Y  Y Y Y Y | Y  Y
workshops:join               -       POST    Y Y  Y  Y Y Y Y | Y  Y
workshops:group              g1      GET     N Y  N  N N N N | N  N
workshops:group              g2      GET     N N  Y  N N N N | N  N
workshops:answer             g1      GET     N Y  N  N N N N | N  N
workshops:answer             g1      POST    N Y  N  N N N N | N  N
workshops:answer             g2      GET     N N  Y  N N N N | N  N
workshops:answer             g2      POST    N N  Y  N N N N | N  N
workshops:autosave           g1      GET     M M  M  M M M M | M  M
workshops:autosave           g1      POST    N Y  N  N N N N | N  N
workshops:autosave           g2      POST    N N  Y  N N N N | N  N
workshops:heartbeat          g1      GET     M M  M  M M M M | M  M
workshops:heartbeat          g1      POST    N Y  N  N N N N | N  N
workshops:heartbeat          g2      POST    N N  Y  N N N N | N  N
# The facilitator: staff read, the secretariat runs.
workshops:list               -       GET     L L  L  Y Y Y Y | L  Y
workshops:create             -       GET     L L  L  N N Y Y | L  Y
workshops:create             -       POST    L L  L  N N Y Y | L  Y
workshops:detail             -       GET     L L  L  N Y Y N | L  N
workshops:edit               -       GET     L L  L  N N Y N | L  N
workshops:edit               -       POST    L L  L  N N Y N | L  N
workshops:question-create    -       GET     L L  L  N N Y N | L  N
workshops:question-create    -       POST    L L  L  N N Y N | L  N
workshops:question-edit      -       GET     L L  L  N N Y N | L  N
workshops:question-edit      -       POST    L L  L  N N Y N | L  N
workshops:question-edit      x       GET     L L  L  N N N N | L  N
workshops:question-delete    -       GET     L L  L  M M M M | L  M
workshops:question-delete    -       POST    L L  L  N N Y N | L  N
workshops:question-delete    x       POST    L L  L  N N N N | L  N
workshops:group-create       -       GET     L L  L  N N Y N | L  N
workshops:group-create       -       POST    L L  L  N N Y N | L  N
workshops:group-edit         -       GET     L L  L  N N Y N | L  N
workshops:group-edit         -       POST    L L  L  N N Y N | L  N
workshops:group-edit         x       GET     L L  L  N N N N | L  N
workshops:group-delete       -       GET     L L  L  M M M M | L  M
workshops:group-delete       -       POST    L L  L  N N Y N | L  N
workshops:group-delete       x       POST    L L  L  N N N N | L  N
workshops:status             -       GET     L L  L  M M M M | L  M
workshops:status             -       POST    L L  L  N N Y N | L  N
workshops:join-screen        -       GET     L L  L  N Y Y N | L  N
# The join cards to print: the secretariat only.
workshops:join-cards         -       GET     L L  L  N N Y N | L  N
workshops:group-qr           -       GET     L L  L  N Y Y N | L  N
workshops:group-qr           x       GET     L L  L  N N N N | L  N
workshops:group-new-code     -       GET     L L  L  M M M M | L  M
workshops:group-new-code     -       POST    L L  L  N N Y N | L  N
workshops:group-new-code     x       POST    L L  L  N N N N | L  N
workshops:wall               -       GET     L L  L  N Y Y N | L  N
workshops:wall-fragment      -       GET     L L  L  N Y Y N | L  N
workshops:export-csv         -       GET     L L  L  N Y Y N | L  N
workshops:export-xlsx        -       GET     L L  L  N Y Y N | L  N
# The strategy: staff read every version, council members published ones,
# anyone a public version of a published process.
strategy:index               -       GET     Y Y  Y  Y Y Y Y | Y  Y
strategy:start               -       GET     L L  L  N N Y N | L  N
strategy:start               -       POST    L L  L  N N Y N | L  N
# The outline a strategy starts from: the secretariat's.
strategy:outline             -       GET     L L  L  N N Y N | L  N
strategy:outline             -       POST    L L  L  N N Y N | L  N
strategy:cover               -       GET     L L  L  N N Y N | L  N
strategy:cover               -       POST    L L  L  N N Y N | L  N
strategy:adopted             adopted GET     Y Y  Y  Y Y Y Y | L  N
strategy:diff                v1v2    GET     L L  L  Y Y Y N | L  N
strategy:diff                v2v3    GET     L L  L  N Y Y N | L  N
strategy:version             v1      GET     Y Y  Y  Y Y Y Y | L  N
strategy:version             v2      GET     L L  L  Y Y Y N | L  N
strategy:version             v3      GET     L L  L  N Y Y N | L  N
strategy:version-readers     v2      GET     L L  L  N Y Y N | L  N
strategy:pdf-request         v1      GET     M M  M  M M M M | M  M
strategy:pdf-request         v1      POST    Y Y  Y  Y Y Y Y | L  N
strategy:pdf-request         v3      POST    L L  L  N Y Y N | L  N
strategy:pdf                 v1      GET     Y Y  Y  Y Y Y Y | L  N
strategy:pdf                 v3      GET     L L  L  N Y Y N | L  N
strategy:pdf                 x       GET     N N  N  N N N N | N  N
# v1m: a council member's own PDF of the public version: for members; visitors
# get the version's published PDF (v1) only.
strategy:pdf                 v1m     GET     N N  N  Y Y Y N | L  N
strategy:pdf-status          v1m     GET     N N  N  Y Y Y N | L  N
strategy:pdf-download        v1m     GET     N N  N  Y Y Y N | L  N
# v1c: a PDF of the public version with the review comments (appendix C),
# made by the secretariat: it names the members who commented, so staff only.
strategy:pdf                 v1c     GET     N N  N  N Y Y N | L  N
strategy:pdf-status          v1c     GET     N N  N  N Y Y N | L  N
strategy:pdf-download        v1c     GET     N N  N  N Y Y N | L  N
strategy:pdf-status          v1      GET     Y Y  Y  Y Y Y Y | L  N
strategy:pdf-status          v3      GET     L L  L  N Y Y N | L  N
strategy:pdf-download        v1      GET     Y Y  Y  Y Y Y Y | L  N
strategy:pdf-download        v3      GET     L L  L  N Y Y N | L  N
strategy:pdf-download        x       GET     N N  N  N N N N | N  N
strategy:version-new         v3      GET     L L  L  M M M M | L  M
strategy:version-new         v3      POST    L L  L  N N Y N | L  N
strategy:version-publish     v3      GET     L L  L  M M M M | L  M
strategy:version-publish     v3      POST    L L  L  N N Y N | L  N
strategy:version-presented   v2      GET     L L  L  M M M M | L  M
strategy:version-presented   v2      POST    L L  L  N N Y N | L  N
# Adoption: the newest published version (2), never a working draft (3).
strategy:version-adopt       v2      GET     L L  L  N N Y N | L  N
strategy:version-adopt       v2      POST    L L  L  N N Y N | L  N
strategy:version-adopt       v3      GET     L L  L  N N N N | L  N
strategy:version-public      v2      GET     L L  L  M M M M | L  M
strategy:version-public      v2      POST    L L  L  N N Y N | L  N
strategy:version-comments-public v1  GET     L L  L  M M M M | L  M
strategy:version-comments-public v1  POST    L L  L  N N Y N | L  N
strategy:review-finish       v2      GET     L L  L  M M M M | L  M
strategy:review-finish       v2      POST    L L  L  Y N N N | L  N
strategy:review-finish       v3      POST    L L  L  N N N N | L  N
strategy:comment-add         v2      GET     M M  M  M M M M | M  M
# A comment on version 1, which version 2 has replaced, is refused and kept
# for its writer: a redirect back to the section, as for a saved one. An
# anonymous comment (the session expired) is kept for after logging in.
strategy:comment-add         v1      POST    L L  L  Y Y Y N | L  N
strategy:comment-add         v2      POST    L L  L  Y Y Y N | L  N
# Staff may comment on a working draft, though the page offers no form for it.
strategy:comment-add         v3      POST    L L  L  N Y Y N | L  N
strategy:comment-resolve     v1      GET     L L  L  M M M M | L  M
strategy:comment-resolve     v1      POST    L L  L  N N Y N | L  N
strategy:comment-resolve     x       POST    L L  L  N N N N | L  N
strategy:section-add         v3      GET     L L  L  M M M M | L  M
strategy:section-add         v3      POST    L L  L  N Y Y N | L  N
strategy:section-edit        v3      GET     L L  L  N Y Y N | L  N
strategy:section-edit        v3      POST    L L  L  N Y Y N | L  N
strategy:section-edit        x       GET     L L  L  N N N N | L  N
strategy:section-edit        x       POST    L L  L  N N N N | L  N
# The editor's live preview: staff of the process only, POST only.
strategy:section-preview     v3      GET     L L  L  M M M M | L  M
strategy:section-preview     v3      POST    L L  L  N Y Y N | L  N
strategy:section-preview     x       POST    L L  L  N N N N | L  N
strategy:section-history     v2      GET     L L  L  N Y Y N | L  N
strategy:section-history     x       GET     L L  L  N N N N | L  N
strategy:section-move        v3      GET     L L  L  M M M M | L  M
strategy:section-move        v3      POST    L L  L  N Y Y N | L  N
strategy:section-move        x       POST    L L  L  N N N N | L  N
# Findings and sources (the findings app, under /strategi/<process>/): staff
# only; the summary once shared, council members too.
findings:themes              -       GET     L L  L  N Y Y N | L  N
findings:answers             -       GET     L L  L  N Y Y N | L  N
findings:tag                 -       GET     L L  L  M M M M | L  M
findings:tag                 -       POST    L L  L  N Y Y N | L  N
# One tick and one new finding from the tagging page's script (JSON); their
# ids are in the body, so tests/findings/test_tagging.py crosses processes.
findings:tag-tick            -       GET     L L  L  M M M M | L  M
findings:tag-tick            -       POST    L L  L  N Y Y N | L  N
findings:tag-new-finding     -       GET     L L  L  M M M M | L  M
findings:tag-new-finding     -       POST    L L  L  N Y Y N | L  N
findings:finding-create      -       GET     L L  L  N Y Y N | L  N
findings:finding-create      -       POST    L L  L  N Y Y N | L  N
findings:finding-edit        -       GET     L L  L  N Y Y N | L  N
findings:finding-edit        -       POST    L L  L  N Y Y N | L  N
findings:finding-edit        x       GET     L L  L  N N N N | L  N
findings:finding-edit        x       POST    L L  L  N N N N | L  N
findings:finding-delete      -       GET     L L  L  N Y Y N | L  N
findings:finding-delete      -       POST    L L  L  N Y Y N | L  N
findings:finding-delete      x       POST    L L  L  N N N N | L  N
findings:finding-move        -       GET     L L  L  M M M M | L  M
findings:finding-move        -       POST    L L  L  N Y Y N | L  N
findings:finding-move        x       POST    L L  L  N N N N | L  N
findings:finding-merge       -       GET     L L  L  N Y Y N | L  N
findings:finding-merge       -       POST    L L  L  N Y Y N | L  N
findings:summary             -       GET     L L  L  N Y Y N | L  N
findings:summary             shared  GET     L L  L  Y Y Y N | L  N
findings:summary-slides      -       GET     L L  L  N Y Y N | L  N
findings:summary-slides      shared  GET     L L  L  Y Y Y N | L  N
findings:summary-slides-pdf  -       GET     L L  L  N Y Y N | L  N
findings:summary-slides-pdf  shared  GET     L L  L  Y Y Y N | L  N
findings:summary-share       -       GET     L L  L  M M M M | L  M
findings:summary-share       -       POST    L L  L  N N Y N | L  N
findings:findings-xlsx       -       GET     L L  L  N Y Y N | L  N
findings:sources             -       GET     L L  L  N Y Y N | L  N
findings:source-create       -       GET     L L  L  N Y Y N | L  N
findings:source-create       -       POST    L L  L  N Y Y N | L  N
findings:source-edit         -       GET     L L  L  N Y Y N | L  N
findings:source-edit         -       POST    L L  L  N Y Y N | L  N
findings:source-edit         x       GET     L L  L  N N N N | L  N
findings:source-edit         x       POST    L L  L  N N N N | L  N
# The admin's front page: only staff superusers (none of the seven) get in.
admin:index                  -       GET     L L  L  L L L L | L  L
"""

# Left out of the table on purpose: the admin's own pages behind /admin/ (Django
# guards every one of them with the same check as its front page, which is in
# the table) and Django's language switch (a redirect that shows no data).
EXCLUDED_PREFIXES = ("admin/", "i18n/")
EXCLUDED_KEEP = {"admin:index"}

OUTCOMES = {
    "Y": "allowed",
    "L": "sent to log in",
    "N": "denied (403/404)",
    "M": "405 method not allowed",
}


def _parse(table: str) -> list[SimpleNamespace]:
    rows = []
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        name, variant, method, *cells = line.replace("|", " ").split()
        assert len(cells) == len(COLUMNS), f"row needs {len(COLUMNS)} cells: {line}"
        assert set(cells) <= set(OUTCOMES), f"unknown outcome in: {line}"
        rows.append(
            SimpleNamespace(
                name=name,
                variant=variant,
                method=method,
                cells=dict(zip(COLUMNS, cells, strict=True)),
            )
        )
    return rows


ROWS = _parse(TABLE)
CASES = [
    pytest.param(row, column, id=f"{row.name}[{row.variant}]-{row.method}-{column}")
    for row in ROWS
    for column in COLUMNS
]


# --- Every URL the resolver knows ------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=""):
    """(name, route) of every URL pattern, through every include."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from url_patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, route


def _in_table(name: str | None, route: str) -> bool:
    return name in EXCLUDED_KEEP or not route.startswith(EXCLUDED_PREFIXES)


PATTERN_LIST = [
    (name, route) for name, route in url_patterns() if _in_table(name, route)
]
PATTERNS = dict(PATTERN_LIST)


def test_every_url_pattern_has_a_row():
    unnamed = [route for name, route in PATTERN_LIST if name is None]
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    names = [name for name, _route in PATTERN_LIST]
    twice = sorted({name for name in names if names.count(name) > 1})
    assert not twice, f"names given to more than one URL pattern: {twice}"
    named = {row.name for row in ROWS}
    missing = sorted(set(PATTERNS) - named)
    assert not missing, f"new URL without an entry in TABLE: {missing}"
    stale = sorted(named - set(PATTERNS))
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def test_the_walk_finds_included_and_namespaced_patterns():
    assert PATTERNS["admin:index"] == "admin/"
    assert (
        PATTERNS["strategy:pdf-download"]
        == "strategi/<slug:slug>/pdf/<int:pk>/last-ned/"
    )
    assert PATTERNS["workshops:join"] == "delta/"
    assert not any(route.startswith("i18n/") for route in PATTERNS.values())


# --- The demo, built once for the module ----------------------------------------

# Planted in MIPR's data; SEES says who may find each in a response.
MARKERS = {
    "plan": "mx-plan-5f2a",
    "v1": "mx-offentlig-v1-8c3d",
    "v2": "mx-gjennomgang-v2-1b7e",
    "v3": "mx-utkast-v3-4e9a",
    "g1": "mx-svar-gruppe1-2d6f",
    "g2": "mx-svar-gruppe2-7a1c",
    "source": "mx-kilde-9e4b",
    # A council member's review comment on the public version: members only.
    "comment": "mx-kommentar-5a1d",
}
EVERYONE_PUBLIC = {"plan", "v1", "slug"}
STAFF = set(MARKERS) | {
    "slug",
    "v2-link",
    "v3-link",
    "code1",
    "code2",
    "workshop-link",
}
SEES = {
    "anonymous": EVERYONE_PUBLIC,
    "participant1": EVERYONE_PUBLIC | {"g1", "code1"},
    "participant2": EVERYONE_PUBLIC | {"g2", "code2"},
    "radsmedlem": EVERYONE_PUBLIC | {"v2", "v2-link", "comment"},
    "arbeidsgruppe": STAFF,
    "sekretariat": STAFF,
    "other_secretariat": EVERYONE_PUBLIC,
    # With MIPR's process unpublished, outsiders see nothing of it at all.
    "anonymous~": set(),
    "other_secretariat~": set(),
}


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _build_world() -> SimpleNamespace:
    User = get_user_model()
    mipr = load_process()
    plan_demo.load(mipr)
    workshop = workshop_demo.load(mipr)
    evidence_demo.load(mipr)
    v1, v2 = document_demo.load_strategy(mipr).versions.order_by("number")
    review.version_set_public(version=v1, public=True)
    sara = User.objects.get(username="sekretariat")
    v3 = writing.version_new(previous=v2, by=sara)
    versions = {1: v1, 2: v2, 3: v3}
    for number, version in versions.items():
        marker = MARKERS[f"v{number}"]
        Version.objects.filter(pk=version.pk).update(note=marker)
        version.sections.filter(order=2).update(body=f"Tekst {marker}.")
    milestone = Milestone.objects.create(
        process=mipr,
        who="Sekretariatet",
        what=MARKERS["plan"],
        start_year=2025,
        start_week=44,
        end_year=2025,
        end_week=44,
        status=Status.PLANNED,
        deliverable=Deliverable.NONE,
        order=99,
    )
    # What the milestone produced is listed on its page: staff see the links.
    Version.objects.filter(pk__in=[v2.pk, v3.pk]).update(milestone=milestone)
    Workshop.objects.filter(pk=workshop.pk).update(milestone=milestone)
    groups = {g.number: g for g in workshop.groups.all()}
    questions = {q.number: q for q in workshop.questions.all()}
    for number in (1, 2):
        Answer.objects.create(
            group=groups[number],
            question=questions[3],
            content=questions[3].fit_content([{"text": MARKERS[f"g{number}"]}]),
            edited_by="Pia",
        )
    source = Source.objects.create(
        process=mipr, kind=SourceKind.REPORT, title=MARKERS["source"]
    )
    Comment.objects.create(
        section=v1.sections.get(order=3),
        author=User.objects.get(username="radsmedlem"),
        text=f"Innspill {MARKERS['comment']}.",
    )
    exports = {}
    for number in (1, 3):
        export = jobs.export_request(
            version=versions[number], with_comments=False, by=sara
        )
        export.file.save(f"matrise-v{number}.pdf", ContentFile(_blank_pdf()))
        export.status = ExportStatus.READY
        export.save()
        exports[number] = export
    # Version 1's published PDF, for everyone; and a member's own.
    exports[1].is_published = True
    exports[1].save(update_fields=["is_published"])
    own = PdfExport.objects.create(
        version=v1,
        fingerprint="a member's own",
        status=ExportStatus.READY,
        requested_by=User.objects.get(username="radsmedlem"),
    )
    own.file.save("matrise-v1-eget.pdf", ContentFile(_blank_pdf()))
    exports["v1m"] = own
    # A real PDF with the comments appendix: the marker is in its text.
    with_comments = jobs.export_request(version=v1, with_comments=True, by=sara)
    with_comments.file.save(
        "matrise-v1-kommentarer.pdf",
        ContentFile(render.version_pdf(v1, with_comments=True)),
    )
    with_comments.status = ExportStatus.READY
    with_comments.save()
    exports["v1c"] = with_comments

    # Another council's process, public, one year older (so /tidslinje/ shows
    # MIPR's while MIPR's is public), with a secretariat of its own.
    other = ProcessFactory(slug=OTHER_SLUG, year=2024, is_public=True)
    other_secretariat = UserFactory(username="annen-sekretariat")
    Membership.objects.create(
        process=other, user=other_secretariat, role=Role.SECRETARIAT
    )
    other_workshop = Workshop.objects.create(
        process=other, title="Workshop i annen region", date="2024-05-02"
    )
    writing.strategy_start(process=other, title="Annen strategi", by=other_secretariat)
    other_finding = services.finding_create(
        process=other, title="Annen regions funn", description=""
    )

    world = SimpleNamespace(
        mipr=mipr,
        other=other,
        workshop=workshop,
        other_workshop=other_workshop,
        groups=groups,
        questions=questions,
        versions=versions,
        sections={n: v.sections.get(order=2) for n, v in versions.items()},
        comment=Comment.objects.get(
            section__version=v1, resolved_at=None, text__startswith="Savner"
        ),
        milestone=milestone,
        finding=mipr.findings.first(),
        source=source,
        exports=exports,
        other_finding=other_finding,
        other_secretariat=other_secretariat,
    )
    world.secrets = {
        **MARKERS,
        "slug": f"/{SLUG}/",
        "v2-link": f"/strategi/{SLUG}/versjon/2/",
        "v3-link": f"/strategi/{SLUG}/versjon/3/",
        "code1": groups[1].code,
        "code2": groups[2].code,
        "workshop-link": f"/workshop/{workshop.pk}/",
    }

    # The seven people's sessions, kept for the module: each case starts a new
    # client with a copy of the cookie, and rolls back what the request changed.
    sessions = {"anonymous": None}
    for persona, group in (("participant1", 1), ("participant2", 2)):
        client = Client()
        response = client.post(
            reverse("workshops:join"), join_form(client, groups[group].code, "Pia")
        )
        assert response.status_code == 302, "the participant could not join"
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    people = {
        **{u: User.objects.get(username=u) for u in ("radsmedlem", "arbeidsgruppe")},
        "sekretariat": sara,
        "other_secretariat": other_secretariat,
    }
    for persona, user in people.items():
        client = Client()
        client.force_login(user)
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    world.sessions = sessions
    return world


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once; it stays in an open transaction that each test's
    savepoint (the `db` fixture) rolls back to, and is rolled back itself after
    the module."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[MD5], MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(_world, db):
    return _world


def client_for(world, persona: str) -> Client:
    client = Client()
    session = world.sessions[persona.rstrip("~")]
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


# --- Filling in a URL and sending the request -------------------------------------

# Which object a URL's `pk` names.
PK_KIND = {
    "timeline": "milestone",
    "workshops": "workshop",
    "strategy:comment-resolve": "comment",
    "strategy:pdf": "export",
    "strategy:pdf-status": "export",
    "strategy:pdf-download": "export",
    "findings:finding-edit": "finding",
    "findings:finding-delete": "finding",
    "findings:finding-move": "finding",
    "findings:source-edit": "source",
}
# Variants naming a version by its number (and an export of it, for v1c, v1m).
VERSION_VARIANTS = ("v1", "v2", "v3", "v1c", "v1m")
SECTION_URLS = {
    "strategy:section-edit",
    "strategy:section-history",
    "strategy:section-move",
    "strategy:section-preview",
}


def _pk(world, name: str, variant: str) -> int:
    kind = PK_KIND.get(name) or PK_KIND.get(name.split(":")[0])
    if name in SECTION_URLS:
        kind = "section"
    number = int(variant[1]) if variant in VERSION_VARIANTS else 3
    return {
        "milestone": lambda: world.milestone.pk,
        "workshop": lambda: (
            (world.other_workshop if variant == "x" else world.workshop).pk
        ),
        "comment": lambda: world.comment.pk,
        "export": lambda: (
            world.exports[{"v1": 1, "v1c": "v1c", "v1m": "v1m"}.get(variant, 3)].pk
        ),
        "finding": lambda: world.finding.pk,
        "source": lambda: world.source.pk,
        "section": lambda: world.sections[number].pk,
    }[kind]()


def url_of(world, row) -> str:
    """The row's URL, filled in with the demo's objects."""
    variant = row.variant
    version = int(variant[1]) if variant in VERSION_VARIANTS else None
    values = {
        # `x`: MIPR's object under the other process's address.
        "slug": OTHER_SLUG if variant == "x" else SLUG,
        "number": version or (1 if variant == "x" else 3),
        "group_id": world.groups[2 if variant == "g2" else 1].pk,
        "question_pk": world.questions[4].pk,
        "group_pk": world.groups[5].pk,
        "user_id": get_user_model().objects.get(username="radsmedlem").pk,
    }
    if row.name.startswith("workshops:"):
        values["number"] = 3  # the question with the planted answers
    params = re.findall(r"<(?:\w+:)?(\w+)>", PATTERNS[row.name])
    kwargs = {
        p: _pk(world, row.name, variant) if p == "pk" else values[p] for p in params
    }
    url = reverse(row.name, kwargs=kwargs)
    assert resolve(url).view_name == row.name
    if row.name == "strategy:diff":
        url += "?fra={}&til={}".format(*variant[1::2])
    return url


def post_data(world, row):
    """A minimal POST: often invalid, but it shows whether the view let us in."""
    if row.name == "workshops:join":
        return {"code": world.groups[1].code, "name": "Pia", "skjema": join_token()}
    if row.name in ("workshops:autosave", "workshops:heartbeat"):
        return "{}"
    if row.name == "strategy:comment-add":
        number = int(row.variant[1])
        return {"section": world.sections[number].pk, "text": "En kommentar."}
    return {}


def _adopt_version_2(world):
    adoption.version_adopt(
        version=Version.objects.get(pk=world.versions[2].pk),
        body="Representantskapet",
        meeting_date="2025-12-04",
        case_number="12/25",
        text="Strategien vedtas.",
        by=get_user_model().objects.get(username="sekretariat"),
    )


BEFORE = {
    "adopted": _adopt_version_2,
    "shared": lambda world: services.summary_share(process=world.mipr, shared=True),
}

LOGIN_PATHS = {"/logg-inn/", "/admin/login/"}


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        path = response["Location"].split("?")[0]
        return "L" if path in LOGIN_PATHS else "Y"
    if status in (403, 404):
        return "N"
    if status == 405:
        return "M"
    assert status in (200, 204, 304, 400, 409), f"unexpected status {status}"
    return "Y"


def request(world, row, column):
    if column.endswith("~"):
        Process.objects.filter(pk=world.mipr.pk).update(is_public=False)
    if row.variant in BEFORE:
        BEFORE[row.variant](world)
    client = client_for(world, column)
    url = url_of(world, row)
    if row.method == "GET":
        return url, client.get(url)
    data = post_data(world, row)
    if isinstance(data, str):
        return url, client.post(url, data, content_type="application/json")
    return url, client.post(url, data)


def _text_of(response) -> str:
    """What a person reads in the response: a page's text, or a PDF's."""
    kind = response.get("Content-Type", "")
    if kind == "application/pdf":
        data = b"".join(response.streaming_content)
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    if response.streaming or not response.content:
        return ""
    if not kind.startswith(("text/", "application/json", "image/svg")):
        return ""  # xlsx: binary, and staff-only in the table anyway
    return response.content.decode()


def leaked(world, url: str, response, column: str) -> list[str]:
    """The planted markers in the response that this column may not see."""
    # Every page echoes its own address in the language form: not a leak.
    body = _text_of(response).replace(f'value="{html.escape(url)}"', "")
    return [
        name
        for name, secret in world.secrets.items()
        if name not in SEES[column] and secret in body
    ]


@pytest.mark.parametrize(("row", "column"), CASES)
def test_permission(world, row, column):
    url, response = request(world, row, column)
    expected, got = row.cells[column], outcome(response)
    assert got == expected, (
        f"{row.method} {url} as {column}: expected {OUTCOMES[expected]}, "
        f"got {OUTCOMES[got]} ({response.status_code})"
    )
    assert not leaked(world, url, response, column), (
        f"{row.method} {url} as {column} shows what it may not see"
    )


# --- The checks above can fail ----------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "name", "variant", "secrets"),
    [
        ("anonymous", "timeline:index", "-", {"plan"}),
        ("anonymous", "strategy:index", "-", {"slug"}),
        ("anonymous", "strategy:version", "v1", {"v1"}),
        ("radsmedlem", "strategy:index", "-", {"v2-link"}),
        ("radsmedlem", "strategy:version", "v2", {"v2"}),
        ("arbeidsgruppe", "strategy:version", "v3", {"v3", "v3-link"}),
        ("participant1", "workshops:answer", "g1", {"g1"}),
        ("participant2", "workshops:answer", "g2", {"g2"}),
        ("sekretariat", "workshops:join-screen", "-", {"code1", "code2"}),
        ("sekretariat", "workshops:join-cards", "-", {"code1", "code2"}),
        ("sekretariat", "workshops:list", "-", {"workshop-link"}),
        ("arbeidsgruppe", "findings:sources", "-", {"source"}),
        ("radsmedlem", "strategy:version", "v1", {"comment"}),
        ("arbeidsgruppe", "strategy:pdf-download", "v1c", {"comment"}),
        (
            "sekretariat",
            "timeline:milestone",
            "-",
            {"v2-link", "v3-link", "workshop-link"},
        ),
    ],
)
def test_each_marker_shows_where_it_belongs(world, persona, name, variant, secrets):
    """Else the leak check in test_permission could never fail."""
    row = SimpleNamespace(name=name, variant=variant, method="GET")
    url, response = request(world, row, persona)
    assert response.status_code == 200
    assert set(leaked(world, url, response, "anonymous~")) >= secrets


def test_unpublished_process_leaves_the_index_pages_to_the_other(world):
    """/tidslinje/ and /strategi/ still answer the other secretariat, but with
    nothing of MIPR's once its process is unpublished."""
    Process.objects.filter(pk=world.mipr.pk).update(is_public=False)
    client = client_for(world, "other_secretariat")
    plan = client.get("/tidslinje/")
    assert plan.context["process"] == world.other
    index = client.get("/strategi/").content.decode()
    assert "Annen strategi" in index
    assert "Strategi for Mosseregionen" not in index


def test_a_superuser_gets_into_the_admin(world):
    """The admin row is all «log in»: this is the one who gets in."""
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200


# --- Ids of another process in the body of a POST --------------------------------
# The table covers ids in the address; these send another process's ids in the
# form, where the address is one the sender may use.


def test_an_answer_cannot_be_tagged_with_another_process_finding(world):
    answer = Answer.objects.filter(question__workshop=world.workshop).first()
    response = client_for(world, "sekretariat").post(
        reverse("findings:tag", args=[SLUG]),
        {"answer": answer.pk, "slot": 0, "findings": [world.other_finding.pk]},
    )
    assert response.status_code == 404
    assert not ItemTag.objects.filter(finding=world.other_finding).exists()


def test_another_process_secretariat_cannot_tag_mipr_answers(world):
    answer = Answer.objects.filter(question__workshop=world.workshop).first()
    tags = list(ItemTag.objects.filter(answer=answer).values_list("pk", flat=True))
    response = client_for(world, "other_secretariat").post(
        reverse("findings:tag", args=[OTHER_SLUG]),
        {"answer": answer.pk, "slot": 0, "findings": [world.other_finding.pk]},
    )
    assert response.status_code == 404
    assert (
        list(ItemTag.objects.filter(answer=answer).values_list("pk", flat=True)) == tags
    )


def test_a_section_cannot_cite_another_process_finding(world):
    section = world.sections[3]
    response = client_for(world, "sekretariat").post(
        reverse("strategy:section-edit", args=[SLUG, 3, section.pk]),
        {
            "heading": section.heading,
            "body": "Ny tekst.",
            "revision": section.revision,
            "findings": [world.other_finding.pk],
        },
    )
    assert response.status_code == 400
    section.refresh_from_db()
    assert section.body != "Ny tekst."
    assert world.other_finding not in section.findings.all()


def test_findings_of_another_process_cannot_be_merged_away(world):
    response = client_for(world, "other_secretariat").post(
        reverse("findings:finding-merge", args=[OTHER_SLUG]),
        {"into": world.other_finding.pk, "others": [world.finding.pk]},
    )
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors
    assert Finding.objects.filter(pk=world.finding.pk).exists()


def test_a_comment_cannot_land_on_another_process_section(world):
    comments = Comment.objects.count()
    response = client_for(world, "other_secretariat").post(
        reverse("strategy:comment-add", args=[OTHER_SLUG, 1]),
        {"section": world.sections[2].pk, "text": "Fra en annen region."},
    )
    assert response.status_code == 404
    assert Comment.objects.count() == comments


def test_a_workshop_cannot_be_created_in_another_process(world):
    workshops = Workshop.objects.filter(process=world.mipr).count()
    response = client_for(world, "other_secretariat").post(
        reverse("workshops:create"),
        {"process": world.mipr.pk, "title": "Innsmuglet", "date": "2025-06-02"},
    )
    assert response.status_code == 200
    assert "process" in response.context["form"].errors
    assert Workshop.objects.filter(process=world.mipr).count() == workshops


# --- Last in the file, so that it runs after the table ---------------------------


def test_the_cases_left_the_demo_as_it_was(world):
    """Every case above was rolled back: deleting, publishing, new codes, logging
    out and joining again changed nothing that a later case could meet."""
    mipr = Process.objects.get(pk=world.mipr.pk)
    assert mipr.is_public
    assert list(
        Version.objects.filter(strategy__process=mipr)
        .order_by("number")
        .values_list("status", flat=True)
    ) == [VersionStatus.REVIEW, VersionStatus.REVIEW, VersionStatus.DRAFT]
    assert Milestone.objects.filter(pk=world.milestone.pk).exists()
    assert mipr.findings.count() == 4
    assert Comment.objects.filter(section__version__strategy__process=mipr).count() == 3
    assert not Review.objects.exists()
    assert {g.number: g.code for g in world.workshop.groups.all()} == {
        number: group.code for number, group in world.groups.items()
    }
    for persona, group in (("participant1", 1), ("participant2", 2)):
        page = reverse("workshops:group", args=[world.groups[group].pk])
        assert client_for(world, persona).get(page).status_code == 200
    assert client_for(world, "sekretariat").get("/passord/").status_code == 200
