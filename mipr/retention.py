"""Personal data is kept no longer than needed: the daily thinning.

The periods are settings (README, «Configuration»), and /personvern/ states
them. `run()` is the daily task (mipr.retention, in the beat schedule); each
app registers what it thins with `thinned` (its extensions.py). Each function
gets `now` and returns {what: how many}.

Here, the core's part:
- log-in records (django-axes: failures, lockouts, successful log-ins) older
  than LOGIN_RECORD_DAYS are deleted;
- the audit log keeps what was changed, but forgets who changed it after
  AUDIT_NAME_DAYS;
- expired sessions are deleted.
"""

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from .hooks import Hook
from .models import AuditEntry

thinned = Hook("retention")

FORMER = "–"  # the audit log's actor once the name is gone


def days_ago(now, days: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def run(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    done: dict[str, int] = {}
    for result in thinned.results(now=now):
        for what, count in result.items():
            done[what] = done.get(what, 0) + count
    return done


@thinned.register
def login_records(*, now) -> dict[str, int]:
    before = days_ago(now, settings.LOGIN_RECORD_DAYS)
    return {
        "log-in records": sum(
            model.objects.filter(attempt_time__lt=before).delete()[0]
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        )
    }


@thinned.register
def audit_names(*, now) -> dict[str, int]:
    before = days_ago(now, settings.AUDIT_NAME_DAYS)
    old = AuditEntry.objects.filter(at__lt=before).exclude(actor=FORMER, user=None)
    return {"audit log names": old.update(actor=FORMER, user=None)}


@thinned.register
def expired_sessions(*, now) -> dict[str, int]:
    return {"sessions": Session.objects.filter(expire_date__lt=now).delete()[0]}
