import pytest


@pytest.fixture
def workshop(demo_process):
    """The seed's workshop: four questions, five groups, three example answers."""
    from demo import plan
    from demo import workshop as demo_workshop

    plan.load(demo_process)
    return demo_workshop.load(demo_process)


@pytest.fixture
def groups(workshop):
    return {group.number: group for group in workshop.groups.all()}


@pytest.fixture
def questions(workshop):
    return {question.number: question for question in workshop.questions.all()}
