import factory

from tests.factories import ProcessFactory
from timeline.models import Milestone


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    process = factory.SubFactory(ProcessFactory)
    who = "Arbeidsgruppen"
    what = factory.Sequence(lambda n: f"Milepæl {n}")
    start_year = 2025
    start_week = 15
    end_year = factory.SelfAttribute("start_year")
    end_week = factory.SelfAttribute("start_week")
    responsible = "koordinator"
    order = factory.Sequence(lambda n: n)
