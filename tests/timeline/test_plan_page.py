import csv
import datetime
import io

import pytest
import time_machine

from tests.factories import MembershipFactory, ProcessFactory
from tests.timeline.factories import MilestoneFactory
from timeline.models import Status

pytestmark = pytest.mark.django_db

APRIL_11 = datetime.datetime(2025, 4, 11, 10, 0, tzinfo=datetime.UTC)


@time_machine.travel(APRIL_11, tick=False)
def test_public_plan_shows_the_ten_seed_milestones_with_weeks_and_dates(client, mipr):
    response = client.get("/tidslinje/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="plan-item') == 10
    assert "uke 15 (7.–13. april 2025)" in html
    assert "uke 9–19 (24. februar–11. mai 2025)" in html
    assert "Vedta endelig strategi" in html
    assert "Bearbeide funn og utarbeide første utkast" in html
    # Today's week (15) is marked in the grid header, for eyes and screen readers.
    assert 'aria-current="date"><abbr title="uke 15 (7.–13. april 2025)">15' in html
    assert "(denne uken)" in html


@time_machine.travel(APRIL_11, tick=False)
def test_status_is_shown_as_text_beside_its_colour(client, mipr):
    html = client.get("/tidslinje/").content.decode()
    assert '<span class="status-badge status-done">ferdig</span>' in html
    assert '<span class="status-badge status-in_progress">pågår</span>' in html
    assert '<span class="status-badge status-planned">planlagt</span>' in html
    assert "forsinket" not in html


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, tzinfo=datetime.UTC), tick=False)
def test_a_milestone_past_its_end_week_and_not_done_shows_as_late(client, mipr):
    html = client.get("/tidslinje/").content.decode()
    assert '<span class="status-badge status-late">forsinket</span>' in html


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC))
def test_the_grid_groups_rows_by_working_form_and_has_a_bar_over_the_weeks(
    client, mipr
):
    html = client.get("/tidslinje/").content.decode()
    assert html.count('<tr class="group">') == 6  # six different working forms
    # uke 9–19 is one bar cell spanning eleven week columns (today, in 2026, is
    # after the plan, so no column of today's cuts it)
    assert 'colspan="11" class="bar status-' in html


def test_unpublished_process_plan_is_hidden_from_outsiders_but_not_members(client):
    process = ProcessFactory(is_public=False)
    MilestoneFactory(process=process, what="Hemmelig milepæl")
    assert client.get(f"/tidslinje/{process.slug}/").status_code == 404
    assert client.get(f"/tidslinje/{process.slug}/kalender.ics").status_code == 404
    member = MembershipFactory(process=process).user
    client.force_login(member)
    assert (
        "Hemmelig milepæl" in client.get(f"/tidslinje/{process.slug}/").content.decode()
    )


def test_the_default_plan_is_the_newest_public_process(client):
    ProcessFactory(year=2020, name="Gammel prosess")
    hidden = ProcessFactory(year=2030, is_public=False)
    MilestoneFactory(process=hidden, what="Ikke offentlig")
    newest = ProcessFactory(year=2025)
    MilestoneFactory(process=newest, what="Nyeste plan")
    html = client.get("/tidslinje/").content.decode()
    assert "Nyeste plan" in html
    assert "Ikke offentlig" not in html


def test_without_any_public_process_the_plan_is_404(client, db):
    assert client.get("/tidslinje/").status_code == 404


@pytest.mark.parametrize("count", [10, 500])
def test_plan_page_runs_a_constant_number_of_queries(
    client, count, django_assert_max_num_queries
):
    process = ProcessFactory()
    MilestoneFactory.create_batch(
        count, process=process, start_week=10, end_week=20, status=Status.IN_PROGRESS
    )
    # the public process, the plan's stamp, the milestones (session and user
    # only when logged in); then, from the cache, only the process and stamp
    with django_assert_max_num_queries(3):
        response = client.get("/tidslinje/")
    assert response.content.decode().count('class="plan-item') == count
    with django_assert_max_num_queries(2):
        again = client.get("/tidslinje/")
    assert again.content.decode().count('class="plan-item') == count


