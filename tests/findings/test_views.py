import io
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from openpyxl import load_workbook

from findings.models import Finding, ItemTag, Source
from tests.helpers import join
from tests.workshops.factories import GroupFactory, QuestionFactory, WorkshopFactory
from workshops.models import Answer, WorkshopStatus

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
STAFF_PAGES = [
    "funn/",
    "funn/svar/",
    "funn/ny/",
    "funn/slaa-sammen/",
    "funn/funn.xlsx",
    "kilder/",
    "kilder/?mine=1",
    "kilder/ny/",
]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_secretariat_and_working_group_may_work_on_findings(as_user, mipr, page):
    for persona in ("sekretariat", "arbeidsgruppe"):
        assert as_user(persona).get(f"/strategi/{SLUG}/{page}").status_code == 200


@pytest.mark.parametrize("page", [*STAFF_PAGES, "funn/oppsummering/"])
def test_others_get_404_and_anonymous_visitors_the_login(as_user, mipr, page):
    url = f"/strategi/{SLUG}/{page}"
    for persona in ("radsmedlem", "other_secretariat", "outsider"):
        assert as_user(persona).get(url).status_code == 404, persona
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


def test_a_workshop_participant_cannot_see_findings(mipr):
    client = Client()
    workshop = mipr.workshops.get()
    join(client, workshop.groups.get(number=1))
    assert client.get(f"/strategi/{SLUG}/funn/").status_code == 302


def test_council_members_read_the_summary_once_the_secretariat_shares_it(as_user, mipr):
    url = f"/strategi/{SLUG}/funn/oppsummering/"
    assert as_user("radsmedlem").get(url).status_code == 404
    assert (
        as_user("arbeidsgruppe").post(url + "del/", {"shared": "1"}).status_code == 404
    )
    as_user("sekretariat").post(url + "del/", {"shared": "1"})
    html = as_user("radsmedlem").get(url).content.decode()
    assert "Tillit og samarbeid" in html
    assert "Del med rådsmedlemmene" not in html  # no controls for them
    assert as_user("other_secretariat").get(url).status_code == 404
    as_user("sekretariat").post(url + "del/", {"shared": "0"})
    assert as_user("radsmedlem").get(url).status_code == 404


def test_the_summary_shows_counts_quotes_and_sources(as_user, mipr):
    html = (
        as_user("sekretariat")
        .get(f"/strategi/{SLUG}/funn/oppsummering/")
        .content.decode()
    )
    assert "2 av 5 grupper" in html  # Tillit og samarbeid: groups 1 and 3
    assert "Felles næringsforum" in html
    assert "Partnerskap for radikal innovasjon (KS)" in html


def test_the_uke_20_milestone_links_to_the_summary(as_user, mipr):
    summary = mipr.findings_summary
    assert summary.milestone.start_week == 20
    url = f"/tidslinje/{SLUG}/milepel/{summary.milestone_id}/"
    html = as_user("sekretariat").get(url).content.decode()
    assert f'href="/strategi/{SLUG}/funn/oppsummering/"' in html


def test_the_theme_view_lists_findings_with_group_counts_and_a_text_equivalent(
    as_user, mipr
):
    html = as_user("arbeidsgruppe").get(f"/strategi/{SLUG}/funn/").content.decode()
    assert html.count('class="card mb-3"') == 4
    assert "2 av 5 grupper</span>" in html
    # The bar is decoration: the count beside it is the text equivalent.
    assert 'class="group-bar"' in html and 'aria-hidden="true"' in html


def test_the_side_by_side_view_marks_items_not_tagged_yet(as_user, mipr):
    question = mipr.workshops.get().questions.get(number=1)
    html = (
        as_user("arbeidsgruppe")
        .get(f"/strategi/{SLUG}/funn/svar/?sporsmal={question.pk}")
        .content.decode()
    )
    # Group 1: three items, one tagged (item 3) ... see demo.evidence.TAGS.
    assert "Lav arbeidsdeltakelse" in html and "Boliger for unge" in html
    assert html.count(">Ikke merket<") == 1
    untagged = (
        as_user("arbeidsgruppe")
        .get(f"/strategi/{SLUG}/funn/svar/?sporsmal={question.pk}&funn=ingen")
        .content.decode()
    )
    assert "Lav arbeidsdeltakelse" in untagged and "Boliger for unge" not in untagged
    only_2 = (
        as_user("arbeidsgruppe")
        .get(f"/strategi/{SLUG}/funn/svar/?sporsmal={question.pk}&gruppe=2")
        .content.decode()
    )
    assert "Lav arbeidsdeltakelse" not in only_2 and "Boliger for unge" in only_2


