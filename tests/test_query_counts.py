"""Every page runs as many queries on a big process as on the small demo.

The demo (five groups, four questions, three answers, ten milestones, two
comments) and a generated process with several times as much of everything
(`manage.py generate_load_data`) are built once for the module. Each page is
opened on both by the same role, and the generated process's page may not run
more queries than the demo's: a count that grows with the data is an N+1.

The pages whose own tests already bound their count (the plan, the dashboard,
the workshop's progress and wall, the participant's pages, the findings' views
and the reading page) are left to those tests.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from demo import document as document_demo
from demo import evidence as evidence_demo
from demo import generated as loaddata
from demo import plan as plan_demo
from demo import workshop as workshop_demo
from demo.process import load_process
from strategy import writing
from strategy.models import PdfExport, Version
from strategy.pdf import render as pdf
from timeline.models import Deliverable

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"
SIZES = loaddata.Sizes(processes=2, groups=20, answers=200, comments=150, milestones=40)


def _references(process, users: dict) -> dict:
    """What the URLs of one process need, and who opens them."""
    workshop = process.workshops.get()
    strategy = process.strategies.get()
    newest = strategy.versions.order_by("-number").first()
    review = strategy.versions.get(number=2)
    export = PdfExport.objects.create(
        version=review,
        fingerprint=pdf.fingerprint(review, with_comments=False),
    )
    return {
        "users": users,
        "slug": process.slug,
        "milestone": process.milestones.get(deliverable=Deliverable.WORKSHOP).pk,
        "workshop": workshop.pk,
        "group": workshop.groups.get(number=1).pk,
        "question": workshop.questions.get(number=1).pk,
        "newest": newest.number,
        "section": newest.sections.order_by("order").first().pk,
        "finding": process.findings.order_by("order").first().pk,
        "source": process.sources.order_by("pk").first().pk,
        "export": export.pk,
    }


@pytest.fixture(scope="module")
def _data(django_db_setup, django_db_blocker):
    """The demo with a third version (a working draft, as the generated newest
    process has), and the generated processes; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=[MD5]):
            demo = load_process()
            plan_demo.load(demo)
            workshop_demo.load(demo)
            evidence_demo.load(demo)
            strategy = document_demo.load_strategy(demo)
            User = get_user_model()
            sara = User.objects.get(username="sekretariat")
            writing.version_new(previous=strategy.versions.get(number=2), by=sara)
            loaddata.generate(sizes=SIZES, seed=7)
        big = loaddata.generated_processes().order_by("-year").first()
        yield {
            "demo": _references(
                demo,
                {role: role for role in ("sekretariat", "arbeidsgruppe", "radsmedlem")},
            ),
            "big": _references(
                big,
                loaddata.describe()["users"],
            ),
        }
        transaction.set_rollback(True)


@pytest.fixture
def data(_data, db):
    return _data


# (who, address). None as who: an anonymous visitor.
PAGES = [
    (None, "/tidslinje/{slug}/milepel/{milestone}/"),
    ("sekretariat", "/tidslinje/{slug}/milepel/{milestone}/"),
    (None, "/tidslinje/{slug}/kalender.ics"),
    (None, "/tidslinje/{slug}/plan.csv"),
    ("sekretariat", "/tidslinje/{slug}/milepel/ny/"),
    ("sekretariat", "/tidslinje/{slug}/milepel/{milestone}/endre/"),
    ("sekretariat", "/tidslinje/{slug}/milepel/{milestone}/slett/"),
    ("sekretariat", "/workshop/"),
    ("sekretariat", "/workshop/ny/"),
    ("sekretariat", "/workshop/{workshop}/endre/"),
    ("sekretariat", "/workshop/{workshop}/sporsmal/ny/"),
    ("sekretariat", "/workshop/{workshop}/sporsmal/{question}/"),
    ("sekretariat", "/workshop/{workshop}/gruppe/ny/"),
    ("sekretariat", "/workshop/{workshop}/gruppe/{group}/"),
    ("sekretariat", "/workshop/{workshop}/gruppe/{group}/qr.svg"),
    ("sekretariat", "/workshop/{workshop}/svar.csv"),
    ("sekretariat", "/workshop/{workshop}/svar.xlsx"),
    ("radsmedlem", "/strategi/"),
    ("sekretariat", "/strategi/"),
    ("radsmedlem", "/strategi/{slug}/endringer/?fra=1&til=2"),
    ("sekretariat", "/strategi/{slug}/endringer/?fra=2&til={newest}"),
    ("sekretariat", "/strategi/{slug}/versjon/{newest}/"),
    ("sekretariat", "/strategi/{slug}/versjon/2/lesere/"),
    ("sekretariat", "/strategi/{slug}/versjon/2/vedta/"),
    ("radsmedlem", "/profil/"),
    ("sekretariat", "/strategi/{slug}/versjon/{newest}/seksjon/{section}/"),
    ("sekretariat", "/strategi/{slug}/versjon/{newest}/seksjon/{section}/historikk/"),
    ("radsmedlem", "/strategi/{slug}/pdf/{export}/"),
    ("radsmedlem", "/strategi/{slug}/pdf/{export}/status/"),
    ("arbeidsgruppe", "/strategi/{slug}/funn/ny/"),
    ("arbeidsgruppe", "/strategi/{slug}/funn/{finding}/"),
    ("arbeidsgruppe", "/strategi/{slug}/funn/{finding}/slett/"),
    ("arbeidsgruppe", "/strategi/{slug}/funn/slaa-sammen/"),
    ("arbeidsgruppe", "/strategi/{slug}/funn/funn.xlsx"),
    ("arbeidsgruppe", "/strategi/{slug}/kilder/"),
    ("arbeidsgruppe", "/strategi/{slug}/kilder/?mine=1"),
    ("arbeidsgruppe", "/strategi/{slug}/kilder/ny/"),
    ("arbeidsgruppe", "/strategi/{slug}/kilder/{source}/"),
]


def _queries(references: dict, who: str | None, address: str) -> tuple[int, int]:
    """The page's status and its number of queries."""
    client = Client()
    if who is not None:
        username = references["users"][who]
        client.force_login(get_user_model().objects.get(username=username))
    url = address.format(**references)
    client.get(url)  # the first request may fill caches (content types, ...)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


@pytest.mark.parametrize(("who", "address"), PAGES)
def test_the_page_runs_no_more_queries_on_a_big_process_than_on_the_demo(
    data, who, address
):
    demo_status, demo_queries = _queries(data["demo"], who, address)
    big_status, big_queries = _queries(data["big"], who, address)
    assert demo_status == big_status == 200
    assert big_queries <= demo_queries, (
        f"{address} as {who or 'anonymous'}: {demo_queries} queries on the demo, "
        f"{big_queries} on the big process"
    )


def test_the_big_process_is_bigger_than_the_demo(data):
    """Else the comparison above proves nothing."""
    demo = data["demo"]["slug"]
    big = data["big"]["slug"]

    def sizes(slug):
        version = Version.objects.get(strategy__process__slug=slug, number=2)
        return {
            "milestones": loaddata.Milestone.objects.filter(process__slug=slug).count(),
            "groups": loaddata.Group.objects.filter(
                workshop__process__slug=slug
            ).count(),
            "answers": loaddata.Answer.objects.filter(
                question__workshop__process__slug=slug
            ).count(),
            "comments": loaddata.Comment.objects.filter(
                section__version=version
            ).count(),
            "findings": loaddata.Finding.objects.filter(process__slug=slug).count(),
        }

    small, large = sizes(demo), sizes(big)
    for name, count in small.items():
        assert large[name] >= 2 * count, (name, small, large)
