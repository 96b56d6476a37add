"""The audit log: who changed what and when, read by the secretariat."""

import json
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from mipr.models import AuditEntry, Role
from tests.factories import MembershipFactory, ProcessFactory
from tests.helpers import join_form
from timeline.models import Milestone, Status
from workshops import services as workshop_services
from workshops.models import Answer, WorkshopStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(demo_process):
    from demo import plan as plan_demo
    from demo import workshop as demo

    plan_demo.load(demo_process)
    workshop = demo.load(demo_process)
    AuditEntry.objects.all().delete()  # what the demo loader did
    return workshop


@pytest.fixture
def secretariat(client, workshop):
    client.force_login(get_user_model().objects.get(username="sekretariat"))
    return client


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("at", "pk"))


def test_a_milestone_edit_records_who_and_the_old_and_new_values(
    secretariat, workshop, demo_process
):
    milestone = demo_process.milestones.get(what="Workshop")
    response = secretariat.post(
        f"/tidslinje/{demo_process.slug}/milepel/{milestone.pk}/status/",
        {"status": Status.DONE, "version": milestone.version},
    )
    assert response.status_code == 302
    [entry] = entries(model="timeline.milestone")
    assert entry.actor == "sekretariat"
    assert entry.user.username == "sekretariat"
    assert entry.process_id == demo_process.pk
    assert entry.action == "changed"
    assert entry.object_id == str(milestone.pk)
    assert entry.changes == {"status": [Status.PLANNED.value, Status.DONE.value]}


def test_a_participants_autosaves_are_one_entry_under_their_name(client, workshop):
    group = workshop.groups.get(number=2)
    client.post("/delta/", join_form(client, group.code))
    url = f"/delta/gruppe/{group.pk}/1/autolagring/"
    version = Answer.objects.filter(group=group, question__number=1).first()
    version = version.version if version else 0
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for text in ("Først", "Først og", "Først og fremst"):
            response = client.post(
                url,
                json.dumps(
                    {"version": version, "base": None, "content": [{"text": text}]}
                ),
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
            version = response.json()["version"]
            clock.shift(timedelta(minutes=2))
        [first] = entries(model="workshops.answer")
        assert first.actor == f"Simen ({group.name})"
        assert first.user is None
        assert "Først" in json.dumps(first.changes, ensure_ascii=False)

        clock.shift(timedelta(minutes=11))  # a pause: the next save is a new entry
        client.post(
            url,
            json.dumps(
                {"version": version, "base": None, "content": [{"text": "Nytt"}]}
            ),
            content_type="application/json",
        )
    later = entries(model="workshops.answer")
    assert len(later) == 2
    old, new = later[1].changes["content"]
    assert "Først og fremst" in old and "Nytt" in new


def test_deletions_and_queryset_updates_are_logged_too(workshop):
    workshop_services.workshop_set_status(
        workshop=workshop, status=WorkshopStatus.CLOSED
    )
    [status] = entries(model="workshops.workshop")
    assert status.action == "changed"
    assert status.actor == ""  # no request: the system
    # The status, and when it was closed (which retention counts from).
    assert list(status.changes) == ["status", "closed_at"]

    question = workshop.questions.create(number=9, title="Slettes")
    workshop_services.question_delete(question=question)
    actions = [e.action for e in entries(model="workshops.question")]
    assert actions == ["created", "deleted"]


def test_moving_a_milestone_is_logged_once_for_the_one_moved(
    secretariat, workshop, demo_process
):
    milestone = demo_process.milestones.order_by("order")[1]
    secretariat.post(
        f"/tidslinje/{demo_process.slug}/milepel/{milestone.pk}/flytt/",
        {"direction": "up"},
    )
    logged = entries(model="timeline.milestone")
    assert [e.object_id for e in logged] == [str(milestone.pk)]
    assert logged[0].changes["order"][1] == "1"


def test_long_values_are_shortened_in_the_log(workshop, demo_process):
    milestone = demo_process.milestones.first()
    milestone.notes = "x" * 10_000
    milestone.save()
    [entry] = entries(model="timeline.milestone")
    assert len(entry.changes["notes"][1]) <= 300


# --- The page ----------------------------------------------------------------


def test_the_secretariat_reads_the_log_with_names_and_values(
    secretariat, workshop, demo_process
):
    milestone = demo_process.milestones.get(what="Workshop")
    secretariat.post(
        f"/tidslinje/{demo_process.slug}/milepel/{milestone.pk}/status/",
        {"status": Status.DONE, "version": milestone.version},
    )
    response = secretariat.get(f"/endringslogg/{demo_process.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Endringslogg" in html
    assert "sekretariat" in html
    assert "Workshop" in html
    assert "<del>planlagt</del>" in html and "<ins>ferdig</ins>" in html


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", 302),
        ("radsmedlem", 404),
        ("arbeidsgruppe", 404),
        ("other_secretariat", 404),
    ],
)
def test_only_the_processes_secretariat_reads_the_log(
    workshop, demo_process, persona, status
):
    client = Client()
    if persona == "other_secretariat":
        other = MembershipFactory(process=ProcessFactory(), role=Role.SECRETARIAT)
        client.force_login(other.user)
    elif persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    response = client.get(f"/endringslogg/{demo_process.slug}/")
    assert response.status_code == status


