"""Property-based fuzzing of every form and JSON endpoint.

Each example posts one generated request to one endpoint as one persona: a
participant who joined with a group code, a council member (radsmedlem), the
working group (arbeidsgruppe), the secretariat (sekretariat), or an anonymous
visitor. Bodies carry bad input (see tests/fuzz_strategies.py), mixed with
plausible values so that many requests get past the forms into the services.

The properties:

- no response is a server error (an exception becomes a 500 and fails the
  example, with its traceback);
- a rejected request (4xx, a redirect to the login page or with an error
  message, or a form shown again instead of a redirect) leaves the database
  exactly as it was; only an accepted one (a redirect or a JSON success) may
  change data, and for a persona that may not write there, nothing changes;
- after an accepted change, the page it leads to still shows (no stored text
  that breaks a page later).

The answer page and the autosave are the one documented exception: a slot
that is refused (too long ...) is reported while the group's other slots are
saved. There only that group's answer to that question may change, and the
refused or conflicting slots must keep the text that was stored.

The demo is built once for the module; every example runs in a transaction
that is rolled back, so examples never see each other's data. The number of
examples per endpoint comes from the Hypothesis profile (tests/conftest.py):
`ci` by default, `fuzz` for `make fuzz`.
"""

import copy
import json
import math
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from demo import document as document_demo
from demo import evidence as evidence_demo
from demo import plan as plan_demo
from demo import workshop as workshop_demo
from demo.process import load_process
from findings.models import SourceKind, SourceStatus
from mipr.models import Process
from strategy import review, writing
from strategy.models import Comment, Strategy, Version
from tests.helpers import join_form
from timeline.models import Deliverable, Status
from workshops.access import join_token
from workshops.models import Answer, WorkshopStatus

from .fuzz_strategies import (
    STATS,
    answer_payload,
    field,
    form_body,
    json_body,
    json_value,
    query_string,
)

SLUG = "mipr-2026-2029"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"
MISSING = 999_999  # an id that exists nowhere

PARTICIPANT = "participant"
ANONYMOUS = "anonymous"
COUNCIL = "radsmedlem"
WORKING_GROUP = "arbeidsgruppe"
SECRETARIAT = "sekretariat"
PERSONAS = [ANONYMOUS, PARTICIPANT, COUNCIL, WORKING_GROUP, SECRETARIAT]
MEMBERS = {COUNCIL, WORKING_GROUP, SECRETARIAT}
STAFF = {WORKING_GROUP, SECRETARIAT}
SEC = {SECRETARIAT}

# Examples in total, spread evenly over the endpoints. Another profile
# (a developer's own) runs its max_examples per endpoint.
TOTAL_EXAMPLES = {"ci": 430, "fuzz": 12_000}


