import datetime

import factory

from tests.factories import ProcessFactory
from workshops.models import Group, Question, Workshop


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    date = datetime.date(2025, 4, 11)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    workshop = factory.SubFactory(WorkshopFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Spørsmål {n + 1}")
    prompt = "Hva mener dere?"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    workshop = factory.SubFactory(WorkshopFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda group: f"Gruppe {group.number}")
    members = "Kari, Ola"
