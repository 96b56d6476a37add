"""DEMO_TODAY: a demo installation shows the plan as it stood on one day; without
it the real date counts. Every place that shows the plan against the calendar
asks mipr.clock, so they agree."""

import csv
import datetime
import io
import os
import subprocess
import sys

import icalendar
import pytest
import time_machine

from mipr import clock
from tests.helpers import ROOT

pytestmark = pytest.mark.django_db

APRIL_11 = datetime.date(2025, 4, 11)
# A day in 2026, when the whole 2025 plan is over.
IN_2026 = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)


def _csv_statuses(client) -> list[str]:
    text = client.get("/tidslinje/plan.csv").content.decode("utf-8-sig")
    _header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    return [row[-1] for row in rows]


def _calendar_descriptions(client) -> str:
    calendar = icalendar.Calendar.from_ical(
        client.get("/tidslinje/kalender.ics").content
    )
    return "\n".join(str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT"))


@time_machine.travel(IN_2026, tick=False)
def test_with_a_demo_date_the_plan_is_shown_as_it_stood_that_day(
    client, mipr, settings
):
    settings.DEMO_TODAY = APRIL_11
    assert clock.today() == APRIL_11
    html = client.get("/tidslinje/").content.decode()
    assert "Demo: vist slik det sto 11. april 2025." in html
    assert "I dag er det 11. april 2025." in html
    assert 'status-badge status-late">' not in html
    assert 'aria-current="date"><abbr title="uke 15 (7.–13. april 2025)">15' in html
    statuses = _csv_statuses(client)
    assert statuses.count("forsinket") == 0
    assert statuses.count("planlagt") == 8
    assert "forsinket" not in _calendar_descriptions(client)


@time_machine.travel(IN_2026, tick=False)
def test_without_a_demo_date_the_real_date_counts_and_no_demo_is_claimed(
    client, mipr, settings
):
    settings.DEMO_TODAY = None
    assert clock.today() == datetime.date(2026, 11, 30)
    html = client.get("/tidslinje/").content.decode()
    assert "Demo:" not in html
    assert "I dag er det 30. november 2026." in html
    # Everything but the one done in week 9 is past and not done.
    assert html.count('status-badge status-late">forsinket') == 9 * 2  # grid, list
    assert _csv_statuses(client).count("forsinket") == 9
    assert _calendar_descriptions(client).count("Status: forsinket") == 9


@time_machine.travel(IN_2026, tick=False)
def test_the_milestone_page_and_the_front_page_use_the_demo_date_too(
    client, mipr, people, settings
):
    settings.DEMO_TODAY = APRIL_11
    workshop = mipr.milestones.get(what="Workshop")
    detail = client.get(workshop.get_absolute_url()).content.decode()
    assert "planlagt" in detail
    assert "forsinket" not in detail.lower()
    assert "Demo: vist slik det sto 11. april 2025." in detail

    client.force_login(people["radsmedlem"])
    front = client.get("/").content.decode()
    panel = front[front.index("Denne og neste uke") :]
    assert "Demo: vist slik det sto 11. april 2025." in panel
    assert "Workshop" in panel  # week 15
    assert "Oppsummerer funn" not in panel  # week 20


def _settings_with(demo_today: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "1", "DEMO_TODAY": demo_today}
    env["DJANGO_SETTINGS_MODULE"] = "mipr.settings"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(repr(settings.DEMO_TODAY))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_setting_is_read_from_the_environment_and_a_bad_date_stops_start_up():
    given = _settings_with("2025-04-11").stdout.strip()
    assert given == "datetime.date(2025, 4, 11)"
    assert _settings_with("").stdout.strip() == "None"
    bad = _settings_with("11.04.2025")
    assert bad.returncode != 0
    assert "DEMO_TODAY='11.04.2025' is not a date: write it as YYYY-MM-DD" in (
        bad.stderr
    )


@pytest.mark.parametrize("count", [10, 300])
def test_the_demo_date_costs_the_plan_page_no_query(
    client, settings, count, django_assert_max_num_queries
):
    from tests.factories import ProcessFactory
    from tests.timeline.factories import MilestoneFactory

    settings.DEMO_TODAY = APRIL_11
    process = ProcessFactory()
    MilestoneFactory.create_batch(count, process=process, start_week=9, end_week=49)
    # the public process, the plan's stamp, the milestones; the date is a
    # setting, and the grid is built from the milestones already loaded
    with django_assert_max_num_queries(3):
        html = client.get("/tidslinje/").content.decode()
    assert html.count('class="plan-item') == count
    assert "Demo: vist slik det sto 11. april 2025." in html
