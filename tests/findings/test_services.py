import pytest

from findings import services
from findings.models import Finding, ItemTag
from mipr.conflicts import Stale
from mipr.errors import NotFound
from tests.findings.helpers import answer, finding
from tests.workshops.factories import GroupFactory, QuestionFactory, WorkshopFactory
from workshops.models import Answer

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_seeds_four_findings_in_order_with_sources(mipr):
    assert [f.title for f in mipr.findings.all()] == [
        "Tillit og samarbeid",
        "Bygge ny identitet",
        "Vi skal gjøre kommunene gode",
        "«Det beste av to verdener»",
    ]
    titles = set(mipr.sources.values_list("title", flat=True))
    assert "Partnerskap for radikal innovasjon (KS)" in titles
    assert any("KS og NHO, 2021" in title for title in titles)
    interview = mipr.sources.get(kind="interview")
    assert interview.assigned_to.username == "arbeidsgruppe"


def test_loading_the_demo_twice_changes_nothing(mipr):
    from demo import evidence as demo

    before = (Finding.objects.count(), ItemTag.objects.count(), mipr.sources.count())
    demo.load(mipr)
    assert (
        Finding.objects.count(),
        ItemTag.objects.count(),
        mipr.sources.count(),
    ) == before


def test_tagging_sets_exactly_the_chosen_findings(mipr):
    trust = finding(mipr, "Tillit og samarbeid")
    good = finding(mipr, "Vi skal gjøre kommunene gode")
    item = answer(mipr, 1, 1)
    services.item_set_findings(answer=item, slot=1, findings=[trust, good])
    services.item_set_findings(answer=item, slot=1, findings=[trust])
    assert list(
        ItemTag.objects.filter(answer=item, slot=1).values_list("finding", flat=True)
    ) == [trust.pk]


def test_items_and_findings_of_another_process_are_refused(mipr):
    other_workshop = WorkshopFactory()
    other_question = QuestionFactory(workshop=other_workshop)
    other_group = GroupFactory(workshop=other_workshop)
    foreign_answer = Answer.objects.create(
        group=other_group, question=other_question, content=[{"text": "x"}]
    )
    foreign_finding = Finding.objects.create(process=other_workshop.process, title="X")
    before = ItemTag.objects.count()
    with pytest.raises(NotFound):
        services.answer_for_process(process=mipr, answer_id=foreign_answer.pk, slot=0)
    with pytest.raises(NotFound):
        services.answer_for_process(
            process=mipr, answer_id=answer(mipr, 1, 1).pk, slot=3
        )
    with pytest.raises(NotFound):
        services.item_set_findings(
            answer=answer(mipr, 1, 1), slot=0, findings=[foreign_finding]
        )
    assert ItemTag.objects.count() == before


def test_merging_keeps_every_tag_and_source(mipr):
    trust = finding(mipr, "Tillit og samarbeid")
    good = finding(mipr, "Vi skal gjøre kommunene gode")
    shared_item = answer(mipr, 1, 1)
    services.item_set_findings(answer=shared_item, slot=2, findings=[trust, good])
    items = lambda f: set(f.tags.values_list("answer_id", "slot"))  # noqa: E731
    expected = items(trust) | items(good)
    sources = set(trust.sources.all()) | set(good.sources.all())
    services.finding_merge(into=trust, others=[good])
    assert not Finding.objects.filter(pk=good.pk).exists()
    assert items(trust) == expected
    assert set(trust.sources.all()) == sources


def test_a_merge_across_processes_is_refused(mipr):
    foreign = Finding.objects.create(process=WorkshopFactory().process, title="X")
    with pytest.raises(NotFound):
        services.finding_merge(
            into=finding(mipr, "Tillit og samarbeid"), others=[foreign]
        )
    assert Finding.objects.filter(pk=foreign.pk).exists()


def test_a_stale_finding_edit_is_not_saved_silently(mipr):
    trust = finding(mipr, "Tillit og samarbeid")
    services.finding_update(
        finding=trust,
        version=trust.version,
        title="Tillit",
        description="A",
        sources=[],
    )
    with pytest.raises(Stale) as stale:
        services.finding_update(
            finding=trust,
            version=trust.version,
            title="Samarbeid",
            description="B",
            sources=[],
        )
    assert stale.value.current.title == "Tillit"
    trust.refresh_from_db()
    assert trust.title == "Tillit"


def test_findings_move_up_and_down(mipr):
    third = finding(mipr, "Vi skal gjøre kommunene gode")
    services.finding_move(finding=third, direction=-1)
    assert [f.title for f in mipr.findings.all()][1] == "Vi skal gjøre kommunene gode"
    first = mipr.findings.first()
    services.finding_move(finding=first, direction=-1)  # already at the top
    assert mipr.findings.first() == first
