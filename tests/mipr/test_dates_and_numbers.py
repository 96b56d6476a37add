"""Dates, weeks and numbers in the page's language (issue 10).

Bokmål pages show «uke 15», «11. april 2025» or «11.04.2025» and a decimal
comma; English pages show «week 15», «11 April 2025» or «11/04/2025». Neither
language's month names or week word may leak into the other's pages. The
language comes from the cookie the language switch sets (mipr/middleware.py).

Text written by people (titles, section text) is theirs and stays as written;
the fixture keeps dates out of it, so that every month name on a page comes
from our templates.
"""

import datetime
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
# Friday of week 15, the day of the demo's workshop.
FRIDAY_APRIL_11 = datetime.datetime(2025, 4, 11, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))

NB_MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli"]
NB_MONTHS += ["august", "september", "oktober", "november", "desember"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July"]
EN_MONTHS += ["August", "September", "October", "November", "December"]
NB_DAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
EN_DAYS += ["Sunday"]


def _words(words, *more) -> str:
    return "|".join([*words, *more])


# Words that give the other language away. Norwegian month names are written in
# lower case; in English they are capitalised (and «august» is no date there).
LEAKS = {
    "nb": re.compile(rf"\b(?:{_words(EN_MONTHS, *EN_DAYS, '[Ww]eeks?')})\b"),
    "en": re.compile(rf"\b(?:{_words(NB_MONTHS, *NB_DAYS, '[Uu]ker?')})\b"),
}
# A number with a decimal point in bokmål, or a decimal comma in English. Dates
# (11.04.2025) and times (10:00) are not numbers; thousands (5,000) are fine.
WRONG_DECIMAL = {
    "nb": re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])|(?<![\d,])\d{1,3},\d{3}\b"),
    "en": re.compile(r"(?<![\d,])\d+,\d{1,2}(?![\d,])"),
}


class _VisibleText(HTMLParser):
    """The page's text as a reader meets it: text nodes, plus the tooltips and
    labels (title, aria-label, alt, placeholder), without scripts and styles."""

    ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in self.ATTRIBUTES]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@pytest.fixture
def frozen():
    with time_machine.travel(FRIDAY_APRIL_11, tick=False):
        yield


@pytest.fixture
def mipr(frozen, demo_process):
    """The demo on the workshop's day: a comment on version 2, which the
    assembly then adopts on 9 December 2025 (week 50)."""
    from demo import document as document_demo
    from demo import evidence as evidence_demo
    from demo import plan as plan_demo
    from demo import workshop as workshop_demo
    from strategy import adoption, review
    from strategy.models import Section
    from workshops.models import Workshop

    plan_demo.load(demo_process)
    workshop_demo.load(demo_process)
    evidence_demo.load(demo_process)
    strategy = document_demo.load_strategy(demo_process)

    # People's own text keeps no dates, so that the pages' dates are ours.
    Workshop.objects.update(title="Mini-workshop, Regionrådet")
    month = re.compile(rf"\d+\. (?:{_words(NB_MONTHS)}) \d{{4}}")
    for section in Section.objects.all():
        section.body = month.sub("i vår", section.body)
        section.save(update_fields=["body"])

    users = get_user_model().objects
    version = strategy.versions.get(number=2)
    review.comment_add(
        section=version.sections.first(),
        author=users.get(username="radsmedlem"),
        text="Godt utkast.",
    )
    adoption.version_adopt(
        version=version,
        body="Representantskapet",
        meeting_date=datetime.date(2025, 12, 9),
        case_number="12/25",
        text="Strategien vedtas.",
        by=users.get(username="sekretariat"),
    )
    return demo_process


@pytest.fixture
def pages(mipr):
    from timeline.models import Milestone
    from workshops.models import Workshop

    workshop = Workshop.objects.get(process=mipr)
    milestone = Milestone.objects.get(process=mipr, what="Workshop")
    return {
        "plan": "/tidslinje/",
        "milestone": f"/tidslinje/{SLUG}/milepel/{milestone.pk}/",
        "workshop progress": f"/workshop/{workshop.pk}/",
        "workshops": "/workshop/",
        "version": f"/strategi/{SLUG}/versjon/2/",
        "themes": f"/strategi/{SLUG}/funn/",
        "sources": f"/strategi/{SLUG}/kilder/",
        "dashboard": "/",
    }


