"""All of a workshop's answers as rows, for CSV and XLSX.

One row per item or part that has any text, with the findings it is tagged
with. Cells that a spreadsheet would take for a formula (=, +, -, @ first) are
written as plain text, so that an answer cannot run anything in the
secretariat's Excel.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Answer, ShapeKind, Workshop

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def header() -> list[str]:
    return [
        _("Workshop"),
        _("Group"),
        _("Question no."),
        _("Question"),
        _("Item"),
        _("Point"),
        _("Reason"),
        _("Submitted"),
        _("Findings"),
    ]


def answer_rows(workshop: Workshop):
    answers = (
        Answer.objects.filter(question__workshop=workshop)
        .select_related("group", "question")
        .prefetch_related("tags__finding")
        .order_by("group__number", "question__number")
    )
    yes, no = _("yes"), _("no")
    for answer in answers.iterator(chunk_size=200):
        question = answer.question
        # The findings (strategy app) that each item is tagged with.
        findings = {}
        for tag in answer.tags.all():
            findings.setdefault(tag.slot, []).append(tag.finding)
        for slot in question.filled_slots(answer.content):
            label = slot.label if question.kind == ShapeKind.PARTS else int(slot.label)
            yield [
                workshop.title,
                answer.group.name,
                question.number,
                question.title,
                label,
                slot.text,
                slot.why,
                yes if answer.is_submitted else no,
                "; ".join(
                    finding.title
                    for finding in sorted(
                        findings.get(slot.index, []), key=lambda f: (f.order, f.pk)
                    )
                ),
            ]


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(workshop: Workshop) -> str:
    """UTF-8 with a byte order mark, so that Excel shows æøå."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header())
    for row in answer_rows(workshop):
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()


def as_xlsx(workshop: Workshop) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Answers")[:31]
    sheet.append(header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in answer_rows(workshop):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # openpyxl turns a string starting with "=" into a formula.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    widths = (30, 12, 8, 30, 6, 50, 50, 10, 30)
    for column, width in zip("ABCDEFGHI", widths, strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
