"""The seed's findings so far («Noen funn så langt») and the sources it cites."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from findings.models import (
    Finding,
    FindingsSummary,
    ItemTag,
    Source,
    SourceKind,
    SourceStatus,
)
from mipr.models import Process
from timeline.models import Deliverable, Milestone
from workshops.models import Answer

FINDINGS = [
    "Tillit og samarbeid",
    "Bygge ny identitet",
    "Vi skal gjøre kommunene gode",
    "«Det beste av to verdener»",
]

SOURCES = [
    {
        "kind": SourceKind.REPORT,
        "title": "Evaluering av kommunenes næringsutviklingsarbeid (KS og NHO, 2021)",
        "date": datetime.date(2021, 1, 1),
        "status": SourceStatus.DONE,
        "says": (
            "Kommuner som har en bred innfallsvinkel til næringsutviklingsarbeidet "
            "på tvers av kommunale sektorer, lykkes i arbeidet."
        ),
    },
    {
        "kind": SourceKind.REPORT,
        "title": "Partnerskap for radikal innovasjon (KS)",
        "status": SourceStatus.DONE,
        "says": (
            "Samfunnet står overfor store utfordringer som den enkelte kommune "
            "ikke kan løse alene."
        ),
    },
    {
        "kind": SourceKind.INTERVIEW,
        "title": "Intervju med næringsforeningen",
        "status": SourceStatus.IN_PROGRESS,
        "notes": "Demo: fordelt til arbeidsgruppen.",
        "assigned": "arbeidsgruppe",
    },
]

# (finding number, group number, question number, item index): demo tags on the
# workshop demo's example answers.
TAGS = [
    (1, 1, 1, 2),  # Beredskap: vi må stå sammen
    (1, 3, 2, 0),  # Felles næringsforum
    (3, 1, 1, 1),  # Kommuneøkonomien
    (2, 2, 1, 0),  # Boliger for unge
    (4, 2, 1, 1),  # Klima og natur
]

# Which findings each source supports: (finding number, source index).
CITES = [(1, 1), (3, 0), (2, 2)]


@transaction.atomic
def load(process: Process) -> list[Finding]:
    findings = []
    for order, title in enumerate(FINDINGS, start=1):
        finding, _created = Finding.objects.get_or_create(
            process=process, title=title, defaults={"order": order}
        )
        findings.append(finding)
    sources = []
    users = get_user_model().objects
    for spec in SOURCES:
        spec = dict(spec)
        assigned = spec.pop("assigned", None)
        source, _created = Source.objects.get_or_create(
            process=process,
            title=spec.pop("title"),
            defaults={
                **spec,
                "assigned_to": users.filter(username=assigned).first()
                if assigned
                else None,
            },
        )
        sources.append(source)
    for finding_number, source_index in CITES:
        findings[finding_number - 1].sources.add(sources[source_index])
    for finding_number, group_number, question_number, slot in TAGS:
        answer = Answer.objects.filter(
            question__workshop__process=process,
            group__number=group_number,
            question__number=question_number,
        ).first()
        if answer is not None:
            ItemTag.objects.get_or_create(
                finding=findings[finding_number - 1], answer=answer, slot=slot
            )
    FindingsSummary.objects.get_or_create(
        process=process,
        defaults={
            "milestone": Milestone.objects.filter(
                process=process, deliverable=Deliverable.FINDINGS
            ).first()
        },
    )
    return findings
