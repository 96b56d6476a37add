import pytest
from django.test import Client

from tests.helpers import join
from tests.workshops.factories import GroupFactory, QuestionFactory, WorkshopFactory
from workshops import services
from workshops.models import Answer, WorkshopStatus

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["", "bli-med/", "vegg/", "vegg/svar/", "svar.csv", "svar.xlsx"]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_secretariat_and_working_group_see_the_facilitators_pages(
    people, workshop, page
):
    for persona in ("sekretariat", "arbeidsgruppe"):
        response = logged_in(people[persona]).get(f"/workshop/{workshop.pk}/{page}")
        assert response.status_code == 200, (persona, page)


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_council_members_and_outsiders_get_404_and_visitors_the_login(
    people, workshop, page
):
    url = f"/workshop/{workshop.pk}/{page}"
    for persona in ("radsmedlem", "other_secretariat", "outsider"):
        assert logged_in(people[persona]).get(url).status_code == 404, persona
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")


def test_a_participant_session_does_not_open_the_facilitators_pages(
    client, workshop, groups
):
    join(client, groups[1])
    assert client.get(f"/workshop/{workshop.pk}/vegg/").status_code == 302


def test_the_workshop_list_shows_only_the_users_processes(people, workshop):
    other = WorkshopFactory(title="Annen region sin workshop")
    html = logged_in(people["sekretariat"]).get("/workshop/").content.decode()
    assert workshop.title in html and other.title not in html
    html = logged_in(people["other_secretariat"]).get("/workshop/").content.decode()
    assert workshop.title not in html


def test_the_secretariat_closes_and_reopens_the_workshop(people, workshop):
    client = logged_in(people["sekretariat"])
    response = client.post(
        f"/workshop/{workshop.pk}/status/",
        {"status": "closed", "confirmed": "1"},
        follow=True,
    )
    assert "Workshopen er nå lukket." in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.CLOSED
    client.post(f"/workshop/{workshop.pk}/status/", {"status": "open"})
    workshop.refresh_from_db()
    assert workshop.is_open


def test_only_the_secretariat_opens_and_closes(people, workshop):
    for persona in ("arbeidsgruppe", "radsmedlem", "other_secretariat", "outsider"):
        response = logged_in(people[persona]).post(
            f"/workshop/{workshop.pk}/status/", {"status": "closed"}
        )
        assert response.status_code == 404, persona
    assert Client().post(f"/workshop/{workshop.pk}/status/").status_code == 302
    assert (
        logged_in(people["sekretariat"])
        .get(f"/workshop/{workshop.pk}/status/")
        .status_code
        == 405
    )
    workshop.refresh_from_db()
    assert workshop.is_open


def test_an_unknown_status_or_an_empty_workshop_gets_a_message(people, workshop):
    client = logged_in(people["sekretariat"])
    response = client.post(
        f"/workshop/{workshop.pk}/status/", {"status": "exploded"}, follow=True
    )
    assert "Ukjent status." in response.content.decode()
    empty = WorkshopFactory(process=workshop.process)
    response = client.post(
        f"/workshop/{empty.pk}/status/", {"status": "open"}, follow=True
    )
    assert "minst ett spørsmål og én gruppe" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == WorkshopStatus.DRAFT


def test_the_secretariat_gives_a_group_a_new_code(people, workshop, groups):
    old = groups[1].code
    client = logged_in(people["sekretariat"])
    response = client.post(
        f"/workshop/{workshop.pk}/gruppe/{groups[1].pk}/ny-kode/",
        {"confirmed": "1"},
        follow=True,
    )
    groups[1].refresh_from_db()
    assert groups[1].code != old
    assert f"Gruppe 1 har fått ny kode: {groups[1].code}" in response.content.decode()
    response = logged_in(people["arbeidsgruppe"]).post(
        f"/workshop/{workshop.pk}/gruppe/{groups[1].pk}/ny-kode/"
    )
    assert response.status_code == 404


def test_a_group_of_another_workshop_cannot_be_reached_through_this_one(
    people, workshop
):
    foreign = GroupFactory()
    client = logged_in(people["sekretariat"])
    url = f"/workshop/{workshop.pk}/gruppe/{foreign.pk}/"
    assert client.get(url + "qr.svg").status_code == 404
    assert client.post(url + "ny-kode/").status_code == 404


def test_progress_shows_who_has_started_and_submitted_what(people, workshop, groups):
    questions = list(workshop.questions.all())
    complete = [{"text": "a", "why": "b"}] * 3
    services.answer_save(
        group=groups[3],
        question=questions[0],
        content=complete,
        version=0,
        editor="Inger",
    )
    services.answer_submit(group=groups[3], question=questions[0], editor="Inger")
    html = (
        logged_in(people["sekretariat"])
        .get(f"/workshop/{workshop.pk}/")
        .content.decode()
    )
    assert html.count(">Levert<") == 1
    assert html.count(">Påbegynt<") == 3  # the demo's three answers, one now levert
    assert html.count(">Ikke påbegynt<") == 5 * 4 - 4
    assert groups[1].code in html


def test_the_join_screen_shows_the_address_the_codes_and_qr_codes(people, workshop):
    html = (
        logged_in(people["sekretariat"])
        .get(f"/workshop/{workshop.pk}/bli-med/")
        .content.decode()
    )
    assert "http://testserver/delta/" in html
    for group in workshop.groups.all():
        assert f">{group.code}<" in html
        assert f"/workshop/{workshop.pk}/gruppe/{group.pk}/qr.svg" in html


