import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from workshops import services

pytestmark = pytest.mark.django_db

HEADER = [
    "Workshop",
    "Gruppe",
    "Spørsmål nr.",
    "Spørsmål",
    "Punkt eller del",
    "Svartekst",
    "Begrunnelse",
    "Levert",
    "Funn",
]
TITLE = "Mini-workshop, Regionrådet 11. april 2025"


@pytest.fixture
def secretariat(people):
    client = Client()
    client.force_login(people["sekretariat"])
    return client


@pytest.fixture
def answered(workshop, groups, questions):
    """The demo's answers, plus a complete, submitted answer to question 4."""
    services.answer_save(
        group=groups[5],
        question=questions[4],
        content=[
            {"text": "Gode skoler og kultur", "why": "Familier velger steder"},
            {"text": '=HYPERLINK("http://x")', "why": "@SUM(A1)"},
        ],
        version=0,
        editor="Yngvar",
    )
    services.answer_submit(group=groups[5], question=questions[4], editor="Yngvar")
    return workshop


def test_xlsx_export_has_one_row_per_item_or_part_with_text(secretariat, answered):
    response = secretariat.get(f"/workshop/{answered.pk}/svar.xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    body = rows[1:]
    # Demo: group 1 q1 three items, group 2 q1 two items, group 3 q2 one item
    # (empty items are left out); plus group 5's two parts of question 4.
    assert len(body) == 3 + 2 + 1 + 2
    assert body[0] == [
        TITLE,
        "Gruppe 1",
        1,
        "Store samfunnsutfordringer",
        1,
        "Lav arbeidsdeltakelse",
        "For mange står utenfor arbeidslivet.",
        "nei",
        None,
    ]
    assert body[-2][1:3] == ["Gruppe 5", 4] and body[-2][4:] == [
        "A",
        "Gode skoler og kultur",
        "Familier velger steder",
        "ja",
        None,
    ]


def test_exports_name_the_findings_each_item_is_tagged_with(secretariat, answered):
    from findings import services as findings

    process = answered.process
    trust = findings.finding_create(process=process, title="Tillit og samarbeid")
    identity = findings.finding_create(process=process, title="Bygge ny identitet")
    answer = answered.groups.get(number=1).answers.get(question__number=1)
    findings.item_set_findings(answer=answer, slot=0, findings=[identity, trust])
    sheet = load_workbook(
        io.BytesIO(secretariat.get(f"/workshop/{answered.pk}/svar.xlsx").content)
    ).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][-1] == "Tillit og samarbeid; Bygge ny identitet"
    assert rows[2][-1] is None


def test_xlsx_cells_that_look_like_formulas_stay_text(secretariat, answered):
    response = secretariat.get(f"/workshop/{answered.pk}/svar.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    last = list(sheet.iter_rows())[-1]
    assert last[5].value == '=HYPERLINK("http://x")'
    assert last[5].data_type == "s"
    assert last[6].data_type == "s"


def test_csv_export_is_utf8_with_bom_and_the_same_rows(secretariat, answered):
    response = secretariat.get(f"/workshop/{answered.pk}/svar.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 8
    assert rows[1][:2] == [TITLE, "Gruppe 1"]
    assert "For mange står utenfor arbeidslivet." in rows[1]
    # Excel would run these as formulas: they are written as text.
    assert rows[-1][5:7] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]


def test_an_export_without_answers_has_just_the_header(secretariat, workshop):
    from workshops.models import Answer

    Answer.objects.all().delete()
    response = secretariat.get(f"/workshop/{workshop.pk}/svar.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [HEADER]
    csv_text = secretariat.get(f"/workshop/{workshop.pk}/svar.csv").content
    assert csv_text.decode("utf-8-sig").strip() == ";".join(HEADER)


def test_every_column_heading_is_distinct(secretariat, answered, workshop):
    response = secretariat.get(f"/workshop/{workshop.pk}/svar.csv")
    header = next(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert len(set(header)) == len(header), header
