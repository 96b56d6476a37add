"""The «mini»-workshop of 11 April 2025, from the seed: questions verbatim."""

import datetime

from django.db import transaction
from django.utils import timezone

from mipr.models import Process
from timeline.models import Milestone
from workshops.models import (
    Answer,
    Group,
    Question,
    ShapeKind,
    Workshop,
    WorkshopStatus,
)

TITLE = "Mini-workshop, Regionrådet 11. april 2025"

QUESTIONS = [
    {
        "number": 1,
        "title": "Store samfunnsutfordringer",
        "prompt": (
            "Se for deg at du er leder av et annet regionråd her på Østlandet. Du "
            "tar en titt mot Mosseregionen.\n\n"
            "Hvilke tre konkrete samfunnsutfordringer bør MIPR prioritere for å "
            "skape en bærekraftig, attraktiv og konkurransedyktig region, og hvorfor?"
        ),
        "kind": ShapeKind.ITEMS,
        "item_count": 3,
    },
    {
        "number": 2,
        "title": "Samarbeid med næringslivet",
        "prompt": (
            "Norske kommuner er inni i en krevende tid, økonomisk.\n\n"
            "Hvordan kan MIPR (og kommunene) jobbe sammen med næringslivet for å "
            "løse samfunnsutfordringene? Utarbeid tre konkrete forslag til tiltak."
        ),
        "kind": ShapeKind.ITEMS,
        "item_count": 3,
    },
    {
        "number": 3,
        "title": "Samarbeid mellom kommunene",
        "prompt": (
            "Samarbeid og tillit er viktig for å lykkes med utvikling og "
            "nytenkning.\n\n"
            "Hvordan kan vi styrke samarbeidet mellom kommunene for å skape en mer "
            "slagkraftig region? Nevnt tre konkrete tiltak."
        ),
        "kind": ShapeKind.ITEMS,
        "item_count": 3,
    },
    {
        "number": 4,
        "title": (
            "Attraktivt sted å bo og jobbe, tiltrekke seg flere bedrifter og styrke "
            "eksisterende næringsliv"
        ),
        "prompt": "",
        "kind": ShapeKind.PARTS,
        "parts": [
            {
                "label": "A",
                "prompt": (
                    "Hva mener du skal til for at Mosseregionen blir et enda mer "
                    "attraktivt sted å bo og jobbe, både for unge, familier og "
                    "arbeidstakere, og hvorfor?"
                ),
            },
            {
                "label": "B",
                "prompt": (
                    "Hvilke tiltak bør prioriteres for å sikre at regionen tiltrekker "
                    "seg nye bedrifter og styrker eksisterende næringsliv, og hvorfor?"
                ),
            },
        ],
    },
]

GROUPS = [
    "Simen, Ivar, Kjerstin F. og Marianne B.",
    "Reidar, Sjur, Irene og Ingolf",
    "Tom Anders, Inger og Steinar",
    "Rene, Silje H., Åshild F. og Solveig H.O.",
    "Vibeke R., Michael, Kjersti A, Vibeke A. og Yngvar",
]

# Example answers (made up for the demo, not from the seed), so that the
# projector wall has something to show: (group, question, editor, slots).
EXAMPLE_ANSWERS = [
    (1, 1, "Simen", [
        ("Lav arbeidsdeltakelse", "For mange står utenfor arbeidslivet."),
        ("Kommuneøkonomien", "Kapasiteten til de lovpålagte oppgavene er presset."),
        ("Beredskap", "Verden er i dramatisk endring, og vi må stå sammen."),
    ]),
    (2, 1, "Irene", [
        ("Boliger for unge", "Unge flytter når de ikke finner noe å bo i."),
        ("Klima og natur", "Jordas tåleevne setter rammer for veksten."),
        ("", ""),
    ]),
    (3, 2, "Inger", [
        ("Felles næringsforum", "Næringslivet og kommunene møtes for sjelden."),
        ("", ""),
        ("", ""),
    ]),
]  # fmt: skip


@transaction.atomic
def load(process: Process) -> Workshop:
    workshop, _created = Workshop.objects.get_or_create(
        process=process,
        title=TITLE,
        defaults={
            "date": datetime.date(2025, 4, 11),
            "status": WorkshopStatus.OPEN,
            "milestone": Milestone.objects.filter(
                process=process, what="Workshop", start_week=15
            ).first(),
        },
    )
    questions = {}
    for spec in QUESTIONS:
        questions[spec["number"]], _ = Question.objects.get_or_create(
            workshop=workshop, number=spec["number"], defaults=spec
        )
    groups = {}
    for number, members in enumerate(GROUPS, start=1):
        groups[number], _ = Group.objects.get_or_create(
            workshop=workshop,
            number=number,
            defaults={"name": f"Gruppe {number}", "members": members},
        )
    for group_number, question_number, editor, slots in EXAMPLE_ANSWERS:
        Answer.objects.get_or_create(
            group=groups[group_number],
            question=questions[question_number],
            defaults={
                "content": [{"text": text, "why": why} for text, why in slots],
                "edited_by": editor,
                "edited_at": timezone.now(),
            },
        )
    return workshop
