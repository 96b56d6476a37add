"""The week grid of /tidslinje/: weeks as columns, milestones as bars.

Each row is a few cells with colspans rather than one cell per week, so that
rendering stays cheap with hundreds of milestones; the cells are cut where the
bar starts and ends and around today's week, so today's column can be marked.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.utils.dates import MONTHS

from mipr.isoweeks import Week, weeks_in_year

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
    span: int


@dataclass
class Grid:
    year: int
    weeks: list[Week]
    months: list[MonthHeader]
    today_week: Week | None
    groups: list[GridGroup]


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


def _column_range(milestone: Milestone, year: int, count: int) -> tuple[int, int]:
    """The bar's first and last column within the year, or (1, 0) if outside."""
    start, end = milestone.start, milestone.end
    if end.year < year or start.year > year:
        return 1, 0
    first = start.number if start.year == year else 1
    last = end.number if end.year == year else count
    return first, last


def build_grid(milestones: list[Milestone], *, year: int, today: datetime.date) -> Grid:
    count = weeks_in_year(year)
    weeks = [Week(year, n) for n in range(1, count + 1)]
    this_week = Week.of(today)
    today_column = this_week.number if this_week.year == year else None

    months = [
        MonthHeader(name=str(MONTHS[month]), span=len(list(group)))
        for month, group in groupby(weeks, key=lambda w: w.thursday.month)
    ]

    groups: dict[str, GridGroup] = {}
    for milestone in milestones:
        first, last = _column_range(milestone, year, count)
        groups.setdefault(milestone.who, GridGroup(who=milestone.who)).rows.append(
            GridRow(
                milestone=milestone,
                status=milestone.shown_status(today),
                status_label=milestone.shown_status_label(today),
                is_now=milestone.is_now(today),
                segments=_segments(first, last, count, today_column),
            )
        )
    return Grid(
        year=year,
        weeks=weeks,
        months=months,
        today_week=this_week if today_column else None,
        groups=list(groups.values()),
    )
