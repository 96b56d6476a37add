import factory
from django.contrib.auth import get_user_model

from mipr.models import Membership, Process, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    password = factory.django.Password("riktig-hemmelig-passord")


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    slug = factory.Sequence(lambda n: f"prosess-{n}")
    name = factory.Sequence(lambda n: f"Strategi for Region {n} 2026–2029")
    council = factory.Sequence(lambda n: f"Region {n} interkommunalt politisk råd")
    council_short = factory.Sequence(lambda n: f"R{n}")
    period_start = 2026
    period_end = 2029
    year = 2025


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    process = factory.SubFactory(ProcessFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.COUNCIL_MEMBER
