"""The seed's «Fremdriftsplan» (demo/seed/, the slide of that name), in 2025.

Its columns are Arbeidsform, Innhold and «Tidspunkt, ansvarlig»: each row here
is the first two verbatim, then the weeks and who is responsible. Only the
abbreviation «Rep.skap» is written out. tests/timeline/test_seed_mapping.py
checks every row against the seed's text.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mipr.models import Process
from timeline.models import Deliverable, Milestone, Status

# Arbeidsform (Milestone.who), Innhold (.what), start week, end week,
# ansvarlig (.responsible), deliverable, status on 11 April 2025
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
    ("Representantskapet", "Vedta endelig strategi", 49, 49, "leder",
     Deliverable.STRATEGY, Status.PLANNED),
]  # fmt: skip


# What earlier versions of this demo wrote, and what the seed means by it.
FORMER_SPELLINGS = {"Rep.skap": "Representantskapet"}


@transaction.atomic
def load(process: Process) -> None:
    for former, meant in FORMER_SPELLINGS.items():
        # A database loaded before keeps its rows (and their edits) but is
        # corrected, rather than getting the row a second time.
        process.milestones.filter(who=former).update(
            who=meant, version=F("version") + 1, updated_at=timezone.now()
        )
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