# --- The demo, once per module --------------------------------------------------


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """MIPR's demo with the strategy: version 1 public, 2 for review, 3 a draft.

    Built once in an open transaction that is rolled back after the module;
    each test runs in a savepoint inside it, each example in another.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=[MD5]):
            process = load_process()
            plan_demo.load(process)
            workshop_demo.load(process)
            evidence_demo.load(process)
        v1, v2 = document_demo.load_strategy(process).versions.order_by("number")
        review.version_set_public(version=v1, public=True)
        sara = get_user_model().objects.get(username=SECRETARIAT)
        writing.version_new(previous=v2, by=sara)
        # A thread on version 2, so that replies and resolving have a target.
        review.comment_add(
            section=v2.sections.order_by("order").first(),
            author=get_user_model().objects.get(username=COUNCIL),
            text="Godt utgangspunkt.",
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _local_cache(settings):
    """The join limits count in the cache: a local one, emptied per example.

    With REDIS_URL set (CI), clearing the real cache would also clear others'.
    """
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fuzz",
        }
    }


class World(SimpleNamespace):
    """The demo's objects that requests aim at, read once per test: process,
    users, workshop, group (the participant's), other_group, questions, answers,
    own_answers, milestones, findings, sources, versions, sections, comments."""

    def __repr__(self):  # keeps Hypothesis' report of a failing example short
        return "World(the demo)"


@pytest.fixture
def world(_demo, db) -> World:
    process = Process.objects.get(slug=SLUG)
    workshop = process.workshops.get()
    groups = list(workshop.groups.order_by("number"))
    versions = {v.number: v for v in Version.objects.filter(strategy__process=process)}
    group = groups[0]
    return World(
        process=process,
        users={
            name: get_user_model().objects.get(username=name)
            for name in (COUNCIL, WORKING_GROUP, SECRETARIAT)
        },
        workshop=workshop,
        group=group,
        other_group=groups[1],
        questions=list(workshop.questions.order_by("number")),
        answers=list(Answer.objects.filter(question__workshop=workshop)),
        milestones=list(process.milestones.all()),
        findings=list(process.findings.all()),
        sources=list(process.sources.all()),
        versions=versions,
        sections={n: list(v.sections.order_by("order")) for n, v in versions.items()},
        comments=list(
            Comment.objects.filter(section__version__strategy__process=process)
        ),
        own_answers={a.question_id: a for a in group.answers.all()},
    )


def _client() -> Client:
    return Client(raise_request_exception=False)


class Clients(dict):
    def __repr__(self):
        return f"Clients({', '.join(self)})"


@pytest.fixture
def clients(world) -> Clients:
    """One client per persona; the participant joins group 1 through /delta/."""
    result = Clients({ANONYMOUS: _client(), PARTICIPANT: _client()})
    participant = result[PARTICIPANT]
    joined = participant.post("/delta/", join_form(participant, world.group.code))
    assert joined.status_code == 302, joined.content[:500]
    for name, user in world.users.items():
        result[name] = _client()
        result[name].force_login(user)
    return result


# --- What a request may change ---------------------------------------------------


def _models():
    found = [get_user_model()]
    for label in ("mipr", "timeline", "workshops", "findings", "strategy"):
        found += apps.get_app_config(label).get_models(include_auto_created=True)
    return found


ANSWERS = "workshops.Answer"
AUDIT = "mipr.AuditEntry"


def fingerprint() -> dict:
    """Every row of our apps' tables and of the users (sessions excluded)."""
    rows = {}
    for model in _models():
        manager = model._default_manager
        label = model._meta.label
        if label == ANSWERS:
            rows[label] = {
                (a["group_id"], a["question_id"]): a for a in manager.values()
            }
        elif label == AUDIT:
            rows[label] = list(manager.order_by("pk").values())
        else:
            rows[label] = list(manager.order_by("pk").values_list())
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


@dataclass(frozen=True)
class Request:
    url: str
    content_type: str
    body: bytes
    # For the answer endpoints: (group id, question id) of the answer aimed at.
    answer_key: tuple | None = None
    method: str = "POST"

    def __repr__(self):  # a 1 MB body would drown the report of a failure
        body = self.body if len(self.body) <= 500 else self.body[:500] + b"..."
        return (
            f"Request({self.method} {self.url}, {self.content_type}, "
            f"{len(self.body)} bytes: {body!r})"
        )


@dataclass(frozen=True)
class Endpoint:
    name: str
    # Personas that may reach the endpoint (and change data through it).
    roles: frozenset
    request: Callable[[World], st.SearchStrategy]
    writes: bool = True
    # Data the endpoint needs before the request (inside the example).
    prepare: Callable[[World], None] | None = None
    # The answer endpoints may save some slots and refuse others.
    partial: bool = False


def pks(objects) -> tuple:
    return tuple(o.pk for o in objects)


def form(urls: Callable[[World], list[str]], fields: Callable[[World], dict]):
    """A form endpoint: one of its addresses, and a body for its fields."""

    def request(w: World):
        return st.builds(
            lambda url, body: Request(url, *body),
            st.sampled_from(urls(w)),
            form_body(fields(w)),
        )

    return request


def _no_fields(w: World) -> dict:
    return {}


def _confirmed(fields=_no_fields):
    """The fields of an action that asks first (mipr.confirm): unconfirmed (the
    question), confirmed, or confirmed from a page that showed another state."""

    def with_confirmation(w: World) -> dict:
        return {
            **fields(w),
            "confirmed": field("1", None, odd=("0", "ja")),
            "confirmed_state": field(None, odd=("", "review:2", "x" * 300)),
        }

    return with_confirmation


def endpoint(name, roles, urls, fields=_no_fields, **kwargs) -> Endpoint:
    return Endpoint(name, frozenset(roles), form(urls, fields), **kwargs)


def page(name, roles, urls, fields) -> Endpoint:
    """A page read with GET and generated query parameters: it may change
    nothing, whoever asks."""

    def request(w: World):
        return st.builds(
            lambda url, query: Request(
                f"{url}?{query}" if query else url, "", b"", method="GET"
            ),
            st.sampled_from(urls(w)),
            query_string(fields(w)),
        )

    return Endpoint(name, frozenset(roles), request, writes=False)


# --- The participant's pages -------------------------------------------------------


def _answer_targets(w: World):
    """(group, question): mostly the participant's own group, once another."""
    return [(w.group, q) for q in w.questions] + [(w.other_group, w.questions[0])]


def _answer_state(w, group, question):
    answer = w.own_answers.get(question.pk) if group == w.group else None
    version = answer.version if answer else 0
    content = question.fit_content(answer.content if answer else [])
    return version, content


def answer_page_request(w: World):
    @st.composite
    def build(draw):
        group, question = draw(st.sampled_from(_answer_targets(w)))
        version, content = _answer_state(w, group, question)
        fields = {
            "action": field("save", "submit", "withdraw", None, odd=("delete",)),
            # The confirmed «Lagre og lever» (its state: version, submitted,
            # workshop status).
            "confirmed": field(None, "1"),
            "confirmed_state": field(
                None, f"{version}-open-open", odd=(f"{version}-submitted-open",)
            ),
            "version": field(version, odd=(0, version + 1, -1)),
            "base": field(json.dumps(content), odd=("null", "[]", "{}")),
        }
        for index, slot in enumerate(content):
            for key in ("text", "why"):
                fields[f"slot-{index}-{key}"] = field(
                    "Flere boliger for unge", "", slot[key]
                )
        # A slot the question does not have.
        fields[f"slot-{len(content)}-text"] = field(None, odd=("Et punkt til",))
        content_type, body = draw(form_body(fields))
        url = f"/delta/gruppe/{group.pk}/{question.number}/"
        return Request(url, content_type, body, (group.pk, question.pk))

    return build()


def autosave_request(w: World):
    @st.composite
    def build(draw):
        group, question = draw(st.sampled_from(_answer_targets(w)))
        version, content = _answer_state(w, group, question)
        versions = st.sampled_from([version, 0, version + 1, -1])
        payload = st.one_of(
            st.just({"content": content, "version": version, "base": content}),
            answer_payload(versions=versions, slot_count=len(question.slots)),
        )
        content_type, body = draw(json_body(payload))
        url = f"/delta/gruppe/{group.pk}/{question.number}/autolagring/"
        return Request(url, content_type, body, (group.pk, question.pk))

    return build()


def heartbeat_request(w: World):
    @st.composite
    def build(draw):
        group, question = draw(st.sampled_from(_answer_targets(w)))
        version, _content = _answer_state(w, group, question)
        payload = st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "version": st.one_of(
                        st.sampled_from([version, 0, version + 1, -1]), json_value
                    ),
                    "slot": st.one_of(st.integers(-2, 12), json_value),
                },
            ),
            json_value,
        )
        content_type, body = draw(json_body(payload))
        url = f"/delta/gruppe/{group.pk}/{question.number}/puls/"
        return Request(url, content_type, body, (group.pk, question.pk))

    return build()


