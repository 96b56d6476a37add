"""An installation filled under the old layout (findings inside the strategy
app) migrates forward with every finding, tag, source and citation intact.

The database is taken back to the migrations of that layout, filled through
the historical models of the time, then migrated forward again.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The newest migration of each app before the findings app existed (and of the
# contrib apps the fill uses, whose state it needs).
OLD_LAYOUT = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("mipr", "0002_audit_log"),
    ("timeline", "0001_initial"),
    ("workshops", "0002_answer_submitted_by"),
    ("strategy", "0003_pdf_export"),
    ("findings", None),  # not there yet
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _fill_old_layout(apps) -> dict:
    """What an installation of the old layout held, through its own models."""
    User = apps.get_model("auth", "User")
    Process = apps.get_model("mipr", "Process")
    AuditEntry = apps.get_model("mipr", "AuditEntry")
    Milestone = apps.get_model("timeline", "Milestone")
    Workshop = apps.get_model("workshops", "Workshop")
    Question = apps.get_model("workshops", "Question")
    Group = apps.get_model("workshops", "Group")
    Answer = apps.get_model("workshops", "Answer")
    Source = apps.get_model("strategy", "Source")
    Finding = apps.get_model("strategy", "Finding")
    ItemTag = apps.get_model("strategy", "ItemTag")
    FindingsSummary = apps.get_model("strategy", "FindingsSummary")
    Strategy = apps.get_model("strategy", "Strategy")
    Version = apps.get_model("strategy", "Version")
    Section = apps.get_model("strategy", "Section")
    SectionItem = apps.get_model("strategy", "SectionItem")
    ContentType = apps.get_model("contenttypes", "ContentType")

    # The content types of the time: the findings models under "strategy".
    ContentType.objects.filter(app_label="findings").delete()
    for model in ("finding", "source", "itemtag", "findingssummary"):
        ContentType.objects.get_or_create(app_label="strategy", model=model)

    arne = User.objects.create(username="arne-gammel")
    process = Process.objects.create(
        slug="gammel-2026-2029",
        name="Gammel prosess",
        council="Gammelt råd",
        council_short="GR",
        period_start=2026,
        period_end=2029,
        year=2025,
    )
    milestone = Milestone.objects.create(
        process=process,
        who="Arbeidsgruppen",
        what="Oppsummerer funn",
        start_year=2025,
        start_week=20,
        end_year=2025,
        end_week=20,
        deliverable="findings",
    )
    workshop = Workshop.objects.create(process=process, title="W", date="2025-04-11")
    question = Question.objects.create(
        workshop=workshop, number=1, title="Q", prompt="?", item_count=3
    )
    group = Group.objects.create(workshop=workshop, number=1, name="Gruppe 1")
    answer = Answer.objects.create(
        group=group,
        question=question,
        content=[
            {"text": "Tillit", "why": "Vi må stå sammen."},
            {"text": "Boliger", "why": ""},
            {"text": "", "why": ""},
        ],
    )
    report = Source.objects.create(
        process=process, title="Rapport fra KS", says="Sammen er vi sterkere."
    )
    interview = Source.objects.create(
        process=process, kind="interview", title="Intervju", assigned_to=arne
    )
    trust = Finding.objects.create(process=process, title="Tillit", order=1)
    homes = Finding.objects.create(process=process, title="Boliger", order=2)
    trust.sources.add(report, interview)
    ItemTag.objects.create(finding=trust, answer=answer, slot=0)
    ItemTag.objects.create(finding=homes, answer=answer, slot=1)
    FindingsSummary.objects.create(process=process, milestone=milestone)
    strategy = Strategy.objects.create(process=process, title="Strategi")
    version = Version.objects.create(strategy=strategy, number=1, created_by=arne)
    section = Section.objects.create(version=version, order=1, heading="Formål")
    section.findings.add(trust)
    section.sources.add(report)
    SectionItem.objects.create(section=section, answer=answer, slot=0)
    AuditEntry.objects.create(
        process=process,
        action="created",
        model="strategy.finding",
        object_id=str(trust.pk),
        object_repr="Tillit",
        at="2025-05-01T10:00:00Z",
    )
    return {
        "trust": trust.pk,
        "homes": homes.pk,
        "report": report.pk,
        "interview": interview.pk,
        "answer": answer.pk,
        "section": section.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_findings_tags_sources_and_citations_survive_the_move():
    latest = _latest()
    try:
        executor = _migrate(OLD_LAYOUT)
        old_apps = executor.loader.project_state(
            [target for target in OLD_LAYOUT if target[1]]
        ).apps
        ids = _fill_old_layout(old_apps)
        _migrate(latest)
    except BaseException:
        _migrate(latest)
        raise

    from django.contrib.contenttypes.models import ContentType

    from findings.models import Finding, FindingsSummary, ItemTag, Source
    from mipr.models import AuditEntry
    from strategy.models import Section

    trust = Finding.objects.get(pk=ids["trust"])
    assert (trust.title, trust.process.slug) == ("Tillit", "gammel-2026-2029")
    assert sorted(trust.sources.values_list("pk", flat=True)) == sorted(
        [ids["report"], ids["interview"]]
    )
    assert Source.objects.get(pk=ids["interview"]).assigned_to.username == (
        "arne-gammel"
    )
    assert Source.objects.get(pk=ids["report"]).says == "Sammen er vi sterkere."
    assert sorted(
        ItemTag.objects.filter(answer_id=ids["answer"]).values_list(
            "finding_id", "slot"
        )
    ) == sorted([(ids["trust"], 0), (ids["homes"], 1)])
    summary = FindingsSummary.objects.get(process=trust.process)
    assert summary.milestone.what == "Oppsummerer funn"

    # The strategy's citations point at the same rows, now in the findings app.
    section = Section.objects.get(pk=ids["section"])
    assert list(section.findings.all()) == [trust]
    assert list(section.sources.values_list("pk", flat=True)) == [ids["report"]]
    assert list(section.items.values_list("answer_id", "slot")) == [(ids["answer"], 0)]
    assert list(trust.sections.all()) == [section]

    # The tables have the app's names; the content types and the audit log
    # name the models by their new label.
    tables = connection.introspection.table_names()
    assert "findings_finding" in tables and "strategy_finding" not in tables
    assert "findings_finding_sources" in tables
    assert not ContentType.objects.filter(app_label="strategy", model="finding")
    assert ContentType.objects.get_for_model(Finding).app_label == "findings"
    entry = AuditEntry.objects.get(object_id=str(ids["trust"]))
    assert entry.model == "findings.finding" and entry.kind == "funn"


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_to_the_old_layout():
    latest = _latest()
    try:
        _migrate(OLD_LAYOUT)
        tables = connection.introspection.table_names()
        assert "strategy_finding" in tables and "findings_finding" not in tables
    finally:
        _migrate(latest)
    assert "findings_finding" in connection.introspection.table_names()
