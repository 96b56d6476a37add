import datetime

import icalendar
import pytest
import time_machine

pytestmark = pytest.mark.django_db


def _events(client, url="/tidslinje/kalender.ics"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_calendar_has_one_all_day_event_per_milestone(client, mipr):
    calendar, events = _events(client)
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert len(events) == 10
    for event in events:
        assert type(event.decoded("DTSTART")) is datetime.date
        assert type(event.decoded("DTEND")) is datetime.date


def test_event_dates_run_from_the_first_monday_to_the_monday_after(client, mipr):
    _calendar, events = _events(client)
    by_summary = {str(e["SUMMARY"]): e for e in events}
    workshop = by_summary["Workshop"]
    assert workshop.decoded("DTSTART") == datetime.date(2025, 4, 7)
    assert workshop.decoded("DTEND") == datetime.date(2025, 4, 14)
    gathering = by_summary[
        "Rapporter og intervju/dialog interessenter, etter fordeling"
    ]
    assert gathering.decoded("DTSTART") == datetime.date(2025, 2, 24)
    assert gathering.decoded("DTEND") == datetime.date(2025, 5, 12)
    assert workshop.to_ical().decode().count("DTSTART;VALUE=DATE:20250407") == 1


def test_description_gives_who_responsible_and_status_as_of_today(client, mipr):
    with time_machine.travel(datetime.datetime(2025, 4, 11, 10), tick=False):
        _calendar, events = _events(client)
    workshop = next(e for e in events if str(e["SUMMARY"]) == "Workshop")
    description = str(workshop["DESCRIPTION"])
    assert "Arbeidsform: Regionrådet" in description
    assert "Ansvarlig: leder, koordinator" in description
    assert "Status: planlagt" in description
    # After its week, not done: late, as the page and the CSV say.
    with time_machine.travel(datetime.datetime(2025, 4, 14, 10), tick=False):
        _calendar, events = _events(client)
    workshop = next(e for e in events if str(e["SUMMARY"]) == "Workshop")
    assert "Status: forsinket" in str(workshop["DESCRIPTION"])


def test_uids_are_unique_and_stable_across_edits(client, mipr):
    _calendar, before = _events(client)
    uids = {str(e["UID"]) for e in before}
    assert len(uids) == 10
    mipr.milestones.filter(what="Workshop").update(what="Mini-workshop", version=2)
    _calendar, after = _events(client)
    assert {str(e["UID"]) for e in after} == uids


def test_process_calendar_under_its_own_address(client, mipr):
    _calendar, events = _events(client, f"/tidslinje/{mipr.slug}/kalender.ics")
    assert len(events) == 10