# --- Addresses and fields ------------------------------------------------------


def _workshop(w, tail=""):
    return [f"/workshop/{w.workshop.pk}/{tail}"] * 3 + [f"/workshop/{MISSING}/{tail}"]


def _each(objects, template):
    return [template.format(pk=o.pk) for o in objects] + [template.format(pk=MISSING)]


def _version_url(number: int) -> str:
    return f"/strategi/{SLUG}/versjon/{number}/"


def _version(w, tail):
    # Mostly the newest version, the only one that can change.
    return [f"{_version_url(n)}{tail}" for n in (3, 3, 2, 1, 99)]


def _milestone_fields(w):
    users = pks(w.users.values())
    return {
        "who": field("Arbeidsgruppen", "Regionrådet"),
        "what": field("Ny milepæl"),
        "start_week": field(10, 1, odd=(0, 54)),
        "start_year": field(2025, odd=(1999, 2101)),
        "end_week": field(12, 52, odd=(9,)),
        "end_year": field(2025, 2026),
        "responsible": field("leder", ""),
        "responsible_users": field(None, *users, users[:2], odd=(MISSING,)),
        "status": field(*Status.values, odd=("late",)),
        "deliverable": field(*Deliverable.values, odd=("pdf",)),
        "notes": field("Et notat", ""),
        "version": field(*{m.version for m in w.milestones}, odd=(0, 99)),
    }


def _question_fields(w):
    return {
        "number": field(5, odd=(1, 0, 32768)),
        "title": field("Nytt spørsmål"),
        "prompt": field("Hva mener du?", ""),
        "kind": field("items", "parts", odd=("other",)),
        "item_count": field(3, 1, 10, odd=(0, 11)),
        "parts": field("A: Første\nB: Andre", odd=("A: x\nA: y", ":", "")),
        "ask_why": field("on", None),
    }


def _group_fields(w):
    return {
        "number": field(6, odd=(1, 0)),
        "name": field("Gruppe 6"),
        "members": field("Ada og Bo", ""),
    }


def _workshop_fields(w):
    return {
        "process": field(w.process.pk, odd=(MISSING,)),
        "title": field("Workshop høst"),
        "date": field("2025-10-01", odd=("2025-13-01",)),
        "place": field("Moss", ""),
        "milestone": field(*pks(w.milestones[:3]), "", odd=(MISSING,)),
    }


def _finding_fields(w):
    return {
        "title": field("Nytt funn"),
        "description": field("Beskrivelse", ""),
        "sources": field(None, *pks(w.sources), pks(w.sources), odd=(MISSING,)),
        "version": field(*{f.version for f in w.findings}, odd=(0, 99)),
    }