@pytest.mark.parametrize(
    "query",
    [
        "?type=../../etc",
        "?type=workshops.answer",
        "?side=abc",
        "?side=-1",
        "?side=99999",
        "?type=" + "x" * 5000,
        "?type=%00",
    ],
    ids=["path", "real", "text", "negative", "far", "huge", "nul"],
)
def test_odd_filters_give_a_page_not_an_error(
    secretariat, workshop, demo_process, query
):
    response = secretariat.get(f"/endringslogg/{demo_process.slug}/{query}")
    assert response.status_code == 200


def test_the_filter_shows_one_kind(secretariat, workshop, demo_process):
    demo_process.milestones.first().save()  # no change: no entry
    milestone = demo_process.milestones.first()
    milestone.what = "Endret"
    milestone.save()
    workshop_services.workshop_set_status(
        workshop=workshop, status=WorkshopStatus.CLOSED
    )
    html = secretariat.get(
        f"/endringslogg/{demo_process.slug}/?type=timeline.milestone"
    ).content.decode()
    assert "Endret" in html
    assert "1 endring" in html


def test_the_page_costs_the_same_queries_for_10_and_500_entries(
    secretariat, workshop, demo_process, django_assert_max_num_queries
):
    milestone = demo_process.milestones.first()

    def fill(count):
        AuditEntry.objects.bulk_create(
            AuditEntry(
                process=demo_process,
                actor="sekretariat",
                action="changed",
                model="timeline.milestone",
                object_id=str(milestone.pk),
                object_repr=str(milestone),
                changes={"what": [f"a{n}", f"b{n}"]},
                at=timezone.now(),
            )
            for n in range(count)
        )

    fill(10)
    url = f"/endringslogg/{demo_process.slug}/"
    with django_assert_max_num_queries(8) as small:
        secretariat.get(url)
    fill(490)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = secretariat.get(url + "?side=3")
    assert response.status_code == 200
    assert Milestone.objects.count() >= 1


# --- Read as people read it (issue 21) -----------------------------------------


def _entry(process, model, changes, *, actor="sekretariat", at=None, object_id="1"):
    return AuditEntry.objects.create(
        process=process,
        actor=actor,
        action="changed",
        model=model,
        object_id=object_id,
        object_repr="Noe",
        changes=changes,
        at=at or timezone.now(),
    )


def _rows(html: str) -> list[str]:
    """The change column's lines, tags and spaces taken out."""
    cells = re.findall(r"<li><strong>(.*?)</li>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_the_log_names_people_and_objects_instead_of_ids(
    secretariat, workshop, demo_process
):
    from findings.models import Source, SourceKind

    member = get_user_model().objects.get(username="radsmedlem")
    member.first_name, member.last_name = "Rita", "Rådsmedlem"
    member.save()
    source = Source.objects.create(
        process=demo_process, kind=SourceKind.REPORT, title="Rapport"
    )
    AuditEntry.objects.all().delete()
    source.assigned_to = member
    source.save()
    group = workshop.groups.get(number=1)
    _entry(demo_process, "workshops.answer", {"group": ["", str(group.pk)]})
    _entry(demo_process, "findings.source", {"assigned_to": [str(member.pk), "999999"]})
    rows = _rows(
        secretariat.get(f"/endringslogg/{demo_process.slug}/").content.decode()
    )
    assert "Fordelt til: Rita Rådsmedlem" in rows
    assert f"Gruppe: {group.name} ({workshop.title})" in rows
    # An object deleted since is named by its id, and said to be gone.
    assert "Fordelt til: Rita Rådsmedlem → 999999 (slettet)" in rows
    assert not any(f": {member.pk}" in row for row in rows)


def test_the_log_says_yes_and_no_and_times_to_the_minute(
    secretariat, workshop, demo_process
):
    with time_machine.travel("2026-04-11 08:30:45.123456+00:00", tick=False):
        workshop_services.workshop_set_status(
            workshop=workshop, status=WorkshopStatus.CLOSED
        )
    demo_process.is_public = not demo_process.is_public
    demo_process.save()
    html = secretariat.get(f"/endringslogg/{demo_process.slug}/").content.decode()
    rows = _rows(html)
    was = "nei" if demo_process.is_public else "ja"
    now = "ja" if demo_process.is_public else "nei"
    assert f"Offentlig: {was} → {now}" in rows
    # Oslo is UTC+2 in April; no seconds, no microseconds.
    assert "Lukket: 11.04.2026 10:30" in rows
    assert "True" not in html and "False" not in html
    # Every field name is in bokmål: no English name from a model left.
    assert not re.search(r"<strong>(Started|Finished|Attempts|Recorded)", html)
    # <time datetime> to the second at most, with its offset: valid HTML.
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d{4}", s) for s in stamps)


