import datetime

import pytest
from django.utils import translation

from mipr.isoweeks import InvalidWeek, Week, date_range_label, span_label, weeks_in_year


@pytest.fixture(autouse=True)
def _bokmal():
    with translation.override("nb"):
        yield


def test_a_week_knows_its_monday_and_sunday():
    week = Week(2025, 15)
    assert week.monday == datetime.date(2025, 4, 7)
    assert week.sunday == datetime.date(2025, 4, 13)


def test_a_date_knows_its_week():
    assert Week.of(datetime.date(2025, 4, 11)) == Week(2025, 15)


def test_week_1_of_2026_starts_on_29_december_2025():
    assert Week(2026, 1).monday == datetime.date(2025, 12, 29)
    assert Week.of(datetime.date(2025, 12, 29)) == Week(2026, 1)
    assert Week.of(datetime.date(2027, 1, 3)) == Week(2026, 53)


def test_week_53_exists_in_2020_and_2026_but_not_in_2025():
    assert weeks_in_year(2020) == 53
    assert weeks_in_year(2026) == 53
    assert weeks_in_year(2025) == 52
    assert Week(2020, 53).sunday == datetime.date(2021, 1, 3)
    with pytest.raises(InvalidWeek, match="Uke 53 finnes ikke i 2025"):
        Week(2025, 53)


@pytest.mark.parametrize("number", [0, 54, -1])
def test_weeks_outside_1_to_53_are_refused(number):
    with pytest.raises(InvalidWeek):
        Week(2020, number)


def test_weeks_compare_and_add_across_a_new_year():
    assert Week(2025, 52) + 1 == Week(2026, 1)
    assert Week(2026, 1) - 1 == Week(2025, 52)
    assert Week(2025, 9) < Week(2025, 19) < Week(2026, 1)


def test_norwegian_labels():
    assert Week(2025, 15).label == "uke 15 (7.–13. april 2025)"
    assert span_label(Week(2025, 9), Week(2025, 19)) == "uke 9–19"
    assert span_label(Week(2025, 15), Week(2025, 15)) == "uke 15"
    assert span_label(Week(2025, 52), Week(2026, 2)) == "uke 52 2025–uke 2 2026"


def test_date_ranges_across_months_and_years():
    assert Week(2025, 18).label == "uke 18 (28. april–4. mai 2025)"
    assert date_range_label(datetime.date(2025, 12, 29), datetime.date(2026, 1, 4)) == (
        "29. desember 2025–4. januar 2026"
    )


def test_english_labels():
    with translation.override("en"):
        assert Week(2025, 15).label == "week 15 (7–13 April 2025)"
        assert span_label(Week(2025, 9), Week(2025, 19)) == "weeks 9–19"