def _source_fields(w):
    staff = [w.users[WORKING_GROUP].pk, w.users[SECRETARIAT].pk]
    return {
        "kind": field(*SourceKind.values, odd=("book",)),
        "title": field("Rapport"),
        "url": field("https://mipr.no/rapport", "", odd=("javascript:alert(1)",)),
        "date": field("2025-05-01", "", odd=("2025-02-30",)),
        "assigned_to": field(*staff, "", odd=(w.users[COUNCIL].pk, MISSING)),
        "status": field(*SourceStatus.values, odd=("lost",)),
        "notes": field("Notat", ""),
        "says": field("Den sier noe", ""),
        "version": field(*{s.version for s in w.sources}, odd=(0, 99)),
    }


def section_edit_request(w: World):
    """A section, and its form: mostly one of the newest version's."""

    @st.composite
    def build(draw):
        number = draw(st.sampled_from([3, 3, 2, 1]))
        section = draw(st.sampled_from(w.sections[number][:3]))
        pk = draw(st.sampled_from([section.pk] * 5 + [MISSING]))
        fields = {
            "heading": field(section.heading, "Ny overskrift", odd=("",)),
            "body": field("## Tittel\n\nMed **fet** og [lenke](https://mipr.no).", ""),
            "revision": field(section.revision, odd=(0, section.revision + 1)),
            "findings": field(None, *pks(w.findings), odd=(MISSING,)),
            "sources": field(None, *pks(w.sources), odd=(MISSING,)),
            "preview": field(None, None, "1"),
        }
        content_type, body = draw(form_body(fields))
        url = f"/strategi/{SLUG}/versjon/{number}/seksjon/{pk}/"
        return Request(url, content_type, body)

    return build()


def comment_add_request(w: World):
    """A comment on a section of the version, or a reply to one of its threads."""

    @st.composite
    def build(draw):
        number = draw(st.sampled_from([3, 2, 2, 1]))
        section = draw(st.sampled_from(w.sections[number][:4]))
        threads = [c.pk for c in w.comments if c.section_id == section.pk]
        others = [c.pk for c in w.comments if c.section_id != section.pk]
        fields = {
            "section": field(section.pk, odd=(MISSING, w.sections[1][0].pk)),
            "parent": field(None, *threads, odd=(MISSING, *others)),
            "text": field("Godt skrevet.", odd=("", "  ")),
        }
        content_type, body = draw(form_body(fields))
        return Request(
            f"/strategi/{SLUG}/versjon/{number}/kommentar/", content_type, body
        )

    return build()


LOGOS = [
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"><rect/></svg>',
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x04\x00\x00\x00\x02",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
    b'<!DOCTYPE svg [<!ENTITY a "a">]><svg xmlns="http://www.w3.org/2000/svg"/>',
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 30,
    b"GIF89a",
    b"",
    b"<svg" * 200_000,
]