def test_pdf_export_fields_have_bokmal_names():
    from strategy.models import Decision, PdfExport

    with translation.override("nb"):
        names = {
            f.name: str(f.verbose_name)
            for model in (PdfExport, Decision)
            for f in model._meta.concrete_fields
        }
    assert names["started_at"] == "startet"
    assert names["attempts"] == "forsøk"
    assert names["recorded_by"] == "registrert av"
    assert names["requested_by"] == "bestilt av"


def test_the_log_filters_by_person_kind_and_dates_and_pages_keep_them(
    secretariat, workshop, demo_process
):
    AuditEntry.objects.all().delete()
    day = timezone.make_aware(datetime(2026, 4, 11, 12, 0))
    for n in range(60):
        _entry(
            demo_process,
            "timeline.milestone",
            {"what": [f"a{n}", f"b{n}"]},
            actor="Inger (Gruppe 1)",
            at=day + timedelta(minutes=n),
        )
    _entry(
        demo_process,
        "timeline.milestone",
        {"what": ["x", "annen dag"]},
        at=day - timedelta(days=3),
    )
    _entry(demo_process, "workshops.workshop", {"title": ["x", "systemet"]}, actor="")
    url = f"/endringslogg/{demo_process.slug}/"

    html = secretariat.get(url, {"person": "Inger (Gruppe 1)"}).content.decode()
    assert "60 endringer" in html
    # The link to the next page keeps the filter.
    assert "?person=Inger+%28Gruppe+1%29&amp;side=2" in html
    assert "50 endringer" not in html
    html = secretariat.get(
        url, {"person": "Inger (Gruppe 1)", "side": 2}
    ).content.decode()
    assert "b0" in html and "b59" not in html

    html = secretariat.get(url, {"person": "-"}).content.decode()
    assert "1 endring" in html and "systemet" in html

    html = secretariat.get(
        url, {"fra": "2026-04-08", "til": "2026-04-08"}
    ).content.decode()
    assert "1 endring" in html and "annen dag" in html
    html = secretariat.get(
        url, {"type": "workshops.workshop", "fra": "2026-04-11", "til": "2026-04-11"}
    ).content.decode()
    assert "Ingen endringer passer med disse filtrene." in html
    assert 'href="/endringslogg/' in html  # «Vis alt»


@pytest.mark.parametrize(
    "query, field",
    [
        ({"fra": "11.04.2026x"}, "fra"),
        ({"til": "2026-13-40"}, "til"),
        ({"fra": "2026-04-12", "til": "2026-04-11"}, "til"),
        ({"person": "Ingen slik"}, "person"),
        ({"fra": "9" * 5000}, "fra"),
    ],
    ids=["text", "impossible", "reversed", "unknown-person", "huge"],
)
def test_a_filter_that_cannot_be_read_is_said_and_left_out(
    secretariat, workshop, demo_process, query, field, request
):
    _entry(demo_process, "timeline.milestone", {"what": ["a", "b"]})
    response = secretariat.get(f"/endringslogg/{demo_process.slug}/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Et filter kunne ikke leses og er utelatt" in html
    assert f'id="id_{field}-error"' in html
    assert 'aria-invalid="true"' in html
    # The rest of the log is still shown.
    assert "1 endring" in html
    if request.node.callspec.id in ("text", "impossible", "huge"):
        # An unreadable date is named in the message, the input left empty
        # (a date input may only hold a date).
        assert "er ikke en dato" in html
        assert f'name="{field}" value="" ' in html


def test_the_table_region_is_reachable_by_keyboard(secretariat, workshop, demo_process):
    _entry(demo_process, "timeline.milestone", {"what": ["a", "b"]})
    html = secretariat.get(f"/endringslogg/{demo_process.slug}/").content.decode()
    assert re.search(
        r'<div class="table-responsive" tabindex="0" role="region" '
        r'aria-labelledby="audit-caption">',
        html,
    )
    assert '<caption id="audit-caption">' in html


def test_names_for_many_objects_cost_one_query_per_kind(
    secretariat, workshop, demo_process, django_assert_max_num_queries
):
    from findings.models import Source, SourceKind

    AuditEntry.objects.all().delete()
    users = [
        get_user_model().objects.create(username=f"person{n}", first_name=f"P{n}")
        for n in range(20)
    ]
    source = Source.objects.create(
        process=demo_process, kind=SourceKind.REPORT, title="Rapport"
    )
    groups = list(workshop.groups.all())
    url = f"/endringslogg/{demo_process.slug}/"

    def fill(count):
        for n in range(count):
            _entry(
                demo_process,
                "findings.source",
                {"assigned_to": [str(users[n % 20].pk), str(users[(n + 1) % 20].pk)]},
                object_id=str(source.pk),
            )
            _entry(
                demo_process,
                "workshops.answer",
                {"group": ["", str(groups[n % len(groups)].pk)]},
            )

    fill(2)
    with django_assert_max_num_queries(12) as few:
        secretariat.get(url)
    fill(23)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = secretariat.get(url).content.decode()
    assert "Fordelt til: P1 → P2" in _rows(html)
