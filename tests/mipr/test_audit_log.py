"""The audit log: who changed what and when, read by the secretariat."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

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