def cover_logo_request(w: World):
    """The cover's logo as the browser sends it: a multipart body with the
    file (a good one, a dangerous or broken one, random bytes, none) and the
    «remove» box."""

    def build(data, name, remove):
        boundary = "fuzz-boundary"
        parts = []
        if data is not None:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="logo"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream'
                "\r\n\r\n".encode()
                + data
                + b"\r\n"
            )
        if remove is not None:
            parts.append(
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="remove"\r\n\r\n{remove}\r\n'.encode()
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return Request(
            f"/strategi/{SLUG}/forside/",
            f"multipart/form-data; boundary={boundary}",
            body,
        )

    return st.builds(
        build,
        st.one_of(st.none(), st.sampled_from(LOGOS), st.binary(max_size=300)),
        st.sampled_from(["logo.png", "logo.svg", "../../x.png", "æøå"]),
        st.sampled_from([None, "on", "", "x" * 300]),
    )


def _drop_strategy(w: World) -> None:
    Strategy.objects.filter(process=w.process).delete()


ENDPOINTS = [
    # mipr
    endpoint(
        "login",
        PERSONAS,
        lambda w: ["/logg-inn/", "/logg-inn/?next=/strategi/"],
        lambda w: {
            "username": field(SECRETARIAT, COUNCIL, odd=("Sekretariat", "ukjent")),
            "password": field("mipr-demo", odd=("feil",)),
            "next": field(None, "/", "/strategi/", odd=("//evil.example/",)),
        },
    ),
    endpoint(
        "password change",
        MEMBERS,
        lambda w: ["/passord/"],
        lambda w: {
            "old_password": field("mipr-demo", odd=("feil",)),
            "new_password1": field("Et-langt-nytt-passord-2025", odd=("kort",)),
            "new_password2": field("Et-langt-nytt-passord-2025", odd=("et annet",)),
        },
    ),
    endpoint(
        "log out",
        PERSONAS,
        lambda w: ["/logg-ut/"],
        lambda w: {"next": field(None, "/", odd=("//evil.example/", "javascript:x"))},
        writes=False,
    ),
    endpoint(
        "admin log-in",
        PERSONAS,
        lambda w: ["/admin/login/", "/admin/login/?next=/admin/"],
        lambda w: {
            "username": field(SECRETARIAT, odd=("admin", "")),
            "password": field("mipr-demo", odd=("feil",)),
            "next": field(None, "/admin/", odd=("https://evil.example/",)),
        },
        writes=False,
    ),
    endpoint(
        "language switch",
        PERSONAS,
        lambda w: ["/i18n/setlang/"],
        lambda w: {
            "language": field("nb", "en", odd=("de", "")),
            "next": field(None, "/", "/tidslinje/", odd=("https://evil.example/",)),
        },
        writes=False,
    ),
    # workshops: participants
    endpoint(
        "join",
        PERSONAS,
        lambda w: ["/delta/"],
        lambda w: {
            "code": field(
                w.group.code,
                w.group.code.lower(),
                " - ".join(w.group.code),
                w.other_group.code,
                odd=("ABCDEFG", w.group.code[:-1]),
            ),
            "name": field("Simen", "Ada", odd=("", "   ")),
            "skjema": field(join_token(), odd=("", "forfalsket", "x" * 300)),
        },
        writes=False,
    ),
    Endpoint(
        "answer page",
        frozenset({PARTICIPANT}),
        answer_page_request,
        partial=True,
    ),
    Endpoint(
        "autosave (JSON)",
        frozenset({PARTICIPANT}),
        autosave_request,
        partial=True,
    ),
    # Presence is kept in the cache: a heartbeat changes no table.
    Endpoint(
        "heartbeat (JSON)",
        frozenset({PARTICIPANT}),
        heartbeat_request,
        writes=False,
    ),
    # workshops: the secretariat
    endpoint("workshop create", SEC, lambda w: ["/workshop/ny/"], _workshop_fields),
    endpoint("workshop edit", SEC, lambda w: _workshop(w, "endre/"), _workshop_fields),
    endpoint(
        "workshop status",
        SEC,
        lambda w: _workshop(w, "status/"),
        _confirmed(
            lambda w: {"status": field(*WorkshopStatus.values, odd=("archived",))}
        ),
    ),
    endpoint(
        "question create",
        SEC,
        lambda w: _workshop(w, "sporsmal/ny/"),
        _question_fields,
    ),
    endpoint(
        "question edit",
        SEC,
        lambda w: _each(w.questions, f"/workshop/{w.workshop.pk}/sporsmal/{{pk}}/"),
        _question_fields,
    ),
    endpoint(
        "question delete",
        SEC,
        lambda w: _each(
            w.questions, f"/workshop/{w.workshop.pk}/sporsmal/{{pk}}/slett/"
        ),
        _confirmed(),
    ),
    endpoint("group create", SEC, lambda w: _workshop(w, "gruppe/ny/"), _group_fields),
    endpoint(
        "group edit",
        SEC,
        lambda w: _each(
            [w.group, w.other_group], f"/workshop/{w.workshop.pk}/gruppe/{{pk}}/"
        ),
        _group_fields,
    ),
    endpoint(
        "group delete",
        SEC,
        lambda w: _each(
            list(w.workshop.groups.all()),
            f"/workshop/{w.workshop.pk}/gruppe/{{pk}}/slett/",
        ),
        _confirmed(),
    ),
    endpoint(
        "group new code",
        SEC,
        lambda w: _each([w.group], f"/workshop/{w.workshop.pk}/gruppe/{{pk}}/ny-kode/"),
        _confirmed(),
    ),
    # timeline
    endpoint(
        "milestone create",
        SEC,
        lambda w: (
            [f"/tidslinje/{SLUG}/milepel/ny/"] * 3 + ["/tidslinje/ukjent/milepel/ny/"]
        ),
        _milestone_fields,
    ),
    endpoint(
        "milestone edit",
        SEC,
        lambda w: _each(w.milestones[:3], f"/tidslinje/{SLUG}/milepel/{{pk}}/endre/"),
        _milestone_fields,
    ),
    endpoint(
        "milestone status",
        SEC,
        lambda w: _each(w.milestones[:3], f"/tidslinje/{SLUG}/milepel/{{pk}}/status/"),
        lambda w: {
            key: spec
            for key, spec in _milestone_fields(w).items()
            if key in ("status", "version")
        },
    ),
    endpoint(
        "milestone move",
        SEC,
        lambda w: _each(
            [w.milestones[0], w.milestones[-1]],
            f"/tidslinje/{SLUG}/milepel/{{pk}}/flytt/",
        ),
        lambda w: {"direction": field("up", "down", odd=("sideways",))},
    ),
    endpoint(
        "milestone delete",
        SEC,
        lambda w: _each(w.milestones[:2], f"/tidslinje/{SLUG}/milepel/{{pk}}/slett/"),
    ),
    # strategy: findings and sources
    endpoint(
        "tag item",
        STAFF,
        lambda w: [f"/strategi/{SLUG}/funn/merk/"],
        lambda w: {
            "answer": field(*pks(w.answers), odd=(MISSING,)),
            "slot": field(0, 1, 2, odd=(3, -1)),
            "findings": field(
                None, *pks(w.findings), pks(w.findings)[:2], odd=(MISSING,)
            ),
            "back": field("sporsmal=1&gruppe=2", "", odd=("x=%ZZ&&==",)),
        },
    ),
    endpoint(
        "finding create",
        STAFF,
        lambda w: [f"/strategi/{SLUG}/funn/ny/"],
        _finding_fields,
    ),
    endpoint(
        "finding edit",
        STAFF,
        lambda w: _each(w.findings[:2], f"/strategi/{SLUG}/funn/{{pk}}/"),
        _finding_fields,
    ),
    endpoint(
        "finding delete",
        STAFF,
        lambda w: _each(w.findings[:2], f"/strategi/{SLUG}/funn/{{pk}}/slett/"),
    ),
    endpoint(
        "finding move",
        STAFF,
        lambda w: _each(w.findings[:2], f"/strategi/{SLUG}/funn/{{pk}}/flytt/"),
        lambda w: {"direction": field("up", "down", odd=("sideways",))},
    ),
    endpoint(
        "finding merge",
        STAFF,
        lambda w: [f"/strategi/{SLUG}/funn/slaa-sammen/"],
        lambda w: {
            "into": field(w.findings[0].pk, odd=(MISSING,)),
            "others": field(*pks(w.findings[1:]), pks(w.findings[1:3]), odd=(MISSING,)),
        },
    ),
    endpoint(
        "summary share",
        SEC,
        lambda w: [f"/strategi/{SLUG}/funn/oppsummering/del/"],
        lambda w: {"shared": field("1", "0", None)},
    ),
    endpoint(
        "source create",
        STAFF,
        lambda w: [f"/strategi/{SLUG}/kilder/ny/"],
        _source_fields,
    ),
    endpoint(
        "source edit",
        STAFF,
        lambda w: _each(w.sources[:2], f"/strategi/{SLUG}/kilder/{{pk}}/"),
        _source_fields,
    ),
    # strategy: the document
    endpoint(
        "strategy start",
        SEC,
        lambda w: [f"/strategi/{SLUG}/ny/"],
        lambda w: {
            "title": field("Strategi 2026–2029"),
            **{
                f"section_{i}": field(None, *pks(w.findings), odd=(MISSING,))
                for i in range(0, 9, 3)
            },
        },
        prepare=_drop_strategy,
    ),
    Endpoint("cover logo (multipart)", frozenset(SEC), cover_logo_request),
    Endpoint("section edit", frozenset(STAFF), section_edit_request),
    endpoint(
        "section add",
        STAFF,
        lambda w: _version(w, "seksjon/ny/"),
        lambda w: {"heading": field("Kultur", odd=("", "   "))},
    ),
    endpoint(
        "section move",
        STAFF,
        lambda w: [
            f"/strategi/{SLUG}/versjon/{n}/seksjon/{s.pk}/flytt/"
            for n in (3, 2)
            for s in w.sections[n][:2]
        ],
        lambda w: {"direction": field("up", "down", odd=("sideways",))},
    ),
    endpoint(
        "version new",
        SEC,
        lambda w: _version(w, "ny-versjon/"),
        lambda w: {"note": field("Innspill fra rådet", "", None)},
    ),
    endpoint(
        "version publish",
        SEC,
        lambda w: _version(w, "publiser/"),
        _confirmed(lambda w: {"notify": field("1", "0", None)}),
    ),
    endpoint("version presented", SEC, lambda w: _version(w, "presentert/")),
    endpoint(
        "version adopt",
        SEC,
        lambda w: _version(w, "vedta/"),
        _confirmed(
            lambda w: {
                "body": field("Representantskapet"),
                "meeting_date": field("2025-12-10", odd=("2025-02-30",)),
                "case_number": field("25/123"),
                "text": field("Strategien vedtas."),
            }
        ),
    ),
    endpoint(
        "version public",
        SEC,
        lambda w: _version(w, "offentlig/"),
        _confirmed(lambda w: {"public": field("1", "0", None)}),
    ),
    endpoint(
        "version comments public",
        SEC,
        lambda w: _version(w, "kommentarer-offentlige/"),
        _confirmed(lambda w: {"public": field("1", "0", None)}),
    ),
    Endpoint("comment add", frozenset(MEMBERS), comment_add_request),
    endpoint(
        "profile",
        MEMBERS,
        lambda w: ["/profil/"],
        lambda w: {
            "first_name": field("Rita", "", odd=("x" * 200, "<b>")),
            "last_name": field("Rådsmedlem", ""),
            "email": field(
                "rita@example.no", "", odd=("ikke-epost", "a@", "x" * 300 + "@e.no")
            ),
        },
    ),
    endpoint(
        "comment resolve",
        SEC,
        lambda w: (
            [
                f"{_version_url(c.section.version.number)}kommentar/{c.pk}/lost/"
                for c in w.comments
            ]
            + [f"{_version_url(2)}kommentar/{MISSING}/lost/"]
        ),
        lambda w: {"resolved": field("1", "0", None)},
    ),
    endpoint("review finish", {COUNCIL}, lambda w: _version(w, "lest/")),
    endpoint(
        "PDF request",
        PERSONAS,  # anyone may ask for the PDF of a public version
        lambda w: _version(w, "pdf/"),
        lambda w: {"comments": field("1", "0", None)},
    ),
    # Pages read with query parameters (GET): filters, choices, paging.
    page(
        "GET answers side by side",
        STAFF,
        lambda w: [f"/strategi/{SLUG}/funn/svar/"],
        lambda w: {
            "sporsmal": field(*pks(w.questions), odd=(MISSING, "x", -1)),
            "gruppe": field(1, 2, odd=(0, "x", 2**70)),
            "funn": field(*pks(w.findings), "ingen", odd=(MISSING, "x")),
        },
    ),
    page(
        "GET version diff",
        PERSONAS,
        lambda w: [f"/strategi/{SLUG}/endringer/"],
        lambda w: {
            "fra": field(1, 2, odd=(0, 99, "x", -1)),
            "til": field(2, 3, odd=(0, 99, "x", 2**70)),
        },
    ),
    page(
        "GET projector wall",
        STAFF,
        lambda w: _workshop(w, "vegg/") + _workshop(w, "vegg/svar/"),
        lambda w: {
            "sporsmal": field(1, 2, 4, odd=(0, 99, "x")),
            "navn": field("skjul", "vis", odd=("", "x")),
        },
    ),
    page(
        "GET join with a code",
        PERSONAS,
        lambda w: ["/delta/"],
        lambda w: {"kode": field(w.group.code, odd=("", "x" * 100, "<b>"))},
    ),
    page(
        "GET sources and audit log",
        STAFF,
        lambda w: [f"/strategi/{SLUG}/kilder/", f"/endringslogg/{SLUG}/"],
        lambda w: {
            "mine": field("1", "0", odd=("x",)),
            "type": field("strategy.comment", odd=("", "x.y", "<b>")),
            "side": field(1, 2, odd=(0, -1, "x", 2**70, "last")),
        },
    ),
    page(
        "GET plan and strategy",
        PERSONAS,
        lambda w: ["/tidslinje/", f"/tidslinje/{SLUG}/", "/strategi/", "/"],
        lambda w: {"q": field("x", odd=("\x00",))},
    ),
]


# --- The property -------------------------------------------------------------------


def _profile_examples() -> int:
    total = TOTAL_EXAMPLES.get(settings.get_current_profile_name())
    if total is None:
        return settings.default.max_examples
    return math.ceil(total / len(ENDPOINTS))


def _error_messages(response) -> list[str]:
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(m) for m in queued if m.level >= messages.ERROR]


