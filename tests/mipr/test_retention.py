"""Personal data is kept no longer than the privacy statement says: the daily
task thins log-in records, the audit log's names, sessions and participants'
first names, and leaves everything newer as it was."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from mipr import retention
from mipr.models import AuditEntry
from mipr.tasks import retention as retention_task
from tests.helpers import join
from workshops import services
from workshops.models import Answer

pytestmark = pytest.mark.django_db


def _aged(model, days, **fields):
    row = model.objects.create(**fields)
    model.objects.filter(pk=row.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=days)
    )
    return row


def test_log_in_records_older_than_their_period_are_deleted(settings):
    settings.LOGIN_RECORD_DAYS = 90
    common = {"ip_address": "192.0.2.1", "username": "kari", "user_agent": "x"}
    old = [
        _aged(AccessAttempt, 91, failures_since_start=1, **common),
        _aged(AccessFailureLog, 100, **common),
        _aged(AccessLog, 365, **common),
    ]
    new = [
        _aged(AccessFailureLog, 89, **common),
        _aged(AccessLog, 1, **common),
    ]
    assert retention.run()["log-in records"] == len(old)
    for row in old:
        assert not type(row).objects.filter(pk=row.pk).exists()
    for row in new:
        assert type(row).objects.filter(pk=row.pk).exists()


def test_the_audit_log_forgets_who_after_its_period_but_keeps_what(settings):
    settings.AUDIT_NAME_DAYS = 365
    now = timezone.now()

    def entry(days):
        return AuditEntry.objects.create(
            actor="sekretariat",
            action="changed",
            model="timeline.milestone",
            object_id="1",
            object_repr="Workshop",
            changes={"status": ["planned", "done"]},
            at=now - datetime.timedelta(days=days),
        )

    old, new = entry(400), entry(30)
    assert retention.run()["audit log names"] == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.actor, old.user_id) == (retention.FORMER, None)
    assert old.changes == {"status": ["planned", "done"]}  # what stays
    assert new.actor == "sekretariat"
    assert retention.run()["audit log names"] == 0  # once


def test_expired_sessions_are_deleted_and_live_ones_kept():
    live, expired = SessionStore(), SessionStore()
    live["x"], expired["x"] = 1, 1
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert retention.run()["sessions"] == 1
    assert Session.objects.filter(session_key=live.session_key).exists()


def test_participants_names_become_deltaker_after_the_workshop_closed(
    settings, client, workshop, groups
):
    settings.PARTICIPANT_NAME_DAYS = 90
    join(client, groups[1], "Simen")
    question = workshop.questions.get(number=2)
    client.post(
        f"/delta/gruppe/{groups[1].pk}/2/autolagring/",
        {"version": 0, "content": [{"text": "Felles næringsforum", "why": ""}]},
        content_type="application/json",
    )
    answer = Answer.objects.get(group=groups[1], question=question)
    assert answer.edited_by == "Simen"
    entry = AuditEntry.objects.filter(
        model="workshops.answer", object_id=str(answer.pk)
    ).first()
    assert entry.actor.startswith("Simen (")

    services.workshop_set_status(workshop=workshop, status="closed")
    assert retention.run()["participant names"] == 0  # closed just now
    workshop.refresh_from_db()
    workshop.closed_at = timezone.now() - datetime.timedelta(days=91)
    workshop.save(update_fields=["closed_at"])
    assert retention.run()["participant names"] >= 2

    answer.refresh_from_db()
    entry.refresh_from_db()
    assert answer.edited_by == "Deltaker"
    assert answer.content[0]["text"] == "Felles næringsforum"  # the answer stays
    assert entry.actor == f"Deltaker ({groups[1].name})"
    assert "Simen" not in str(entry.changes)
    assert retention.run()["participant names"] == 0


def test_reopening_a_workshop_forgets_when_it_was_closed(workshop):
    services.workshop_set_status(workshop=workshop, status="closed")
    assert workshop.closed_at is not None
    services.workshop_set_status(workshop=workshop, status="open")
    workshop.refresh_from_db()
    assert workshop.closed_at is None


def test_the_daily_task_runs_the_thinning():
    assert set(retention_task.delay().get(timeout=10)) >= {
        "log-in records",
        "audit log names",
        "sessions",
        "participant names",
    }


@pytest.fixture
def workshop(demo_process):
    from demo import plan
    from demo import workshop as demo_workshop

    plan.load(demo_process)
    return demo_workshop.load(demo_process)


@pytest.fixture
def groups(workshop):
    return {group.number: group for group in workshop.groups.all()}
