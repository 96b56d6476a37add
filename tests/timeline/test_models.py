import datetime

import pytest
from django.db import IntegrityError

from mipr.isoweeks import Week
from tests.timeline.factories import MilestoneFactory
from timeline.models import Milestone, Status

pytestmark = pytest.mark.django_db

APRIL_11 = datetime.date(2025, 4, 11)


def test_a_milestone_is_late_when_its_end_week_has_passed_and_it_is_not_done():
    milestone = MilestoneFactory(start_week=9, end_week=9)
    assert not milestone.is_late(datetime.date(2025, 3, 2))  # Sunday of week 9
    assert milestone.is_late(datetime.date(2025, 3, 3))
    assert milestone.shown_status(datetime.date(2025, 3, 3)) == "late"
    milestone.status = Status.DONE
    assert not milestone.is_late(datetime.date(2025, 3, 3))
    milestone.status = Status.CANCELLED
    assert not milestone.is_late(datetime.date(2025, 3, 3))


def test_a_milestone_is_now_while_today_is_inside_its_span():
    milestone = MilestoneFactory(start_week=9, end_week=19)
    assert milestone.is_now(APRIL_11)
    assert milestone.is_now(datetime.date(2025, 2, 24))
    assert not milestone.is_now(datetime.date(2025, 2, 23))
    assert not milestone.is_now(datetime.date(2025, 5, 12))


def test_overlapping_finds_spans_across_a_new_year():
    crossing = MilestoneFactory(
        start_year=2025, start_week=50, end_year=2026, end_week=2
    )
    before = MilestoneFactory(start_week=9, end_week=19)
    found = Milestone.objects.overlapping(Week(2026, 1), Week(2026, 1))
    assert list(found) == [crossing]
    assert set(Milestone.objects.current(Week(2025, 15))) == {before}
    assert set(Milestone.objects.overlapping(Week(2025, 19), Week(2025, 50))) == {
        before,
        crossing,
    }


def test_the_database_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError):
        MilestoneFactory(start_week=20, end_week=10)


def test_labels():
    milestone = MilestoneFactory(start_week=9, end_week=19)
    assert milestone.weeks_label == "uke 9–19"
    assert milestone.dates_label == "uke 9–19 (24. februar–11. mai 2025)"
