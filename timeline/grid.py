"""The week grid of /tidslinje/: weeks as columns, milestones as bars.

The columns run from the plan's first week to its last (across a new year if
the plan does), not over a calendar year. Each row is a few cells with
colspans rather than one cell per week, so that rendering stays cheap with
hundreds of milestones; the cells are cut where the bar starts and ends and
around today's week, so today's column can be marked.

The grid opens at its focus week: today's, or else the next milestone's start,
or else (the plan is over) its last week. The page links to it, and
static/js/timeline.js scrolls the grid there when the page opens.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import gettext as _

from mipr.isoweeks import Week, span_label

from .models import Milestone


@dataclass(frozen=True)
class Segment:
    span: int
    is_bar: bool
    is_today: bool


@dataclass
class GridRow:
    milestone: Milestone
    status: str
    status_label: str
    is_now: bool
    segments: list[Segment]


@dataclass
class GridGroup:
    who: str
    rows: list[GridRow] = field(default_factory=list)


@dataclass(frozen=True)
class MonthHeader:
    name: str
    short_name: str
    span: int

    @property
    def is_narrow(self) -> bool:
        """Too few weeks for the whole name: the grid shows «feb»."""
        return self.span < 3


class Focus:
    """Why the grid opens at its focus week."""

    TODAY = "today"
    NEXT = "next"
    END = "end"


@dataclass
class Grid:
    weeks: list[Week]
    months: list[MonthHeader]
    today_week: Week | None
    focus_week: Week | None
    focus: str
    groups: list[GridGroup]

    @property
    def years(self) -> str:
        """«2025», or «2025–2026» for a plan across a new year."""
        if not self.weeks:
            return ""
        first, last = self.weeks[0].year, self.weeks[-1].year
        return str(first) if first == last else f"{first}–{last}"

    @property
    def focus_link(self) -> str:
        return {
            Focus.TODAY: _("Show this week in the grid"),
            Focus.NEXT: _("Show the next milestone in the grid"),
            Focus.END: _("Show the end of the plan in the grid"),
        }[self.focus]

    @property
    def weeks_label(self) -> str:
        return span_label(self.weeks[0], self.weeks[-1]) if self.weeks else ""


def _segments(first: int, last: int, count: int, today: int | None) -> list[Segment]:
    """Cells for columns 1..count with a bar over first..last (may be empty)."""
    cuts = {1, count + 1}
    if first <= last:
        cuts |= {first, last + 1}
    if today:
        cuts |= {today, today + 1}
    points = sorted(c for c in cuts if 1 <= c <= count + 1)
    return [
        Segment(
            span=end - start,
            is_bar=first <= start and end - 1 <= last,
            is_today=today == start and end == start + 1,
        )
        for start, end in zip(points, points[1:], strict=False)
    ]


def _weeks(first: Week, last: Week) -> list[Week]:
    weeks = [first]
    while weeks[-1] < last:
        weeks.append(weeks[-1] + 1)
    return weeks


def _focus(milestones: list[Milestone], weeks: list[Week], this_week: Week):
    if weeks[0] <= this_week <= weeks[-1]:
        return this_week, Focus.TODAY
    coming = [m.start for m in milestones if m.start > this_week]
    if coming:
        return min(coming), Focus.NEXT
    return weeks[-1], Focus.END


def build_grid(milestones: list[Milestone], *, today: datetime.date) -> Grid:
    this_week = Week.of(today)
    if not milestones:
        return Grid([], [], None, None, Focus.TODAY, [])
    weeks = _weeks(min(m.start for m in milestones), max(m.end for m in milestones))
    column = {week: number for number, week in enumerate(weeks, start=1)}
    today_column = column.get(this_week)
    focus_week, focus = _focus(milestones, weeks, this_week)

    months = []
    for (_year, month), group in groupby(
        weeks, key=lambda w: (w.thursday.year, w.thursday.month)
    ):
        months.append(
            MonthHeader(
                name=str(MONTHS[month]),
                short_name=str(MONTHS_3[month]),
                span=len(list(group)),
            )
        )

    groups: dict[str, GridGroup] = {}
    for milestone in milestones:
        groups.setdefault(milestone.who, GridGroup(who=milestone.who)).rows.append(
            GridRow(
                milestone=milestone,
                status=milestone.shown_status(today),
                status_label=milestone.shown_status_label(today),
                is_now=milestone.is_now(today),
                segments=_segments(
                    column[milestone.start],
                    column[milestone.end],
                    len(weeks),
                    today_column,
                ),
            )
        )
    return Grid(
        weeks=weeks,
        months=months,
        today_week=this_week if today_column else None,
        focus_week=focus_week,
        focus=focus,
        groups=list(groups.values()),
    )