@pytest.mark.parametrize("query", ["?sporsmal=x&gruppe=y&funn=z", "?sporsmal=999999"])
def test_the_side_by_side_view_survives_odd_filters(as_user, mipr, query):
    response = as_user("arbeidsgruppe").get(f"/strategi/{SLUG}/funn/svar/{query}")
    assert response.status_code == 200


def test_tagging_an_item_by_form_and_going_back_to_the_same_filters(as_user, mipr):
    trust = mipr.findings.get(title="Tillit og samarbeid")
    answer = Answer.objects.get(group__number=1, question__number=1)
    response = as_user("arbeidsgruppe").post(
        f"/strategi/{SLUG}/funn/merk/",
        {"answer": answer.pk, "slot": 0, "findings": [trust.pk], "back": "funn=ingen"},
    )
    # The form of a page opened before the one-form page: back to its item.
    assert response["Location"] == (
        f"/strategi/{SLUG}/funn/svar/?funn=ingen#punkt-{answer.pk}-0"
    )
    assert ItemTag.objects.filter(answer=answer, slot=0, finding=trust).exists()


def test_tagging_another_process_item_or_finding_is_404_and_changes_nothing(
    as_user, mipr
):
    other = WorkshopFactory()
    foreign_answer = Answer.objects.create(
        group=GroupFactory(workshop=other),
        question=QuestionFactory(workshop=other),
        content=[{"text": "x"}],
    )
    foreign_finding = Finding.objects.create(process=other.process, title="X")
    ours = Answer.objects.get(
        group__number=1, question__number=1, question__workshop__process=mipr
    )
    before = ItemTag.objects.count()
    client = as_user("sekretariat")
    url = f"/strategi/{SLUG}/funn/merk/"
    assert client.post(url, {"answer": foreign_answer.pk, "slot": 0}).status_code == 404
    response = client.post(
        url, {"answer": ours.pk, "slot": 0, "findings": [foreign_finding.pk]}
    )
    assert response.status_code == 404
    assert client.post(url, {"answer": ours.pk, "slot": 99}).status_code == 404
    response = client.post(url, {"answer": "x", "slot": "-1"}, follow=True)
    assert "Merkingen kunne ikke leses" in response.content.decode()
    assert ItemTag.objects.count() == before
    foreign_url = f"/strategi/{other.process.slug}/funn/merk/"
    assert (
        client.post(foreign_url, {"answer": foreign_answer.pk, "slot": 0}).status_code
        == 404
    )


def test_a_very_long_title_is_refused_with_a_message(as_user, mipr):
    response = as_user("sekretariat").post(
        f"/strategi/{SLUG}/funn/ny/", {"title": "x" * 201, "description": ""}
    )
    assert response.status_code == 200
    assert "200 eller færre tegn" in response.content.decode()
    assert mipr.findings.count() == 4


