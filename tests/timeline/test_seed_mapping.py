"""The demo's plan against the seed (demo/seed/), row by row: the slide
«Fremdriftsplan» has the columns Arbeidsform, Innhold and «Tidspunkt,
ansvarlig», and the portal shows them under those names."""

import csv
import io
import re

import pytest

from demo import plan as demo_plan
from demo.plan import SEED_MILESTONES
from tests.helpers import ROOT
from timeline.models import Milestone

pytestmark = pytest.mark.django_db

SEED = ROOT / "demo" / "seed" / "mipr-strategi-2026-2029-workshop.txt"
# The one abbreviation the demo writes out.
WRITTEN_OUT = {"Representantskapet": "Rep.skap"}


def _seed_table() -> str:
    """The slide's text from its column headers to the next slide, one space
    for every run of white space (the PDF's text breaks lines in the cells)."""
    text = " ".join(SEED.read_text().split())
    start = text.index("Fremdriftsplan Arbeidsform Innhold Tidspunkt, ansvarlig")
    return text[start : text.index("Noen «funn»", start)]


def _as_in_seed(who, what, start, end, responsible) -> str:
    weeks = f"Uke {start}" if start == end else f"Uke {start} – {end}"
    return f"{WRITTEN_OUT.get(who, who)} {what} {weeks}, {responsible}"


def test_every_row_of_the_demo_plan_is_a_row_of_the_seeds_table_in_its_order():
    table = _seed_table()
    assert table.count(" Uke ") == len(SEED_MILESTONES) == 10
    position = 0
    for who, what, start, end, responsible, *_rest in SEED_MILESTONES:
        row = _as_in_seed(who, what, start, end, responsible)
        found = table.find(row, position)
        assert found > position, f"not in the seed after the previous row: {row}"
        position = found + len(row)
    assert table[position:].strip() == ""  # nothing of the table is left out


def test_activities_are_the_working_form_column_not_people():
    rows = {what: who for who, what, *_rest in SEED_MILESTONES}
    assert rows["Rapporter og intervju/dialog interessenter, etter fordeling"] == (
        "Hente inn data"
    )
    assert rows["Innspill på utkastet"] == "Bearbeide funn og utarbeide første utkast"
    assert rows["Vedta endelig strategi"] == "Representantskapet"


def test_the_loaded_plan_is_the_seeds_rows_in_order(mipr):
    loaded = list(
        Milestone.objects.filter(process=mipr).values_list(
            "who", "what", "start_week", "end_week", "responsible"
        )
    )
    assert loaded == [tuple(row[:5]) for row in SEED_MILESTONES]
    assert {m.start_year for m in Milestone.objects.all()} == {2025}


def test_page_csv_and_milestone_page_name_the_columns_as_the_seed_does(client, mipr):
    html = client.get("/tidslinje/").content.decode()
    assert "<dt>Arbeidsform</dt><dd>Hente inn data</dd>" in html
    assert "<dt>Arbeidsform</dt><dd>Representantskapet</dd>" in html
    assert "<dt>Hvem</dt>" not in html
    assert "Rep.skap" not in html

    text = client.get("/tidslinje/plan.csv").content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    assert header == [
        "Arbeidsform",
        "Innhold",
        "Uker",
        "Fra",
        "Til",
        "Ansvarlig",
        "Status",
    ]
    assert [(r[0], r[1], r[5]) for r in rows] == [
        (who, what, responsible)
        for who, what, _start, _end, responsible, *_rest in SEED_MILESTONES
    ]

    calendar = client.get("/tidslinje/kalender.ics").content.decode()
    assert "Arbeidsform: Hente inn data" in calendar
    assert "Rep.skap" not in calendar

    adoption = mipr.milestones.get(what="Vedta endelig strategi")
    detail = client.get(adoption.get_absolute_url()).content.decode()
    assert re.search(r"Arbeidsform</dt>\s*<dd[^>]*>Representantskapet</dd>", detail)
    assert re.search(r"Innhold</dt>\s*<dd[^>]*>Vedta endelig strategi</dd>", detail)
    assert "uke 49" in detail


def test_the_secretariats_form_asks_for_working_form_and_content(client, mipr, people):
    client.force_login(people["sekretariat"])
    form = client.get(f"/tidslinje/{mipr.slug}/milepel/ny/").content.decode()
    assert re.search(r'<label\s+for="id_who"[^>]*>\s*Arbeidsform', form)
    assert re.search(r'<label\s+for="id_what"[^>]*>\s*Innhold', form)


def test_loading_over_an_earlier_demo_corrects_the_abbreviation_without_a_copy(
    demo_process,
):
    demo_plan.load(demo_process)
    adoption = demo_process.milestones.get(what="Vedta endelig strategi")
    # As an earlier demo left it, with an edit made since.
    demo_process.milestones.filter(pk=adoption.pk).update(
        who="Rep.skap", notes="Møte i Moss"
    )
    demo_plan.load(demo_process)
    demo_plan.load(demo_process)
    assert demo_process.milestones.count() == 10
    adoption.refresh_from_db()
    assert (adoption.who, adoption.notes) == ("Representantskapet", "Møte i Moss")
