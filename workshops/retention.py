"""The workshops' part of the daily thinning (mipr.retention): participants'
first names are replaced by «Deltaker» PARTICIPANT_NAME_DAYS after their
workshop closed, on the answers and in the audit log."""

from django.conf import settings
from django.db.models import Q

from mipr.models import AuditEntry
from mipr.retention import days_ago, thinned

from .models import Answer, Workshop, WorkshopStatus

PARTICIPANT = "Deltaker"


@thinned.register
def participant_names(*, now) -> dict[str, int]:
    before = days_ago(now, settings.PARTICIPANT_NAME_DAYS)
    workshops = Workshop.objects.filter(
        status=WorkshopStatus.CLOSED, closed_at__lt=before
    )
    answers = Answer.objects.filter(question__workshop__in=workshops)
    named = answers.exclude(edited_by__in=["", PARTICIPANT]) | answers.exclude(
        submitted_by__in=["", PARTICIPANT]
    )
    count = 0
    for answer in named.distinct():
        if answer.edited_by:
            answer.edited_by = PARTICIPANT
        if answer.submitted_by:
            answer.submitted_by = PARTICIPANT
        Answer.objects.filter(pk=answer.pk).update(
            edited_by=answer.edited_by, submitted_by=answer.submitted_by
        )
        count += 1
    # The audit log names them too: «Simen (Gruppe 1)» and the values.
    entries = AuditEntry.objects.filter(
        model="workshops.answer",
        object_id__in=[str(pk) for pk in answers.values_list("pk", flat=True)],
    ).exclude(Q(actor="") | Q(actor__startswith=f"{PARTICIPANT} ("))
    for entry in entries:
        group = entry.actor[entry.actor.find(" (") :] if " (" in entry.actor else ""
        entry.actor = f"{PARTICIPANT}{group}"
        for name in ("edited_by", "submitted_by"):
            if name in entry.changes:
                entry.changes[name] = [
                    PARTICIPANT if value else value for value in entry.changes[name]
                ]
        AuditEntry.objects.filter(pk=entry.pk).update(
            actor=entry.actor, changes=entry.changes
        )
        count += 1
    return {"participant names": count}