def _verdict(response) -> str:
    """Whether the request was accepted (a redirect or a JSON success)."""
    status = response.status_code
    if 300 <= status < 400:
        if response["Location"].startswith("/logg-inn/"):
            return "rejected"
        return "rejected" if _error_messages(response) else "accepted"
    if status >= 400:
        return "rejected"
    if response.get("Content-Type", "").startswith("application/json"):
        return "accepted"
    return "rejected"  # the form again, with its errors


def _server_error(response) -> str:
    if response.exc_info:
        return "".join(traceback.format_exception(*response.exc_info))
    return response.content.decode(errors="replace")[:2000]


def _local(location: str) -> str | None:
    path = location.split("#", 1)[0]
    return path if path.startswith("/") and not path.startswith("//") else None


def _check_answer_slots(request: Request, response, before: dict, after: dict):
    """The autosave's report matches what is stored, and refused slots kept theirs."""
    old = before[ANSWERS].get(request.answer_key)
    new = after[ANSWERS].get(request.answer_key)
    if response.status_code != 200 or new is None:
        return
    reply = json.loads(response.content)
    assert reply["version"] == new["version"]
    question = Answer.objects.get(pk=new["id"]).question
    stored = question.fit_content(new["content"])
    assert reply["content"] == stored, "the reply is not what is stored"
    previous = question.fit_content(old["content"] if old else [])
    kept = [int(i) for i in reply["errors"]] + [c["index"] for c in reply["conflicts"]]
    for index in kept:
        assert stored[index] == previous[index], f"slot {index} lost its text"


