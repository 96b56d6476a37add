"""When every answer is submitted, the group's page says «Gruppen er ferdig»
and shows all the answers to read, each with «Trekk tilbake» while open."""

import pytest
from django.test import Client

from tests.helpers import join
from workshops import services
from workshops.models import Answer, WorkshopStatus

pytestmark = pytest.mark.django_db


def _submit_all(group, questions, *, skip=()):
    for question in questions.values():
        if question.number in skip:
            continue
        answer = Answer.objects.filter(group=group, question=question).first()
        content = [
            {"text": f"Svar {question.number}.{index + 1}", "why": "Fordi det trengs"}
            for index in range(len(question.slots))
        ]
        services.answer_save(
            group=group,
            question=question,
            content=content,
            version=answer.version if answer else 0,
            editor="Irene",
        )
        services.answer_submit(group=group, question=question, editor="Irene")


@pytest.fixture
def irene(client, groups):
    join(client, groups[3], "Irene")
    return client


def _main(client, group) -> str:
    response = client.get(f"/delta/gruppe/{group.pk}/")
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1]


def test_a_group_with_every_answer_submitted_is_finished_and_reads_them_all(
    irene, groups, questions
):
    _submit_all(groups[3], questions)
    html = _main(irene, groups[3])
    assert "Gruppen er ferdig" in html
    for question in questions.values():
        assert f"{question.number}. {question.title}" in html
        for index in range(len(question.slots)):
            assert f"Svar {question.number}.{index + 1}" in html
    assert "Levert kl." in html and "av Irene" in html
    assert "<textarea" not in html
    # «Trekk tilbake» for each answer, posting to its answer page.
    for question in questions.values():
        action = f'action="/delta/gruppe/{groups[3].pk}/{question.number}/"'
        assert action in html
        assert f"leveringen av spørsmål {question.number}" in html
    assert html.count('value="withdraw"') == len(questions)


def test_one_answer_left_is_not_finished(irene, groups, questions):
    _submit_all(groups[3], questions, skip={4})
    html = _main(irene, groups[3])
    assert "Gruppen er ferdig" not in html
    assert "Spørsmålene" in html and 'value="withdraw"' not in html


def test_taking_one_back_from_the_finished_page_reopens_it(irene, groups, questions):
    _submit_all(groups[3], questions)
    response = irene.post(
        f"/delta/gruppe/{groups[3].pk}/2/", {"action": "withdraw"}, follow=True
    )
    assert "Leveringen er trukket tilbake" in response.content.decode()
    assert not Answer.objects.get(group=groups[3], question=questions[2]).is_submitted
    assert "Gruppen er ferdig" not in _main(irene, groups[3])


def test_a_closed_workshop_shows_the_finished_answers_without_taking_back(
    irene, workshop, groups, questions
):
    _submit_all(groups[3], questions)
    services.workshop_set_status(workshop=workshop, status=WorkshopStatus.CLOSED)
    html = _main(irene, groups[3])
    assert "Gruppen er ferdig" in html and "Svar 1.1" in html
    assert 'value="withdraw"' not in html
    response = irene.post(f"/delta/gruppe/{groups[3].pk}/2/", {"action": "withdraw"})
    assert response.status_code == 302
    assert Answer.objects.get(group=groups[3], question=questions[2]).is_submitted


def test_another_groups_finished_answers_stay_hidden(irene, groups, questions):
    _submit_all(groups[4], questions)
    response = irene.get(f"/delta/gruppe/{groups[4].pk}/")
    assert response.status_code == 404
    assert "Svar 1.1" not in response.content.decode()
    outsider = Client()
    assert outsider.get(f"/delta/gruppe/{groups[4].pk}/").status_code == 404
    response = irene.post(f"/delta/gruppe/{groups[4].pk}/2/", {"action": "withdraw"})
    assert response.status_code == 404
    assert Answer.objects.get(group=groups[4], question=questions[2]).is_submitted


def test_the_finished_page_runs_a_fixed_number_of_queries(
    irene, groups, questions, django_assert_max_num_queries
):
    _submit_all(groups[3], questions)
    # The session, the group with its workshop, the questions, the answers: the
    # same four however many questions and answers there are.
    with django_assert_max_num_queries(4):
        html = _main(irene, groups[3])
    assert "Gruppen er ferdig" in html
