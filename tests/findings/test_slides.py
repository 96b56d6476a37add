"""The findings summary as slides for uke 20 (issue 21): the page, which
without JavaScript is a sequence of sections, and its 16:9 PDF."""

import io
import re

import pytest
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from findings import services
from findings.models import Finding, ItemTag
from tests.workshops.factories import GroupFactory, QuestionFactory, WorkshopFactory
from workshops.models import Answer, WorkshopStatus

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
SLIDES = f"/strategi/{SLUG}/funn/oppsummering/lysbilder/"
PDF = f"/strategi/{SLUG}/funn/oppsummering/lysbilder.pdf"


def _sections(html: str) -> list[str]:
    return re.findall(r'<section class="slide[^"]*" id="lysbilde-\d+">', html)


def _titles(process) -> list[str]:
    return list(Finding.objects.filter(process=process).values_list("title", flat=True))


@pytest.mark.parametrize("url", [SLIDES, PDF])
def test_staff_may_open_the_slides_and_their_pdf(as_user, mipr, url):
    for persona in ("sekretariat", "arbeidsgruppe"):
        assert as_user(persona).get(url).status_code == 200, persona


@pytest.mark.parametrize("url", [SLIDES, PDF])
def test_others_get_404_and_anonymous_visitors_the_login(as_user, mipr, url):
    for persona in ("radsmedlem", "other_secretariat", "outsider"):
        assert as_user(persona).get(url).status_code == 404, persona
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")


@pytest.mark.parametrize("url", [SLIDES, PDF])
def test_council_members_see_the_slides_only_while_the_summary_is_shared(
    as_user, mipr, url
):
    services.summary_share(process=mipr, shared=True)
    assert as_user("radsmedlem").get(url).status_code == 200
    assert as_user("other_secretariat").get(url).status_code == 404
    services.summary_share(process=mipr, shared=False)
    assert as_user("radsmedlem").get(url).status_code == 404


def test_the_summary_links_to_its_slides(as_user, mipr):
    html = as_user("sekretariat").get(f"/strategi/{SLUG}/funn/oppsummering/")
    assert f'href="{SLIDES}"' in html.content.decode()
    assert "Vis som lysbilder" in html.content.decode()


def test_a_title_slide_then_one_section_per_finding(as_user, mipr):
    html = as_user("sekretariat").get(SLIDES).content.decode()
    titles = _titles(mipr)
    assert len(titles) >= 2
    assert len(_sections(html)) == 1 + len(titles)
    first, *rest = html.split('<section class="slide')[1:]
    assert "Hva vi har hørt" in first and mipr.name in first
    for title, section in zip(titles, rest, strict=True):
        assert f'<h2 class="slide-title">{escape(title)}</h2>' in section
    # Tillit og samarbeid: groups 1 and 3, with the bar and the sources.
    trust = rest[titles.index("Tillit og samarbeid")]
    assert "2 av 5 grupper" in trust and 'class="group-bar"' in trust
    assert "Felles næringsforum" in html
    assert "Partnerskap for radikal innovasjon (KS)" in html
    # The script of our own, and the polite announcement it fills.
    assert "/static/js/slides.js" in html
    assert 'aria-live="polite"' in html
    assert 'data-msg-status="Lysbilde {n} av {total}"' in html


def test_at_most_three_quotes_per_slide(as_user, mipr):
    html = as_user("sekretariat").get(SLIDES).content.decode()
    for section in html.split('<section class="slide')[2:]:
        assert section.count("<q>") <= 3


def _more_findings(process, count):
    """`count` more findings, each tagged in answers of groups of their own."""
    workshop = WorkshopFactory(process=process, status=WorkshopStatus.CLOSED)
    question = QuestionFactory(workshop=workshop, number=1)
    groups = [GroupFactory(workshop=workshop, number=n) for n in range(1, 4)]
    answers = Answer.objects.bulk_create(
        Answer(
            group=group,
            question=question,
            content=[{"text": f"{group.name} punkt", "why": "fordi"}] * 3,
        )
        for group in groups
    )
    findings = Finding.objects.bulk_create(
        Finding(process=process, title=f"Ekstra funn {n}", order=100 + n)
        for n in range(count)
    )
    ItemTag.objects.bulk_create(
        ItemTag(finding=finding, answer=answer, slot=slot)
        for finding in findings
        for answer in answers
        for slot in (0, 1)
    )


@pytest.mark.parametrize("extra", [0, 40])
def test_the_slides_run_a_bounded_number_of_queries(
    as_user, mipr, extra, django_assert_max_num_queries
):
    _more_findings(mipr, extra)
    client = as_user("arbeidsgruppe")
    # Session, user, membership, the summary's state, the group total, and
    # themes.themes (findings, sources, tags, answers, groups, questions: each
    # once, however many findings there are).
    with django_assert_max_num_queries(12):
        html = client.get(SLIDES).content.decode()
    assert len(_sections(html)) == 1 + len(_titles(mipr))


def test_the_pdf_has_one_16_9_page_per_slide_with_each_findings_title(as_user, mipr):
    response = as_user("sekretariat").get(PDF)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    titles = _titles(mipr)
    assert len(reader.pages) == 1 + len(titles)
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.02
    first = reader.pages[0].extract_text()
    assert "Hva vi har hørt" in first and mipr.name in first
    for title, page in zip(titles, reader.pages[1:], strict=True):
        text = " ".join(page.extract_text().split())
        assert title in text, (title, text[:200])
    trust = reader.pages[1 + titles.index("Tillit og samarbeid")]
    assert "2 av 5 grupper" in trust.extract_text()
