"""ISO 8601 weeks, as Norwegians count them ("uke 15").

Week 1 is the week with the year's first Thursday, so week 1 of 2026 starts on
Monday 29 December 2025, and some years (2020, 2026) have a week 53.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _


def weeks_in_year(year: int) -> int:
    # 28 December is always in the year's last ISO week.
    return datetime.date(year, 12, 28).isocalendar().week


class InvalidWeek(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    def __post_init__(self):
        if not 1 <= self.year <= 9998:
            raise InvalidWeek(
                _("The year %(year)s is out of range.") % {"year": self.year}
            )
        last = weeks_in_year(self.year)
        if not 1 <= self.number <= last:
            raise InvalidWeek(
                _(
                    "Week %(week)s does not exist in %(year)s: "
                    "weeks run from 1 to %(last)s."
                )
                % {"week": self.number, "year": self.year, "last": last}
            )

    @classmethod
    def of(cls, day: datetime.date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 7)

    @property
    def thursday(self) -> datetime.date:
        """The day that decides which month and year a week belongs to."""
        return datetime.date.fromisocalendar(self.year, self.number, 4)

    def __add__(self, weeks: int) -> Week:
        return Week.of(self.monday + datetime.timedelta(weeks=weeks))

    def __sub__(self, weeks: int) -> Week:
        return self + (-weeks)

    def __str__(self) -> str:
        return _("week %(number)s") % {"number": self.number}

    @property
    def label(self) -> str:
        """«uke 15 (7.–13. april 2025)»"""
        return f"{self} ({date_range_label(self.monday, self.sunday)})"


def _day_month(day: datetime.date) -> str:
    return _("%(day)s. %(month)s") % {"day": day.day, "month": MONTHS[day.month]}


def date_range_label(first: datetime.date, last: datetime.date) -> str:
    """«7.–13. april 2025», «28. april–4. mai 2025», across a new year in full."""
    if first.year != last.year:
        return f"{_day_month(first)} {first.year}–{_day_month(last)} {last.year}"
    if first.month != last.month:
        return f"{_day_month(first)}–{_day_month(last)} {last.year}"
    return _("%(first)s.–%(last)s. %(month)s %(year)s") % {
        "first": first.day,
        "last": last.day,
        "month": MONTHS[last.month],
        "year": last.year,
    }


def span_label(start: Week, end: Week) -> str:
    """«uke 15», «uke 9–19», or with years when the span crosses a new year."""
    if start == end:
        return str(start)
    if start.year == end.year:
        return _("weeks %(start)s–%(end)s") % {"start": start.number, "end": end.number}
    return _("week %(start)s %(start_year)s–week %(end)s %(end_year)s") % {
        "start": start.number,
        "start_year": start.year,
        "end": end.number,
        "end_year": end.year,
    }


def span_dates_label(start: Week, end: Week) -> str:
    """«uke 9–19 (24. februar–11. mai 2025)»"""
    return f"{span_label(start, end)} ({date_range_label(start.monday, end.sunday)})"
