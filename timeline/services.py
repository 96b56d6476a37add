import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import icalendar
from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mipr import audit
from mipr.isoweeks import Week
from mipr.models import Process

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


class StaleMilestone(Exception):
    """Someone saved the milestone after this form was loaded."""

    def __init__(self, current: Milestone):
        super().__init__(f"milestone {current.pk} is at version {current.version}")
        self.current = current


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
    """Save the form's values unless someone saved in between (then raise)."""
    changes = {field: data[field] for field in EDITABLE_FIELDS if field in data}
    before = audit.snapshot(milestone)
    updated = Milestone.objects.filter(
        pk=milestone.pk, version=expected_version
    ).update(**changes, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise StaleMilestone(Milestone.objects.get(pk=milestone.pk))
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
def milestone_move(*, milestone: Milestone, up: bool) -> None:
    """Swap places with the neighbour above or below in the plan."""
    siblings = list(
        Milestone.objects.select_for_update()
        .filter(process_id=milestone.process_id)
        .order_by("order", "start_year", "start_week", "pk")
    )
    index = next(i for i, m in enumerate(siblings) if m.pk == milestone.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Renumber all, so that equal or missing orders cannot make the swap a no-op.
    before = audit.snapshot(milestone)
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            # updated_at too: the cached plan (plan_stamp) must see the move.
            Milestone.objects.filter(pk=sibling.pk).update(
                order=position, updated_at=timezone.now()
            )
            if sibling.pk == milestone.pk:
                milestone.order = position
    audit.record_update(milestone, before)


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
        _("Who"),
        _("What"),
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


def plan_calendar(process: Process, milestones: Iterable[Milestone]) -> bytes:
    """One all-day event per milestone; DTEND is exclusive (RFC 5545)."""
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
        event.add("description", _event_description(milestone))
        event.add("transp", "TRANSPARENT")
        if milestone.status == Status.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def _event_description(milestone: Milestone) -> str:
    lines = [
        _("Who: %(who)s") % {"who": milestone.who},
        _("Responsible: %(responsible)s")
        % {"responsible": milestone.responsible or "–"},
        _("Status: %(status)s") % {"status": milestone.get_status_display()},
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
    for milestone in Milestone.objects.filter(process__in=list(processes)).overlapping(
        this_week, this_week + 1
    ):
        found.setdefault(milestone.process_id, []).append(milestone)
    return found
