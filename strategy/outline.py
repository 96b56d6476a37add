"""The outline a strategy starts from: its sections and their starting texts.

Each process has its own (the Outline model), edited by the secretariat before
it starts the strategy; the demo loads MIPR's from the seed document. A process
without one starts from DEFAULT, which says nothing about any council.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from mipr.conflicts import check_version
from mipr.errors import DomainError
from mipr.models import Process

from .models import Outline

MAX_SECTIONS = 50
MAX_TEXT = 200_000


@dataclass(frozen=True)
class OutlineSection:
    heading: str
    text: str = ""


# Headings in bokmål: they become the strategy's own section headings.
DEFAULT = [
    OutlineSection("Innledning"),
    OutlineSection("Formål"),
    OutlineSection("Situasjonen i dag"),
    OutlineSection("Utfordringer"),
    OutlineSection("Satsingsområder"),
    OutlineSection("Tiltak"),
    OutlineSection("Oppfølging og rullering"),
]


def outline_of(process: Process) -> tuple[list[OutlineSection], int]:
    """The process's outline and its version (0: the default, never saved)."""
    stored = Outline.objects.filter(process=process).first()
    if stored is None:
        return list(DEFAULT), 0
    return [OutlineSection(s["heading"], s.get("text", "")) for s in stored.sections], (
        stored.version
    )


@transaction.atomic
def outline_save(
    *, process: Process, sections: list[OutlineSection], version: int
) -> Outline:
    """Keep these sections as the process's outline, unless someone saved it
    since `version` (Stale)."""
    if not sections:
        raise DomainError(_("An outline needs at least one section."))
    if len(sections) > MAX_SECTIONS:
        raise DomainError(
            _("An outline can have at most %(max)s sections.") % {"max": MAX_SECTIONS}
        )
    stored, _created = Outline.objects.select_for_update().get_or_create(
        process=process, defaults={"version": 0}
    )
    check_version(stored, version)
    stored.sections = [{"heading": s.heading, "text": s.text} for s in sections]
    stored.version += 1
    stored.save()
    return stored
