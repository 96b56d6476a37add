"""Finding the demo's findings and answers by what people call them."""

from workshops.models import Answer


def finding(mipr, title):
    return mipr.findings.get(title=title)


def answer(mipr, group, question):
    return Answer.objects.get(
        question__workshop__process=mipr,
        group__number=group,
        question__number=question,
    )