def _only_the_answer_changed(request: Request, before: dict, after: dict):
    """Only the group's answer to the question changed, and its audit entries."""
    tables = [t for t in changed_tables(before, after) if t not in (ANSWERS, AUDIT)]
    assert not tables, f"an answer save changed {tables}"
    others_before = dict(before[ANSWERS])
    others_after = dict(after[ANSWERS])
    old = others_before.pop(request.answer_key, None)
    new = others_after.pop(request.answer_key, None)
    assert others_before == others_after, "another group's answer changed"
    if AUDIT in before:
        answer_ids = {str(a["id"]) for a in (old, new) if a}

        def about_others(entries):
            return [
                e
                for e in entries
                if e["model"] != "workshops.answer" or e["object_id"] not in answer_ids
            ]

        assert about_others(before[AUDIT]) == about_others(after[AUDIT]), (
            "an answer save logged a change of something else"
        )
        if old == new:
            assert before[AUDIT] == after[AUDIT], "a change was logged, none made"


@pytest.mark.parametrize("target", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
@settings(max_examples=_profile_examples())
@given(data=st.data())
def test_bad_input_gets_no_server_error_and_changes_nothing_when_refused(
    target: Endpoint, world: World, clients: dict, data
):
    may_write = data.draw(
        st.sampled_from([True, True, True, False]), label="persona may reach it"
    )
    persona = data.draw(
        st.sampled_from(sorted(target.roles) if may_write else PERSONAS),
        label="persona",
    )
    request = data.draw(target.request(world), label="request")
    STATS["examples"] += 1
    STATS[f"endpoint {target.name}"] += 1
    client = clients[persona]
    cookies = copy.deepcopy(client.cookies)
    cache.clear()
    try:
        with transaction.atomic():
            if target.prepare:
                target.prepare(world)
            before = fingerprint()
            response = client.generic(
                request.method,
                request.url,
                request.body,
                content_type=request.content_type,
            )
            STATS[f"HTTP {response.status_code}"] += 1
            assert response.status_code < 500, _server_error(response)
            verdict = _verdict(response)
            STATS[verdict] += 1
            STATS[f"{verdict} {target.name}"] += 1
            after = fingerprint()
            changed = changed_tables(before, after)
            # 302/409: see below; a confirmation page: «Lagre og lever» saves
            # the text, then asks before submitting.
            partly_saved = response.status_code in (302, 409) or (
                response.status_code == 200 and b'id="confirmation"' in response.content
            )
            if not target.writes or persona not in target.roles:
                assert not changed, f"{persona} changed {changed} ({verdict})"
            elif verdict == "rejected" and target.partial and partly_saved:
                # 409: some slots refused or in conflict; a redirect with an
                # error: saved, but not submitted.
                _only_the_answer_changed(request, before, after)
            elif verdict == "rejected":
                assert not changed, (
                    f"a refused request (HTTP {response.status_code}, "
                    f"{_error_messages(response)}) changed {changed}"
                )
            elif target.partial:
                _only_the_answer_changed(request, before, after)
                _check_answer_slots(request, response, before, after)
            # What an accepted request leads to must still show.
            if changed:
                shown = (
                    _local(response["Location"])
                    if response.status_code in (301, 302, 303)
                    else request.url.replace("autolagring/", "")
                )
                if shown:
                    page = client.get(shown)
                    assert page.status_code < 500, _server_error(page)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies


# --- Forms posted without the CSRF token they need -----------------------------

POSTED = [e for e in ENDPOINTS if e.writes and e.name != "autosave (JSON)"]


@settings(max_examples=max(10, _profile_examples() * 2))
@given(data=st.data())
def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(
    world: World, clients: dict, data
):
    """Any persona, any form: a missing, empty, made-up or another reader's
    token gets the 403 page in the page's language, and nothing changes."""
    target = data.draw(st.sampled_from(POSTED), label="endpoint")
    persona = data.draw(st.sampled_from(sorted(target.roles)), label="persona")
    request = data.draw(target.request(world), label="request")
    token = data.draw(
        st.sampled_from(["missing", "empty", "made up", "another reader's"]),
        label="token",
    )
    STATS["examples"] += 1
    STATS["endpoint CSRF refused"] += 1
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies = copy.deepcopy(clients[persona].cookies)
    if token != "missing":
        client.cookies["csrftoken"] = "" if token == "empty" else "x" * 32
    headers = {}
    if token == "another reader's":
        other = Client()
        other.get("/delta/")
        headers["HTTP_X_CSRFTOKEN"] = other.cookies["csrftoken"].value
    with transaction.atomic():
        before = fingerprint()
        response = client.generic(
            request.method,
            request.url,
            request.body,
            content_type=request.content_type,
            **headers,
        )
        STATS[f"HTTP {response.status_code}"] += 1
        assert response.status_code == 403, _server_error(response)
        assert "Skjemaet er utløpt" in response.content.decode()
        assert not changed_tables(before, fingerprint())
        transaction.set_rollback(True)