def test_the_cached_plan_shows_every_change_at_once(client, mipr, people):
    from django.db.models import F

    from timeline import services

    def page():
        return client.get("/tidslinje/").content.decode()

    page()
    milestone = mipr.milestones.get(what="Workshop")
    services.milestone_update(
        milestone=milestone, data={"what": "Workshop nr. 1"}, expected_version=1
    )
    renamed = page()
    assert "Workshop nr. 1" in renamed

    def list_order(html):
        part = html[html.index('id="plan-list"') :]
        names = [m.what for m in mipr.milestones.all()]
        return sorted(names, key=lambda name: part.find(f">{name}<"))

    services.milestone_move(milestone=milestone, direction=-1)
    assert list_order(page()) != list_order(renamed)

    # The adoption's queryset update bumps only the version.
    mipr.milestones.filter(pk=milestone.pk).update(
        status=Status.CANCELLED, version=F("version") + 1
    )
    assert "avlyst" in page().split("Workshop nr. 1", 1)[1][:3000]

    services.milestone_delete(milestone=milestone)
    assert "Workshop nr. 1" not in page()

    client.cookies["django_language"] = "en"
    assert "Process plan" in page()


def test_the_secretariats_plan_is_not_shared_through_the_cache(client, mipr, people):
    # The secretariat's list has forms (move up/down) with its own CSRF token.
    anonymous = client.get("/tidslinje/").content.decode()
    assert "/flytt/" not in anonymous
    client.force_login(people["sekretariat"])
    html = client.get("/tidslinje/").content.decode()
    assert "/flytt/" in html
    client.logout()
    assert "/flytt/" not in client.get("/tidslinje/").content.decode()


def test_plan_page_for_the_secretariat_has_a_bounded_number_of_queries(
    client, mipr, people, django_assert_max_num_queries
):
    MilestoneFactory.create_batch(200, process=mipr)
    client.force_login(people["sekretariat"])
    # session, user, process, role, milestones
    with django_assert_max_num_queries(5):
        html = client.get("/tidslinje/").content.decode()
    assert html.count("Flytt opp") == 210


def test_milestone_detail_page_is_public(client, mipr):
    milestone = mipr.milestones.get(what="Workshop")
    html = client.get(
        f"/tidslinje/{mipr.slug}/milepel/{milestone.pk}/"
    ).content.decode()
    assert "Regionrådet" in html
    assert "leder, koordinator" in html
    assert "workshopen" in html  # what it produces
    assert "Sett status" not in html


def test_milestone_of_another_process_is_404_under_this_process(client, mipr):
    other = MilestoneFactory(process=ProcessFactory())
    assert client.get(f"/tidslinje/{mipr.slug}/milepel/{other.pk}/").status_code == 404


def test_plan_exports_as_csv_with_a_bom_for_excel(client, mipr):
    response = client.get("/tidslinje/plan.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffArbeidsform;Innhold;Uker;Fra;Til;Ansvarlig;Status")
    lines = text.strip().splitlines()
    assert len(lines) == 11
    assert (
        "Regionrådet;Workshop;uke 15;2025-04-07;2025-04-13;leder, koordinator;" in text
    )


def test_a_milestone_that_looks_like_a_formula_is_text_in_the_public_csv(client, mipr):
    """Anyone downloads plan.csv: a title must never run in their Excel."""
    MilestoneFactory(
        process=mipr, who="@SUM(A1)", what='=HYPERLINK("http://x","klikk")'
    )
    text = client.get("/tidslinje/plan.csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    row = next(r for r in rows if "HYPERLINK" in r[1])
    assert row[:2] == ["'@SUM(A1)", '\'=HYPERLINK("http://x","klikk")']


@time_machine.travel(APRIL_11, tick=False)
def test_dashboard_shows_this_week_and_next_from_the_plan(client, mipr, people):
    client.force_login(people["radsmedlem"])
    html = client.get("/").content.decode()
    section = html[html.index("Denne og neste uke") :]
    assert "Workshop" in section  # week 15
    assert "Rapporter og intervju" in section  # weeks 9–19
    assert "Oppsummerer funn" not in section  # week 20


@time_machine.travel(APRIL_11, tick=False)
def test_dashboard_queries_stay_bounded_with_many_milestones(
    client, mipr, people, django_assert_max_num_queries
):
    MilestoneFactory.create_batch(100, process=mipr, start_week=15, end_week=16)
    client.force_login(people["radsmedlem"])
    # session, user, memberships with processes, milestones of those processes
    with django_assert_max_num_queries(4):
        client.get("/")
