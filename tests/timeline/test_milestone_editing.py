import pytest

from timeline.models import Milestone, Status

pytestmark = pytest.mark.django_db


def _valid(**overrides):
    data = {
        "who": "Arbeidsgruppen",
        "what": "Oppstartsmøte",
        "start_year": "2025",
        "start_week": "10",
        "end_year": "2025",
        "end_week": "12",
        "responsible": "koordinator",
        "status": Status.PLANNED,
        "deliverable": "",
        "notes": "",
        "version": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def workshop(mipr):
    return mipr.milestones.get(what="Workshop")


def _urls(process, milestone):
    base = f"/tidslinje/{process.slug}/milepel"
    return {
        "create": f"{base}/ny/",
        "edit": f"{base}/{milestone.pk}/endre/",
        "status": f"{base}/{milestone.pk}/status/",
        "move": f"{base}/{milestone.pk}/flytt/",
        "delete": f"{base}/{milestone.pk}/slett/",
    }


# Who may do what: the secretariat of this process edits; everyone else is
# sent to log in (anonymous) or told the page does not exist (404).
EXPECTED = {
    "anonymous": 302,
    "outsider": 404,
    "radsmedlem": 404,
    "arbeidsgruppe": 404,
    "other_secretariat": 404,
}


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("action", ["create", "edit", "status", "move", "delete"])
def test_only_the_processes_secretariat_may_change_the_plan(
    client, mipr, people, workshop, persona, action
):
    if persona != "anonymous":
        client.force_login(people[persona])
    url = _urls(mipr, workshop)[action]
    before = list(Milestone.objects.values_list("pk", "version", "status", "order"))
    post = {
        "create": _valid(),
        "edit": _valid(),
        "status": {"status": Status.DONE, "version": "1"},
        "move": {"direction": "up"},
        "delete": {},
    }[action]
    response = client.post(url, post)
    assert response.status_code == EXPECTED[persona]
    if persona == "anonymous":
        assert response["Location"].startswith("/logg-inn/")
    if action in {"create", "edit", "delete"}:
        assert client.get(url).status_code == EXPECTED[persona]
    assert (
        list(Milestone.objects.values_list("pk", "version", "status", "order"))
        == before
    )


def test_secretariat_creates_a_milestone_at_the_end_of_the_plan(client, mipr, people):
    client.force_login(people["sekretariat"])
    response = client.post(
        f"/tidslinje/{mipr.slug}/milepel/ny/",
        _valid(responsible_users=[people["arbeidsgruppe"].pk]),
    )
    milestone = Milestone.objects.get(what="Oppstartsmøte")
    assert response["Location"] == f"/tidslinje/{mipr.slug}/milepel/{milestone.pk}/"
    assert milestone.order == 11
    assert milestone.weeks_label == "uke 10–12"
    assert list(milestone.responsible_users.all()) == [people["arbeidsgruppe"]]


def test_secretariat_cannot_make_a_user_of_another_process_responsible(
    client, mipr, people
):
    client.force_login(people["sekretariat"])
    response = client.post(
        f"/tidslinje/{mipr.slug}/milepel/ny/",
        _valid(responsible_users=[people["outsider"].pk]),
    )
    assert response.status_code == 200
    assert "er ikke et av de tilgjengelige valgene" in response.content.decode()
    assert not Milestone.objects.filter(what="Oppstartsmøte").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_week": "0"}, "Uke 0 finnes ikke i 2025"),
        ({"end_week": "54"}, "Uke 54 finnes ikke i 2025"),
        ({"end_week": "53"}, "Uke 53 finnes ikke i 2025: ukene går fra 1 til 52."),
        ({"start_week": "20", "end_week": "10"}, "Sluttuken er før startuken."),
        ({"start_year": "2026", "end_year": "2025"}, "Sluttuken er før startuken."),
        ({"start_week": "femten"}, "Oppgi et heltall."),
        ({"what": ""}, "Feltet er påkrevet."),
        ({"what": "x" * 301}, "300 eller færre tegn (den har nå 301)"),
        ({"status": "kanskje"}, "er ikke et av de tilgjengelige valgene"),
        ({"notes": "a\x00b"}, "Null-tegn er ikke tillatt."),
        # Found by tests/test_fuzz.py: SQLite raised OverflowError (a 500).
        ({"responsible_users": str(2**63)}, "er ikke en gyldig verdi"),
    ],
    ids=[
        "week-0",
        "week-54",
        "week-53-in-2025",
        "end-before-start",
        "end-year-before-start",
        "text-for-number",
        "empty",
        "huge",
        "unknown-status",
        "control-character",
        "id-too-large-for-the-database",
    ],
)
def test_bad_input_gets_a_norwegian_form_error_and_saves_nothing(
    client, mipr, people, overrides, message
):
    client.force_login(people["sekretariat"])
    response = client.post(f"/tidslinje/{mipr.slug}/milepel/ny/", _valid(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Milestone.objects.count() == 10


def test_week_53_is_accepted_in_a_year_that_has_one(client, mipr, people):
    client.force_login(people["sekretariat"])
    client.post(
        f"/tidslinje/{mipr.slug}/milepel/ny/",
        _valid(start_year="2026", start_week="53", end_year="2026", end_week="53"),
    )
    assert Milestone.objects.get(what="Oppstartsmøte").last_day.isoformat() == (
        "2027-01-03"
    )


def test_html_in_a_milestone_is_shown_as_text(client, mipr, people):
    client.force_login(people["sekretariat"])
    client.post(
        f"/tidslinje/{mipr.slug}/milepel/ny/", _valid(what="<script>alert(1)</script>")
    )
    html = client.get("/tidslinje/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_secretariat_edits_a_milestone(client, mipr, people, workshop):
    client.force_login(people["sekretariat"])
    page = client.get(f"/tidslinje/{mipr.slug}/milepel/{workshop.pk}/endre/")
    assert 'name="version" value="1"' in page.content.decode()
    client.post(
        f"/tidslinje/{mipr.slug}/milepel/{workshop.pk}/endre/",
        _valid(what="Mini-workshop", start_week="15", end_week="15"),
    )
    workshop.refresh_from_db()
    assert workshop.what == "Mini-workshop"
    assert workshop.version == 2


def test_second_secretary_saving_a_stale_form_is_told_and_overwrites_nothing(
    client, mipr, people, workshop
):
    client.force_login(people["sekretariat"])
    url = f"/tidslinje/{mipr.slug}/milepel/{workshop.pk}/endre/"
    # Both opened the form at version 1; the first saves.
    client.post(url, _valid(what="Første lagring", start_week="15", end_week="15"))
    response = client.post(
        url, _valid(what="Andre lagring", start_week="15", end_week="15", version="1")
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Noen andre lagret denne milepælen mens du redigerte" in html
    assert "Første lagring" in html  # what is saved now
    assert 'value="Andre lagring"' in html  # the second secretary's text is kept
    assert 'name="version" value="2"' in html
    workshop.refresh_from_db()
    assert workshop.what == "Første lagring"

    # Saving again from the conflict page overwrites knowingly.
    client.post(
        url, _valid(what="Andre lagring", start_week="15", end_week="15", version="2")
    )
    workshop.refresh_from_db()
    assert workshop.what == "Andre lagring"
    assert workshop.version == 3


def test_secretariat_sets_the_status_and_a_stale_status_change_is_refused(
    client, mipr, people, workshop
):
    client.force_login(people["sekretariat"])
    url = f"/tidslinje/{mipr.slug}/milepel/{workshop.pk}/status/"
    response = client.post(url, {"status": Status.DONE, "version": "1"}, follow=True)
    assert "Statusen er lagret." in response.content.decode()
    workshop.refresh_from_db()
    assert (workshop.status, workshop.version) == (Status.DONE, 2)

    response = client.post(
        url, {"status": Status.CANCELLED, "version": "1"}, follow=True
    )
    assert "Noen andre endret denne milepælen" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.status == Status.DONE


@pytest.mark.parametrize(
    "data",
    [{}, {"status": "borte", "version": "1"}, {"status": "done", "version": "x"}],
)
def test_malformed_status_changes_are_refused_with_a_message(
    client, mipr, people, workshop, data
):
    client.force_login(people["sekretariat"])
    response = client.post(
        f"/tidslinje/{mipr.slug}/milepel/{workshop.pk}/status/", data, follow=True
    )
    assert "Velg en av statusene i listen." in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.version == 1


def test_status_change_by_get_is_not_allowed(client, mipr, people, workshop):
    client.force_login(people["sekretariat"])
    response = client.get(f"/tidslinje/{mipr.slug}/milepel/{workshop.pk}/status/")
    assert response.status_code == 405


def test_secretariat_reorders_milestones(client, mipr, people, workshop):
    client.force_login(people["sekretariat"])
    order = lambda: list(mipr.milestones.values_list("what", flat=True))  # noqa: E731
    assert order()[1:3] == [
        "Rapporter og intervju/dialog interessenter, etter fordeling",
        "Workshop",
    ]
    url = f"/tidslinje/{mipr.slug}/milepel/{workshop.pk}/flytt/"
    client.post(url, {"direction": "up"})
    assert order()[1] == "Workshop"
    client.post(url, {"direction": "down"})
    client.post(url, {"direction": "down"})
    assert order()[3] == "Workshop"
    # Moving the first one up, or a bogus direction, changes nothing.
    first = mipr.milestones.first()
    before = order()
    client.post(
        f"/tidslinje/{mipr.slug}/milepel/{first.pk}/flytt/", {"direction": "up"}
    )
    client.post(url, {"direction": "sideways"})
    assert order() == before


def test_secretariat_deletes_a_milestone_after_confirming(
    client, mipr, people, workshop
):
    client.force_login(people["sekretariat"])
    url = f"/tidslinje/{mipr.slug}/milepel/{workshop.pk}/slett/"
    assert "Vil du slette «Workshop»" in client.get(url).content.decode()
    assert Milestone.objects.filter(pk=workshop.pk).exists()
    response = client.post(url)
    assert response["Location"] == f"/tidslinje/{mipr.slug}/"
    assert not Milestone.objects.filter(pk=workshop.pk).exists()


def test_tampered_milestone_id_of_another_process_is_404(client, mipr, people):
    from tests.timeline.factories import MilestoneFactory

    foreign = MilestoneFactory()
    client.force_login(people["sekretariat"])
    response = client.post(
        f"/tidslinje/{mipr.slug}/milepel/{foreign.pk}/endre/", _valid()
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.version == 1