def test_creating_editing_and_a_stale_edit_of_a_finding(as_user, mipr):
    client = as_user("arbeidsgruppe")
    client.post(
        f"/strategi/{SLUG}/funn/ny/", {"title": "Nytt funn", "description": "D"}
    )
    new = mipr.findings.get(title="Nytt funn")
    assert new.order == 5
    url = f"/strategi/{SLUG}/funn/{new.pk}/"
    client.post(url, {"title": "Først", "description": "", "version": new.version})
    response = as_user("sekretariat").post(
        url, {"title": "Sist", "description": "min tekst", "version": new.version}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen andre lagret dette funnet" in html and "Først" in html
    assert "min tekst" in html  # the form keeps the user's text
    new.refresh_from_db()
    assert new.title == "Først"
    response = as_user("sekretariat").post(
        url, {"title": "Sist", "description": "min tekst", "version": new.version}
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.title == "Sist"


def test_deleting_a_finding_asks_first_and_says_where_it_is_used(as_user, mipr):
    trust = mipr.findings.get(title="Tillit og samarbeid")
    url = f"/strategi/{SLUG}/funn/{trust.pk}/slett/"
    html = as_user("sekretariat").get(url).content.decode()
    assert "2 merkede svarpunkter" in html and "1 kilde" in html
    assert Finding.objects.filter(pk=trust.pk).exists()
    as_user("sekretariat").post(url)
    assert not Finding.objects.filter(pk=trust.pk).exists()
    assert Answer.objects.filter(group__number=1, question__number=1).exists()


def test_merging_through_the_form(as_user, mipr):
    trust = mipr.findings.get(title="Tillit og samarbeid")
    good = mipr.findings.get(title="Vi skal gjøre kommunene gode")
    tags = trust.tags.count() + good.tags.count()
    url = f"/strategi/{SLUG}/funn/slaa-sammen/"
    response = as_user("arbeidsgruppe").post(
        url, {"into": trust.pk, "others": [trust.pk]}
    )
    assert "Velg minst ett annet funn" in response.content.decode()
    as_user("arbeidsgruppe").post(url, {"into": trust.pk, "others": [good.pk]})
    assert trust.tags.count() == tags
    assert not Finding.objects.filter(pk=good.pk).exists()


@pytest.mark.parametrize("page", ["funn/slaa-sammen/", "funn/ny/", "funn/merk/"])
def test_an_id_too_large_for_the_database_is_refused_and_changes_nothing(
    as_user, mipr, page
):
    # Found by tests/test_fuzz.py: SQLite raised OverflowError (a 500).
    trust = mipr.findings.get(title="Tillit og samarbeid")
    answer = Answer.objects.get(group__number=1, question__number=1)
    huge = str(2**63)
    data = {
        "into": trust.pk,
        "others": [huge],
        "title": "Nytt funn",
        "sources": [huge],
        "answer": answer.pk,
        "slot": 0,
        "findings": [trust.pk, huge],
    }
    findings, tags = Finding.objects.count(), ItemTag.objects.count()
    response = as_user("arbeidsgruppe").post(f"/strategi/{SLUG}/{page}", data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert f"{huge}&quot; er ikke en gyldig verdi" in response.content.decode()
    else:
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert "Merkingen kunne ikke leses. Ingenting er endret." in shown
    assert (Finding.objects.count(), ItemTag.objects.count()) == (findings, tags)


def test_my_sources_shows_the_ones_assigned_to_me(as_user, mipr):
    html = (
        as_user("arbeidsgruppe")
        .get(f"/strategi/{SLUG}/kilder/?mine=1")
        .content.decode()
    )
    assert "Intervju med næringsforeningen" in html
    assert "Partnerskap for radikal innovasjon" not in html


def test_recording_what_a_source_says_and_a_stale_save(as_user, mipr, people):
    source = mipr.sources.get(kind="interview")
    url = f"/strategi/{SLUG}/kilder/{source.pk}/"
    data = {
        "kind": "interview",
        "title": source.title,
        "url": "naering.example.no/intervju",
        "date": "2025-04-30",
        "assigned_to": people["arbeidsgruppe"].pk,
        "status": "done",
        "notes": "",
        "says": "Bedriftene ønsker én dør inn til kommunene.",
        "version": source.version,
    }
    assert as_user("arbeidsgruppe").post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.says.startswith("Bedriftene ønsker")
    assert source.url == "https://naering.example.no/intervju"
    assert source.status == "done"
    data["says"] = "Eldre tekst"
    response = as_user("sekretariat").post(url, data)
    assert response.status_code == 409
    source.refresh_from_db()
    assert source.says.startswith("Bedriftene ønsker")


def test_a_source_cannot_be_assigned_to_an_outsider(as_user, mipr, people):
    response = as_user("sekretariat").post(
        f"/strategi/{SLUG}/kilder/ny/",
        {
            "kind": "report",
            "title": "R",
            "status": "not_started",
            "assigned_to": people["outsider"].pk,
        },
    )
    assert response.status_code == 200
    assert not Source.objects.filter(title="R").exists()


def test_the_findings_export_has_each_quote_with_its_finding(as_user, mipr):
    response = as_user("arbeidsgruppe").get(f"/strategi/{SLUG}/funn/funn.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Funn", "Grupper", "Gruppe"]
    trust = [r for r in rows if r[0] == "Tillit og samarbeid"]
    assert len(trust) == 2 and {r[2] for r in trust} == {"Gruppe 1", "Gruppe 3"}
    assert trust[0][1] == 2


def make_big(process, groups):
    workshop = WorkshopFactory(process=process, status=WorkshopStatus.CLOSED)
    questions = [QuestionFactory(workshop=workshop, number=n) for n in range(1, 5)]
    made = [GroupFactory(workshop=workshop, number=n) for n in range(1, groups + 1)]
    answers = Answer.objects.bulk_create(
        Answer(
            group=group,
            question=question,
            content=[
                {"text": f"{group.name} punkt {i}", "why": "fordi"} for i in (1, 2, 3)
            ],
        )
        for group in made
        for question in questions
    )
    findings = list(process.findings.all())
    ItemTag.objects.bulk_create(
        ItemTag(finding=findings[(a.pk + slot) % len(findings)], answer=a, slot=slot)
        for a in answers
        for slot in (0, 2)
    )
    return questions[0]


@pytest.mark.parametrize("size", [5, 200])
def test_theme_and_side_by_side_views_run_a_constant_number_of_queries(
    as_user, mipr, size, django_assert_max_num_queries
):
    question = make_big(mipr, size)
    client = as_user("arbeidsgruppe")
    # Session, user, membership, the group total, what the view shows
    # (themes.themes_state: five aggregates) and the summary's state; the
    # first time also findings, sources, tags, the tagged answers, the groups
    # and the questions (each once: see themes.themes).
    with django_assert_max_num_queries(16):
        html = client.get(f"/strategi/{SLUG}/funn/").content.decode()
    assert f"av {5 + size} grupper" in html
    with django_assert_max_num_queries(10):  # from the cache
        again = client.get(f"/strategi/{SLUG}/funn/").content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again) == token.sub("", html)
    with django_assert_max_num_queries(11):
        client.get(f"/strategi/{SLUG}/funn/oppsummering/")
    # Questions, groups, answers, tags and findings, once each.
    with django_assert_max_num_queries(10):
        html = client.get(
            f"/strategi/{SLUG}/funn/svar/?sporsmal={question.pk}"
        ).content.decode()
    # One form for the page; each item is named in it by a hidden input.
    assert html.count('name="item"') == size * 3


def test_deleting_a_finding_names_the_strategy_sections_that_cite_it(as_user, mipr):
    from demo import document as demo

    strategy = demo.load_strategy(mipr)
    trust = mipr.findings.get(title="Tillit og samarbeid")
    html = (
        as_user("sekretariat")
        .get(f"/strategi/{SLUG}/funn/{trust.pk}/slett/")
        .content.decode()
    )
    assert "Strategien, versjon 2: «Samfunnsutfordringer»" in html
    assert "Strategien, versjon 1: «Samfunnsutfordringer»" in html
    as_user("sekretariat").post(f"/strategi/{SLUG}/funn/{trust.pk}/slett/")
    assert strategy.versions.get(number=2).sections.count() == 9


@pytest.mark.parametrize(
    "language, groups, total, expected",
    [
        ("nb", 1, 5, "1 av 5 grupper"),
        ("nb", 1, 1, "1 av 1 gruppe"),
        ("en", 1, 5, "1 of 5 groups"),
        ("en", 0, 1, "0 of 1 group"),
    ],
)
def test_the_group_count_takes_its_plural_from_the_total(
    language, groups, total, expected
):
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        html = render_to_string(
            "findings/partials/group_bar.html",
            {"theme": SimpleNamespace(group_count=groups), "total_groups": total},
        )
    assert f">{expected}</span>" in html


def test_a_title_in_guillemets_is_not_quoted_twice(as_user, mipr):
    best = mipr.findings.get(title="«Det beste av to verdener»")
    html = (
        as_user("sekretariat")
        .get(f"/strategi/{SLUG}/funn/{best.pk}/slett/")
        .content.decode()
    )
    assert "<h1>Slette funnet «Det beste av to verdener»?</h1>" in html
    assert "««" not in html
    trust = mipr.findings.get(title="Tillit og samarbeid")
    html = (
        as_user("sekretariat")
        .get(f"/strategi/{SLUG}/funn/{trust.pk}/slett/")
        .content.decode()
    )
    assert "<h1>Slette funnet «Tillit og samarbeid»?</h1>" in html


def test_a_quote_names_its_group_question_and_item(as_user, mipr):
    html = as_user("arbeidsgruppe").get(f"/strategi/{SLUG}/funn/").content.decode()
    sources = re.findall(r'<span class="text-body-secondary">\((.*?)\)</span>', html)
    assert sources
    assert all(
        re.fullmatch(r"Gruppe \d, spørsmål \d+, (punkt \d+|del [A-Z])", s)
        for s in sources
    ), sources
