"""One status rule (Milestone.is_late): the page, the CSV, the calendar feed and
the PDF's appendix A say the same status for every milestone on the same day."""

import csv
import datetime
import html as html_lib
import io
import re

import icalendar
import pytest
import time_machine

from demo import document as document_demo
from demo import evidence, workshop
from strategy.pdf import render as pdf
from tests.strategy.pdf.helpers import (
    APPENDIX_A,
    APPENDIX_B,
    appendix,
    pages_of,
    squash,
)
from timeline.models import Milestone, Status

pytestmark = pytest.mark.django_db

# Monday of week 23: weeks 9–19, 15 and 20 have ended, week 24 has not begun.
JUNE_2 = datetime.datetime(2025, 6, 2, 9, tzinfo=datetime.UTC)
LABELS = ("ferdig", "pågår", "planlagt", "forsinket", "avlyst")

EXPECTED = {
    "Forventninger, mål og arbeidsfordeling": "ferdig",
    "Rapporter og intervju/dialog interessenter, etter fordeling": "forsinket",
    "Workshop": "forsinket",
    "Oppsummerer funn, 4-5 slides": "avlyst",  # cancelled is never late
    "Status og brukere": "pågår",  # started early: not late before it ends
    "Innspill på utkastet": "planlagt",
    "Gjennomgang utkast": "planlagt",
    "Presentasjon utkast": "planlagt",
    "Presentere utkast": "planlagt",
    "Vedta endelig strategi": "planlagt",
}


@pytest.fixture
def plan_on_june_2(mipr):
    mipr.milestones.filter(what="Oppsummerer funn, 4-5 slides").update(
        status=Status.CANCELLED
    )
    mipr.milestones.filter(what="Status og brukere").update(status=Status.IN_PROGRESS)
    with time_machine.travel(JUNE_2, tick=False):
        yield mipr


def _page_statuses(client) -> dict[str, str]:
    page = client.get("/tidslinje/").content.decode()
    items = page[page.index('id="plan-list"') :].split('<li class="plan-item')[1:]
    found = {}
    for item in items:
        what = re.search(r'<h3 class="h6 mb-1"><a [^>]+>([^<]+)</a>', item)[1]
        label = re.search(r'class="status-badge status-[a-z_]+">([^<]+)<', item)[1]
        found[html_lib.unescape(what)] = label
    return found


def _csv_statuses(client) -> dict[str, str]:
    text = client.get("/tidslinje/plan.csv").content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    assert (header[1], header[-1]) == ("Innhold", "Status")
    return {row[1]: row[-1] for row in rows}


def _calendar_statuses(client) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(
        client.get("/tidslinje/kalender.ics").content
    )
    found = {}
    for event in calendar.walk("VEVENT"):
        description = str(event["DESCRIPTION"])
        found[str(event["SUMMARY"])] = re.search(r"^Status: (.+)$", description, re.M)[
            1
        ]
    return found


def _first_version(process):
    """The demo strategy's version 1 (it needs the workshop and the findings)."""
    workshop.load(process)
    evidence.load(process)
    return document_demo.load_strategy(process).versions.get(number=1)


def test_page_csv_and_calendar_give_every_milestone_the_same_status(
    client, plan_on_june_2
):
    assert _page_statuses(client) == EXPECTED
    assert _csv_statuses(client) == EXPECTED
    assert _calendar_statuses(client) == EXPECTED


def test_the_calendar_marks_only_cancelled_milestones_cancelled(client, plan_on_june_2):
    calendar = icalendar.Calendar.from_ical(
        client.get("/tidslinje/kalender.ics").content
    )
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert statuses.pop("Oppsummerer funn, 4-5 slides") == "CANCELLED"
    assert set(statuses.values()) == {"CONFIRMED"}


def test_the_page_spells_out_what_late_means(client, plan_on_june_2):
    page = client.get("/tidslinje/").content.decode()
    assert (
        "«Forsinket» betyr at milepælens siste uke er passert uten at den er "
        "markert som ferdig eller avlyst." in html_lib.unescape(page)
    )
    workshop = plan_on_june_2.milestones.get(what="Workshop")
    detail = client.get(workshop.get_absolute_url()).content.decode()
    assert "«Forsinket» betyr" in html_lib.unescape(detail)


def test_the_pdfs_appendix_a_gives_the_same_statuses_in_the_plans_order(
    client, plan_on_june_2, media
):
    version = _first_version(plan_on_june_2)
    in_order = [
        EXPECTED[what] for what in Milestone.objects.values_list("what", flat=True)
    ]
    pages = pages_of(pdf.write_pdf(pdf.render_html(version)))
    text = appendix(pages, APPENDIX_A, APPENDIX_B)
    # Each status whole, on its line of the table (pdf.css never breaks it).
    rows = text.split("Ansvarlig Status\n", 1)[1].split("Status per", 1)[0]
    assert re.findall(rf"\b({'|'.join(LABELS)})\b", rows) == in_order
    _table, note = squash(text).split(squash("Status per 2. juni 2025."))
    assert squash("«Forsinket» betyr at milepælens siste uke er passert") in note


def test_a_new_day_gives_the_pdf_a_new_fingerprint_when_a_milestone_becomes_late(
    mipr,
):
    version = _first_version(mipr)
    # Week 20 (12–18 May) ends on Sunday: on Monday «Oppsummerer funn» is late.
    with time_machine.travel(datetime.datetime(2025, 5, 18, 12), tick=False):
        sunday = pdf.fingerprint(version, with_comments=False)
    with time_machine.travel(datetime.datetime(2025, 5, 19, 12), tick=False):
        monday = pdf.fingerprint(version, with_comments=False)
    with time_machine.travel(datetime.datetime(2025, 5, 20, 12), tick=False):
        tuesday = pdf.fingerprint(version, with_comments=False)
    assert sunday != monday
    assert monday == tuesday
