"""The week grid (timeline/grid.py): the plan's own weeks, and where it opens."""

import datetime

import pytest

from mipr.isoweeks import Week
from tests.factories import ProcessFactory
from tests.timeline.factories import MilestoneFactory
from timeline.grid import Focus, build_grid

pytestmark = pytest.mark.django_db

APRIL_11 = datetime.date(2025, 4, 11)


def _numbers(grid) -> list[int]:
    return [week.number for week in grid.weeks]


def _row(grid, what):
    return next(
        row for g in grid.groups for row in g.rows if row.milestone.what == what
    )


def test_the_grid_runs_from_the_plans_first_week_to_its_last(mipr):
    grid = build_grid(list(mipr.milestones.all()), today=APRIL_11)
    assert _numbers(grid) == list(range(9, 50))
    assert (grid.years, grid.weeks_label) == ("2025", "uke 9–49")
    assert [(m.short_name, m.span) for m in grid.months][:3] == [
        ("feb", 1),
        ("mar", 4),
        ("apr", 4),
    ]
    assert sum(m.span for m in grid.months) == 41
    # The adoption's bar is the last column; every row covers all 41 columns.
    adoption = _row(grid, "Vedta endelig strategi")
    assert [(s.span, s.is_bar) for s in adoption.segments][-1] == (1, True)
    for group in grid.groups:
        for row in group.rows:
            assert sum(s.span for s in row.segments) == 41


def test_a_plan_across_a_new_year_gets_the_weeks_of_both_years():
    process = ProcessFactory()
    MilestoneFactory(process=process, start_week=50, end_year=2026, end_week=2)
    grid = build_grid(list(process.milestones.all()), today=APRIL_11)
    assert grid.weeks == [
        Week(2025, 50),
        Week(2025, 51),
        Week(2025, 52),
        Week(2026, 1),
        Week(2026, 2),
    ]
    assert grid.years == "2025–2026"
    assert [m.name for m in grid.months] == ["desember", "januar"]


@pytest.mark.parametrize(
    ("today", "focus", "week"),
    [
        (APRIL_11, Focus.TODAY, 15),
        (datetime.date(2025, 5, 21), Focus.TODAY, 21),  # a week with nothing
        (datetime.date(2025, 1, 15), Focus.NEXT, 9),
        (datetime.date(2026, 1, 10), Focus.END, 49),
    ],
)
def test_the_grid_opens_at_today_else_the_next_milestone_else_its_end(
    mipr, today, focus, week
):
    grid = build_grid(list(mipr.milestones.all()), today=today)
    assert (grid.focus, grid.focus_week) == (focus, Week(2025, week))
    assert grid.today_week == (Week(2025, week) if focus == Focus.TODAY else None)


def test_an_empty_plan_has_no_weeks_and_says_so(client):
    ProcessFactory()
    grid = build_grid([], today=APRIL_11)
    assert (grid.weeks, grid.focus_week, grid.groups) == ([], None, [])
    html = client.get("/tidslinje/").content.decode()
    assert "Planen har ingen milepæler ennå." in html
    assert 'id="grid-focus"' not in html
