"""CSV and XLSX as Norwegian Excel reads them, and never a formula from a cell.

A text that starts with =, +, -, @, a tab or a carriage return is taken for a
formula by a spreadsheet program: an answer, a title or a milestone could then
run something on the reader's machine. Every CSV and XLSX the portal writes
goes through this module:

- in a CSV such a text gets a leading apostrophe (`escape_cell`; Excel then
  shows it as text);
- in an XLSX every text is kept as it is and stored as a string cell, which
  the spreadsheet program never evaluates.

CSVs are UTF-8 with a byte order mark (so that Excel shows æøå) and separated
by semicolons, as Norwegian Excel expects.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def escape_cell(value):
    """A CSV cell as a spreadsheet must take it: as text, never as a formula."""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";")
    writer.writerow([escape_cell(value) for value in header])
    for row in rows:
        writer.writerow([escape_cell(value) for value in row])
    return out.getvalue()


def xlsx_bytes(
    *, title: str, header: Sequence, rows: Iterable[Sequence], widths: Sequence[int]
) -> bytes:
    """One sheet with a bold, frozen header row and the given column widths."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # the longest sheet name Excel accepts
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            # openpyxl turns a text starting with "=" into a formula unless told.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(
    content, content_type: str, filename: str, *, personal: bool = False
) -> HttpResponse:
    """A spreadsheet (or any file made in memory) sent as a download.

    `personal`: it holds personal data (names, answers): no browser or proxy
    may keep a copy (Cache-Control: no-store).
    """
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if personal:
        patch_cache_control(response, no_store=True, private=True)
    return response