# What each page must show, per language: its dates, weeks and numbers.
EXPECTED = {
    "plan": {
        "nb": ["I dag er det 11. april 2025.", "uke 15 (7.–13. april 2025)"],
        "en": ["Today is 11 April 2025.", "week 15 (7–13 April 2025)"],
    },
    "milestone": {
        "nb": ["uke 15 (7.–13. april 2025)"],
        "en": ["week 15 (7–13 April 2025)"],
    },
    "workshop progress": {
        "nb": ["fredag 11. april 2025", "10:00"],
        "en": ["Friday 11 April 2025", "10:00"],
    },
    "workshops": {"nb": ["11. april 2025"], "en": ["11 April 2025"]},
    "version": {
        "nb": [
            "Laget 11. april 2025",
            "Vedtatt av Representantskapet 9. desember 2025, sak 12/25.",
            "Kilde: workshop 11.04.2025, gruppe 1",
            "11.04.2025 10:00",  # the comment
        ],
        "en": [
            "Made 11 April 2025",
            "Adopted by Representantskapet on 9 December 2025, case 12/25.",
            "Source: workshop 11/04/2025, gruppe 1",
            "11/04/2025 10:00",
        ],
    },
    "themes": {"nb": ["2 av 5 grupper", "2021)"], "en": ["2 of 5 groups", "2021)"]},
    "sources": {
        "nb": ["(1. januar 2021)", "Rapport"],
        "en": ["(1 January 2021)", "Report"],
    },
    "dashboard": {"nb": ["uke 15"], "en": ["week 15"]},
}


def _client(language: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="sekretariat"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["nb", "en"])
def test_dates_weeks_and_numbers_are_in_the_pages_language(frozen, pages, language):
    client = _client(language)
    problems = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
        text = _text(response.content.decode())
        for expected in EXPECTED[name][language]:
            if expected not in text:
                problems.append(f"{name} ({url}): «{expected}» is missing")
        for leak in LEAKS[language].finditer(text):
            context = text[max(0, leak.start() - 40) : leak.end() + 40]
            problems.append(f"{name} ({url}): «{leak.group()}» in «{context}»")
        for number in WRONG_DECIMAL[language].finditer(text):
            context = text[max(0, number.start() - 40) : number.end() + 40]
            problems.append(f"{name} ({url}): number «{number.group()}» in «{context}»")
    assert problems == [], "\n".join(problems)


def test_the_checks_see_a_leak_and_a_wrong_decimal():
    """The patterns above are what the page test relies on: they must bite."""
    assert LEAKS["nb"].search(_text("<p>week 15 (7–13 April 2025)</p>"))
    assert LEAKS["nb"].search(_text('<abbr title="Friday">15</abbr>'))
    assert not LEAKS["nb"].search(_text("<p>uke 15 (7.–13. april 2025)</p>"))
    assert LEAKS["en"].search(_text("<p>Today is 11. april 2025.</p>"))
    assert LEAKS["en"].search(_text("<p>uke 15</p>"))
    assert not LEAKS["en"].search(_text("<p>week 15 (7–13 April 2025)</p>"))
    assert WRONG_DECIMAL["nb"].search("snitt 2.5 av 5")
    assert WRONG_DECIMAL["nb"].search("5,000 tegn")
    assert not WRONG_DECIMAL["nb"].search("11.04.2025 10:00, 2,5 av 5, 5 000 tegn")
    assert WRONG_DECIMAL["en"].search("average 2,5 of 5")
    assert not WRONG_DECIMAL["en"].search("11/04/2025, 2.5 of 5, 5,000 characters")
    # What a script or a style says is not text on the page.
    assert _text("<script>var week = 1;</script><p>uke 1</p>").strip() == "uke 1"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "11. april 2025"), ("en", "11 April 2025")],
)
def test_django_date_formats_follow_the_language(language, expected):
    from django.utils import formats, translation

    with translation.override(language):
        assert formats.date_format(datetime.date(2025, 4, 11)) == expected
        assert formats.number_format(2.5, 1) == {"nb": "2,5", "en": "2.5"}[language]
