"""The findings with their quotes and sources, as XLSX."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mipr.models import Process

from . import services


def findings_xlsx(process: Process) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Findings")[:31]
    sheet.append(
        [
            _("Finding"),
            _("Groups"),
            _("Group"),
            _("Question no."),
            _("Item"),
            _("Point"),
            _("Reason"),
            _("Sources"),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for theme in services.themes(process=process):
        sources = "; ".join(source.title for source in theme.finding.sources.all())
        rows = theme.quotes or [None]
        for quote in rows:
            sheet.append(
                [
                    theme.finding.title,
                    theme.group_count,
                    quote.group.name if quote else "",
                    quote.question.number if quote else "",
                    quote.label if quote else "",
                    quote.text if quote else "",
                    quote.why if quote else "",
                    sources,
                ]
            )
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", (30, 8, 12, 8, 6, 50, 50, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
