"""All of a workshop's answers as rows, for CSV and XLSX.

One row per item or part that has any text. Apps above this one add columns
(the findings each item is tagged with) by registering with `columns`.
Formula-like cells are guarded by mipr.spreadsheets, as in every export.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mipr.hooks import Hook
from mipr.spreadsheets import csv_text, xlsx_bytes

from .models import Answer, ShapeKind, Workshop

columns = Hook("answer export columns")


@dataclass
class Column:
    """An added column: its heading, and its text per (answer id, item index)."""

    header: str
    values: dict[tuple[int, int], str] = field(default_factory=dict)
    width: int = 30


def _added_columns(workshop: Workshop) -> list[Column]:
    return columns.results(workshop=workshop)


def header(added: list[Column]) -> list[str]:
    return [
        _("Workshop"),
        _("Group"),
        _("Question no."),
        _("Question"),
        # Each heading names what its column holds, and no two are alike.
        _("Item or part"),
        _("Answer text"),
        _("Reason"),
        _("Submitted"),
        *(column.header for column in added),
    ]


def answer_rows(workshop: Workshop, added: list[Column]):
    answers = (
        Answer.objects.filter(question__workshop=workshop)
        .select_related("group", "question")
        .order_by("group__number", "question__number")
    )
    yes, no = _("yes"), _("no")
    for answer in answers.iterator(chunk_size=200):
        question = answer.question
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
                *(column.values.get((answer.pk, slot.index), "") for column in added),
            ]


def as_csv(workshop: Workshop) -> str:
    added = _added_columns(workshop)
    return csv_text(header(added), answer_rows(workshop, added))


def as_xlsx(workshop: Workshop) -> bytes:
    added = _added_columns(workshop)
    return xlsx_bytes(
        title=_("Answers"),
        header=header(added),
        rows=answer_rows(workshop, added),
        widths=(30, 12, 8, 30, 6, 50, 50, 10, *(column.width for column in added)),
    )
