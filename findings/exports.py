"""The findings with their quotes and sources, as XLSX; and the findings column
of the workshop's answer export (registered in apps.py)."""

from django.utils.translation import gettext as _

from mipr.models import Process
from mipr.spreadsheets import xlsx_bytes
from workshops.models import Workshop

from . import themes
from .models import ItemTag


def findings_xlsx(process: Process) -> bytes:
    return xlsx_bytes(
        title=_("Findings"),
        header=[
            _("Finding"),
            _("Groups"),
            _("Group"),
            _("Question no."),
            _("Item"),
            _("Point"),
            _("Reason"),
            _("Sources"),
        ],
        rows=_rows(process),
        widths=(30, 8, 12, 8, 6, 50, 50, 40),
    )


def _rows(process: Process):
    for theme in themes.themes(process=process):
        sources = "; ".join(source.title for source in theme.finding.sources.all())
        for quote in theme.quotes or [None]:
            yield [
                theme.finding.title,
                theme.group_count,
                quote.group.name if quote else "",
                quote.question.number if quote else "",
                quote.label if quote else "",
                quote.text if quote else "",
                quote.why if quote else "",
                sources,
            ]


def findings_by_item(workshop: Workshop) -> dict[tuple[int, int], str]:
    """(answer id, item index) -> the findings it is tagged with, in their order.

    One query for the whole workshop, for its answer export.
    """
    titles: dict[tuple[int, int], list[str]] = {}
    tags = (
        ItemTag.objects.filter(answer__question__workshop=workshop)
        .order_by("finding__order", "finding__pk")
        .values_list("answer_id", "slot", "finding__title")
    )
    for answer_id, slot, title in tags:
        titles.setdefault((answer_id, slot), []).append(title)
    return {item: "; ".join(names) for item, names in titles.items()}
