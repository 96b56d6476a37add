"""The seed's «Fremdriftsplan», verbatim, in 2025."""

from django.db import transaction

from mipr.models import Process
from timeline.models import Deliverable, Milestone, Status

# who, what, start week, end week, responsible, deliverable, status on 11 April
SEED_MILESTONES = [
    ("Arbeidsgruppen", "Forventninger, mål og arbeidsfordeling", 9, 9, "koordinator",
     Deliverable.NONE, Status.DONE),
    ("Hente inn data", "Rapporter og intervju/dialog interessenter, etter fordeling",
     9, 19, "hele gruppen", Deliverable.NONE, Status.IN_PROGRESS),
    ("Regionrådet", "Workshop", 15, 15, "leder, koordinator",
     Deliverable.WORKSHOP, Status.PLANNED),
    ("Arbeidsgruppen", "Oppsummerer funn, 4-5 slides", 20, 20, "hele gruppen",
     Deliverable.FINDINGS, Status.PLANNED),
    ("Regionrådet", "Status og brukere", 24, 24, "leder, koordinator",
     Deliverable.NONE, Status.PLANNED),
    ("Bearbeide funn og utarbeide første utkast", "Innspill på utkastet", 25, 35,
     "koordinator (og hele gruppen)", Deliverable.DRAFT, Status.PLANNED),
    ("Arbeidsgruppen", "Gjennomgang utkast", 36, 36, "hele gruppen",
     Deliverable.NONE, Status.PLANNED),
    ("MIPR-sekretariatet", "Presentasjon utkast", 38, 38,
     "koordinator (og hele gruppen)", Deliverable.DRAFT, Status.PLANNED),
    ("Regionrådet", "Presentere utkast", 42, 42, "leder, koordinator",
     Deliverable.DRAFT, Status.PLANNED),
    ("Rep.skap", "Vedta endelig strategi", 49, 49, "leder",
     Deliverable.STRATEGY, Status.PLANNED),
]  # fmt: skip


@transaction.atomic
def load(process: Process) -> None:
    for order, (who, what, start, end, responsible, deliverable, status) in enumerate(
        SEED_MILESTONES, start=1
    ):
        Milestone.objects.get_or_create(
            process=process,
            who=who,
            what=what,
            defaults={
                "start_year": process.year,
                "start_week": start,
                "end_year": process.year,
                "end_week": end,
                "responsible": responsible,
                "deliverable": deliverable,
                "status": status,
                "order": order,
            },
        )
