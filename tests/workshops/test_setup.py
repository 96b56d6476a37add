"""The secretariat sets up a workshop: its questions with their shapes, its groups."""

import pytest
from django.test import Client

from tests.workshops.factories import WorkshopFactory
from workshops import services
from workshops.models import Question, ShapeKind, Workshop, WorkshopStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(people):
    client = Client()
    client.force_login(people["sekretariat"])
    return client


def test_the_secretariat_creates_a_workshop_as_a_draft(secretariat, demo_process):
    from timeline.models import Milestone

    milestone = Milestone.objects.filter(process=demo_process).first()
    response = secretariat.post(
        "/workshop/ny/",
        {
            "process": demo_process.pk,
            "title": "Workshop 2",
            "date": "2025-09-05",
            "place": "Moss rådhus",
            "milestone": milestone.pk if milestone else "",
        },
    )
    workshop = Workshop.objects.get(title="Workshop 2")
    assert response["Location"] == f"/workshop/{workshop.pk}/"
    assert workshop.status == WorkshopStatus.DRAFT
    assert workshop.process == demo_process


def test_a_workshop_cannot_be_made_in_or_linked_to_another_process(
    secretariat, people, workshop
):
    other = WorkshopFactory()
    response = secretariat.post(
        "/workshop/ny/",
        {"process": other.process.pk, "title": "Inntrenger", "date": "2025-09-05"},
    )
    assert response.status_code == 200
    assert not Workshop.objects.filter(title="Inntrenger").exists()
    for persona in ("arbeidsgruppe", "radsmedlem", "outsider"):
        client = Client()
        client.force_login(people[persona])
        assert client.get("/workshop/ny/").status_code == 404


def test_the_secretariat_adds_a_question_with_three_items(secretariat, workshop):
    response = secretariat.post(
        f"/workshop/{workshop.pk}/sporsmal/ny/",
        {
            "number": 5,
            "title": "Oppfølging",
            "prompt": "Hva bør skje etterpå?",
            "kind": ShapeKind.ITEMS,
            "item_count": 3,
            "parts": "",
            "ask_why": "on",
        },
    )
    assert response.status_code == 302
    question = workshop.questions.get(number=5)
    assert [slot.label for slot in question.slots] == ["1", "2", "3"]


def test_the_secretariat_adds_a_question_with_named_parts(secretariat, workshop):
    secretariat.post(
        f"/workshop/{workshop.pk}/sporsmal/ny/",
        {
            "number": 6,
            "title": "To deler",
            "kind": ShapeKind.PARTS,
            "item_count": 3,
            "parts": "A: Hva fungerer?\r\n\r\nB: Hva mangler?",
        },
    )
    question = workshop.questions.get(number=6)
    assert question.parts == [
        {"label": "A", "prompt": "Hva fungerer?"},
        {"label": "B", "prompt": "Hva mangler?"},
    ]
    assert not question.ask_why


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ShapeKind.ITEMS, "item_count": 11}, "mellom 1 og 10 punkter"),
        ({"kind": ShapeKind.ITEMS, "item_count": 0}, "mellom 1 og 10 punkter"),
        ({"kind": ShapeKind.PARTS, "parts": ""}, "Oppgi 1 til 10 deler"),
        ({"kind": ShapeKind.PARTS, "parts": "A: x\nA: y"}, "Oppgi 1 til 10 deler"),
        ({"number": 1}, "Et annet spørsmål har dette nummeret"),
        ({"title": ""}, "Feltet er påkrevet"),
        ({"title": "x" * 201}, "200 eller færre tegn"),
    ],
    ids=[
        "11-items",
        "0-items",
        "no-parts",
        "same-label",
        "taken-number",
        "no-title",
        "huge-title",
    ],
)
def test_a_question_with_a_bad_shape_gets_a_message_and_is_not_saved(
    secretariat, workshop, data, message
):
    form = {"number": 7, "title": "T", "kind": ShapeKind.ITEMS, "item_count": 3}
    form.update(data)
    response = secretariat.post(f"/workshop/{workshop.pk}/sporsmal/ny/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert workshop.questions.count() == 4


def test_the_shape_of_an_answered_question_cannot_change(secretariat, workshop):
    question = workshop.questions.get(number=1)
    response = secretariat.post(
        f"/workshop/{workshop.pk}/sporsmal/{question.pk}/",
        {
            "number": 1,
            "title": "Nytt navn",
            "prompt": question.prompt,
            "kind": ShapeKind.ITEMS,
            "item_count": 1,
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title == "Nytt navn"
    assert question.item_count == 3


def test_an_answered_question_or_group_cannot_be_deleted(secretariat, workshop):
    question = workshop.questions.get(number=1)
    response = secretariat.post(
        f"/workshop/{workshop.pk}/sporsmal/{question.pk}/slett/", follow=True
    )
    assert "kan ikke slettes" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()
    group = workshop.groups.get(number=1)
    response = secretariat.post(
        f"/workshop/{workshop.pk}/gruppe/{group.pk}/slett/", follow=True
    )
    assert "kan ikke slettes" in response.content.decode()
    empty_question = workshop.questions.get(number=3)
    secretariat.post(
        f"/workshop/{workshop.pk}/sporsmal/{empty_question.pk}/slett/",
        {"confirmed": "1"},
    )
    assert not Question.objects.filter(pk=empty_question.pk).exists()


def test_the_secretariat_adds_and_edits_a_group(secretariat, workshop):
    page = secretariat.get(f"/workshop/{workshop.pk}/gruppe/ny/").content.decode()
    assert 'value="Gruppe 6"' in page
    secretariat.post(
        f"/workshop/{workshop.pk}/gruppe/ny/",
        {"number": 6, "name": "Gruppe 6", "members": "Kari og Ola"},
    )
    group = workshop.groups.get(number=6)
    assert len(group.code) == 7
    response = secretariat.post(
        f"/workshop/{workshop.pk}/gruppe/{group.pk}/",
        {"number": 1, "name": "Gruppe 6", "members": ""},
    )
    assert "En annen gruppe har dette nummeret" in response.content.decode()
    services.group_delete(group=group)
    assert workshop.groups.count() == 5


def test_only_the_secretariat_sets_up_questions_and_groups(people, workshop):
    question = workshop.questions.get(number=1)
    group = workshop.groups.get(number=1)
    urls = [
        f"/workshop/{workshop.pk}/endre/",
        f"/workshop/{workshop.pk}/sporsmal/ny/",
        f"/workshop/{workshop.pk}/sporsmal/{question.pk}/",
        f"/workshop/{workshop.pk}/gruppe/ny/",
        f"/workshop/{workshop.pk}/gruppe/{group.pk}/",
    ]
    for persona in ("arbeidsgruppe", "radsmedlem", "other_secretariat", "outsider"):
        client = Client()
        client.force_login(people[persona])
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
            assert client.post(url, {"title": "x"}).status_code == 404
        for url in [
            f"/workshop/{workshop.pk}/sporsmal/{question.pk}/slett/",
            f"/workshop/{workshop.pk}/gruppe/{group.pk}/slett/",
        ]:
            assert client.post(url).status_code == 404
    assert Client().get(urls[0]).status_code == 302
    question.refresh_from_db()
    assert question.title == "Store samfunnsutfordringer"