def test_the_qr_code_is_an_svg_of_the_join_address_with_the_code(people, groups):
    group = groups[1]
    response = logged_in(people["sekretariat"]).get(
        f"/workshop/{group.workshop_id}/gruppe/{group.pk}/qr.svg"
    )
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<path" in svg


# --- The projector wall ------------------------------------------------------------


def test_the_wall_shows_one_question_with_every_groups_answer(people, workshop):
    client = logged_in(people["sekretariat"])
    html = client.get(f"/workshop/{workshop.pk}/vegg/?sporsmal=1").content.decode()
    assert "1. Store samfunnsutfordringer" in html
    assert "Lav arbeidsdeltakelse" in html and "Boliger for unge" in html
    assert html.count('<li class="wall-group') == 5
    assert html.count("Ingen svar ennå") == 3
    assert "Simen, Ivar, Kjerstin F. og Marianne B." in html
    html = client.get(f"/workshop/{workshop.pk}/vegg/?sporsmal=2").content.decode()
    assert "Lav arbeidsdeltakelse" not in html


def test_the_wall_can_hide_names(people, workshop):
    html = (
        logged_in(people["sekretariat"])
        .get(f"/workshop/{workshop.pk}/vegg/?sporsmal=1&navn=skjul")
        .content.decode()
    )
    assert "Simen, Ivar" not in html
    assert "Gruppe 1" in html and "Lav arbeidsdeltakelse" in html


@pytest.mark.parametrize("asked", ["", "?sporsmal=99", "?sporsmal=x", "?sporsmal=-1"])
def test_the_wall_falls_back_to_the_first_question(people, workshop, asked):
    response = logged_in(people["sekretariat"]).get(
        f"/workshop/{workshop.pk}/vegg/{asked}"
    )
    assert response.status_code == 200
    assert "1. Store samfunnsutfordringer" in response.content.decode()


def test_the_walls_refresh_answers_304_until_an_answer_changes(
    people, workshop, groups, django_assert_max_num_queries
):
    client = logged_in(people["sekretariat"])
    url = f"/workshop/{workshop.pk}/vegg/svar/?sporsmal=1"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert "no-cache" in first["Cache-Control"]
    # Unchanged: session, user, workshop, membership, questions, one aggregate.
    with django_assert_max_num_queries(6):
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    question = workshop.questions.get(number=1)
    services.answer_save(
        group=groups[4],
        question=question,
        content=[{"text": "Nytt svar"}],
        version=0,
        editor="Silje",
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Nytt svar" in changed.content.decode()
    assert changed["ETag"] != etag
    # Submitting changes what the wall shows too.
    answer = Answer.objects.get(group=groups[4], question=question)
    Answer.objects.filter(pk=answer.pk).update(content=[{"text": "a", "why": "b"}] * 3)
    services.answer_submit(group=groups[4], question=question, editor="Silje")
    assert client.get(url, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 200
    # Hiding names is another view of the same data.
    hidden = client.get(url + "&navn=skjul", HTTP_IF_NONE_MATCH=changed["ETag"])
    assert hidden.status_code == 200


def make_big_workshop(process, groups: int):
    workshop = WorkshopFactory(process=process, status=WorkshopStatus.OPEN)
    questions = [QuestionFactory(workshop=workshop, number=n) for n in (1, 2, 3, 4)]
    made = [GroupFactory(workshop=workshop, number=n) for n in range(1, groups + 1)]
    Answer.objects.bulk_create(
        Answer(
            group=group,
            question=question,
            content=[{"text": f"Svar fra {group.name}", "why": "fordi"}] * 3,
            version=1,
        )
        for group in made
        for question in questions
    )
    return workshop


@pytest.mark.parametrize("size", [5, 200])
def test_wall_and_progress_run_the_same_number_of_queries_for_5_and_200_groups(
    people, demo_process, size, django_assert_max_num_queries
):
    workshop = make_big_workshop(demo_process, size)
    client = logged_in(people["sekretariat"])
    # Session, user, workshop, membership, then questions, groups and answers
    # once each, whatever the number of groups.
    with django_assert_max_num_queries(8):
        html = client.get(f"/workshop/{workshop.pk}/").content.decode()
    assert html.count(">Påbegynt<") == size * 4
    with django_assert_max_num_queries(9):
        html = client.get(f"/workshop/{workshop.pk}/vegg/?sporsmal=2").content.decode()
    assert html.count("Svar fra Gruppe") == size * 3
    with django_assert_max_num_queries(9):
        response = client.get(f"/workshop/{workshop.pk}/vegg/svar/?sporsmal=2")
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/workshop/{workshop.pk}/bli-med/").status_code == 200


def test_the_dashboard_links_staff_to_the_workshops(people, workshop):
    html = logged_in(people["sekretariat"]).get("/").content.decode()
    assert 'href="/workshop/"' in html
    html = logged_in(people["radsmedlem"]).get("/").content.decode()
    assert 'href="/workshop/"' not in html


def test_the_week_15_milestone_lists_its_workshop(people, workshop):
    url = f"/tidslinje/{workshop.process.slug}/milepel/{workshop.milestone_id}/"
    html = logged_in(people["sekretariat"]).get(url).content.decode()
    assert f'href="/workshop/{workshop.pk}/">{workshop.title}</a>' in html
    html = Client().get(url).content.decode()
    assert workshop.title in html and f'href="/workshop/{workshop.pk}/"' not in html
