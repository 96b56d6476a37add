import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import icalendar
from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mipr import audit
from mipr.conflicts import Stale
from mipr.isoweeks import Week
from mipr.models import Process
from mipr.ordering import move_in_order

from .models import Milestone, Status

# Fields a secretariat form may change; the rest are kept by the services.
EDITABLE_FIELDS = [
    "who",
    "what",
    "start_year",
    "start_week",
    "end_year",
    "end_week",
    "responsible",
    "status",
    "deliverable",
    "notes",
]


@transaction.atomic
def milestone_create(
    *, process: Process, data: dict, responsible_users=()
) -> Milestone:
    last = process.milestones.aggregate(last=Max("order"))["last"]
    milestone = Milestone(process=process, order=(last or 0) + 1)
    for field in EDITABLE_FIELDS:
        setattr(milestone, field, data[field])
    milestone.full_clean()
    milestone.save()
    milestone.responsible_users.set(responsible_users)
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, data: dict, expected_version: int, responsible_users=None
) -> Milestone:
    """Save the form's values unless someone saved in between (then Stale)."""
    changes = {field: data[field] for field in EDITABLE_FIELDS if field in data}
    before = audit.snapshot(milestone)
    updated = Milestone.objects.filter(
        pk=milestone.pk, version=expected_version
    ).update(**changes, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise Stale(Milestone.objects.get(pk=milestone.pk))
    if responsible_users is not None:
        milestone.responsible_users.set(responsible_users)
    milestone.refresh_from_db()
    audit.record_update(milestone, before)
    return milestone


def milestone_set_status(
    *, milestone: Milestone, status: Status, expected_version: int
):
    return milestone_update(
        milestone=milestone, data={"status": status}, expected_version=expected_version
    )


@transaction.atomic
def milestone_move(*, milestone: Milestone, direction: int) -> None:
    """Swap places with the neighbour above (-1) or below (+1) in the plan."""
    move_in_order(
        Milestone.objects.filter(process_id=milestone.process_id),
        pk=milestone.pk,
        direction=direction,
        ordering=Milestone._meta.ordering,
        # updated_at too: the cached plan (plan_stamp) must see the move.
        touch={"updated_at": timezone.now()},
    )


@transaction.atomic
def milestones_complete(*, process: Process, deliverable: str) -> list[Milestone]:
    """Mark the milestones that produce `deliverable` done (not cancelled ones).

    Through milestone_update, so that the audit log records each change.
    """
    done = []
    open_ones = (
        process.milestones.select_for_update()
        .filter(deliverable=deliverable)
        .exclude(status__in=[Status.DONE, Status.CANCELLED])
    )
    for milestone in open_ones:
        done.append(
            milestone_update(
                milestone=milestone,
                data={"status": Status.DONE},
                expected_version=milestone.version,
            )
        )
    return done


def milestone_delete(*, milestone: Milestone) -> None:
    milestone.delete()


def plan_stamp(process: Process) -> tuple:
    """What the plan's page shows changes only when this does: one query.

    Every change of a milestone moves updated_at (saves, services) or version
    (adoption's update); a deletion changes the count.
    """
    stamp = process.milestones.aggregate(
        count=Count("pk"), last=Max("updated_at"), versions=Sum("version")
    )
    return (process.pk, process.year, stamp["count"], stamp["last"], stamp["versions"])


# --- The plan as rows: one source for the page, CSV and the PDF appendix ----


@dataclass(frozen=True)
class PlanRow:
    milestone: Milestone
    who: str
    what: str
    weeks: str
    first_day: datetime.date
    last_day: datetime.date
    responsible: str
    status: str
    status_key: str
    is_now: bool


def plan_rows(
    milestones: Iterable[Milestone], *, today: datetime.date
) -> Iterator[PlanRow]:
    for milestone in milestones:
        yield PlanRow(
            milestone=milestone,
            who=milestone.who,
            what=milestone.what,
            weeks=milestone.weeks_label,
            first_day=milestone.first_day,
            last_day=milestone.last_day,
            responsible=milestone.responsible,
            status=milestone.shown_status_label(today),
            status_key=milestone.shown_status(today),
            is_now=milestone.is_now(today),
        )


def plan_csv_header() -> list[str]:
    return [
        _("Working form"),
        _("Content"),
        _("Weeks"),
        _("From"),
        _("To"),
        _("Responsible"),
        _("Status"),
    ]


def plan_csv_rows(rows: Iterable[PlanRow]) -> Iterator[list[str]]:
    for row in rows:
        yield [
            row.who,
            row.what,
            row.weeks,
            row.first_day.isoformat(),
            row.last_day.isoformat(),
            row.responsible,
            row.status,
        ]


# --- iCalendar ---------------------------------------------------------------


def plan_calendar(
    process: Process, milestones: Iterable[Milestone], *, today: datetime.date
) -> bytes:
    """One all-day event per milestone; DTEND is exclusive (RFC 5545).

    iCalendar's STATUS knows no «late», so the description says the status as
    the page does; STATUS is CANCELLED for a cancelled one, else CONFIRMED.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//MIPR strategiportal//tidslinje//NB")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Process plan: %(name)s") % {"name": process.name})
    calendar.add("x-wr-timezone", "Europe/Oslo")
    calendar.add("x-published-ttl", "PT1H")
    for milestone in milestones:
        event = icalendar.Event()
        event.add("uid", f"{milestone.uid}@mipr-strategiportal")
        event.add("dtstamp", milestone.updated_at)
        event.add("last-modified", milestone.updated_at)
        event.add("sequence", milestone.version)
        event.add("dtstart", milestone.first_day)
        event.add("dtend", milestone.last_day + datetime.timedelta(days=1))
        event.add("summary", milestone.what)
        event.add("description", _event_description(milestone, today=today))
        event.add("transp", "TRANSPARENT")
        if milestone.status == Status.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def _event_description(milestone: Milestone, *, today: datetime.date) -> str:
    lines = [
        _("Working form: %(who)s") % {"who": milestone.who},
        _("Responsible: %(responsible)s")
        % {"responsible": milestone.responsible or "–"},
        _("Status: %(status)s") % {"status": milestone.shown_status_label(today)},
        milestone.weeks_label,
    ]
    if milestone.notes:
        lines += ["", milestone.notes]
    return "\n".join(lines)


def this_and_next_week(
    processes: Iterable[Process], *, today: datetime.date
) -> dict[int, list[Milestone]]:
    """Per process id: the milestones that touch this week or the next."""
    this_week = Week.of(today)
    found: dict[int, list[Milestone]] = {}
    milestones = Milestone.objects.filter(process__in=list(processes))
    for milestone in milestones.select_related("process").overlapping(
        this_week, this_week + 1
    ):
        found.setdefault(milestone.process_id, []).append(milestone)
    return found
