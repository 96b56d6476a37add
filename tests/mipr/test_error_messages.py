"""Error messages from forms and validators speak the page's language (issue 10).

Each case posts bad input once with the bokmål cookie and once with the English
one, reads the error messages off the page (or the autosave's JSON), and checks
that:

- the bokmål page says what we expect in bokmål, the English page in English;
- no English Django default message appears on a bokmål page;
- every message differs between the two languages: a message missing from the
  bokmål catalogue would show the same English text on both pages.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.helpers import join_form
from workshops.access import join_token

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
TOKEN = join_token()  # a join form the server gave out
ERROR_CLASSES = {"invalid-feedback", "alert-danger", "errorlist"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID |= {"source", "track", "wbr"}

# Django's own English messages (and the start of its formatted ones) that a
# bokmål page must never show.
DJANGO_ENGLISH = [
    "This field is required",
    "Ensure this value",
    "Enter a whole number",
    "Enter a valid",
    "Please enter a correct",
    "This password is too",
    "This password is entirely numeric",
    "The password is too similar",
    "Your old password was entered incorrectly",
    "The two password fields",
    "Select a valid choice",
    "Constraint “",
    "already exists",
    # The password validators' help texts, beside the errors.
    "Your password can",
    "Your password must",
    "Enter the same password",
]


class _Errors(HTMLParser):
    """The text of each element that holds an error message."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # for each open element: does it hold an error?
        self.messages = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        is_error = bool(classes & ERROR_CLASSES) and self.current is None
        if is_error:
            self.current = []
        self.stack.append(is_error)

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        if self.stack.pop() and self.current is not None:
            text = re.sub(r"\s+", " ", "".join(self.current)).strip()
            if text:
                self.messages.append(text)
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def _errors(response) -> list[str]:
    if response["Content-Type"].startswith("application/json"):
        data = response.json()
        return [*data.get("errors", {}).values(), *filter(None, [data.get("error")])]
    parser = _Errors()
    parser.feed(response.content.decode())
    return parser.messages


@pytest.fixture
def mipr(demo_process):
    from demo import plan as plan_demo
    from demo import workshop as workshop_demo

    plan_demo.load(demo_process)
    workshop_demo.load(demo_process)
    return demo_process


def _client(language, username=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _participant(language, group) -> Client:
    client = _client(language)
    response = client.post("/delta/", join_form(client, group.code, "Kari"))
    assert response.status_code == 302, _errors(response)
    return client


def _milestone(**weeks):
    data = {
        "who": "Sekretariatet",
        "what": "Ny milepæl",
        "start_year": 2025,
        "start_week": 20,
        "end_year": 2025,
        "end_week": 21,
        "responsible": "",
        "status": "planned",
        "deliverable": "",
        "notes": "",
        "version": 1,
    }
    return {**data, **weeks}


def _question(**fields):
    data = {
        "number": 9,
        "title": "Nytt spørsmål",
        "prompt": "",
        "kind": "items",
        "item_count": 3,
        "parts": "",
        "ask_why": "on",
    }
    return {**data, **fields}


def _long_answer(question):
    data = {"version": 0, "base": "", "action": "save"}
    for index in range(len(question.slots)):
        data[f"slot-{index}-text"] = "ok"
        data[f"slot-{index}-why"] = ""
    data["slot-1-text"] = "x" * 5001
    return data


# Each case: (name, how to make the client, request, the bokmål message, the
# English one). The messages are substrings of one of the page's errors.
CASES = [
    (
        "log-in, wrong password",
        lambda lang, mipr: _client(lang),
        ("post", "/logg-inn/", {"username": "radsmedlem", "password": "feil"}),
        "Vennligst oppgi korrekt brukernavn og passord",
        "Please enter a correct username and password",
    ),
    (
        "log-in, empty fields",
        lambda lang, mipr: _client(lang),
        ("post", "/logg-inn/", {"username": "", "password": ""}),
        "Feltet er påkrevet.",
        "This field is required.",
    ),
    (
        "password change, too short",
        lambda lang, mipr: _client(lang, "radsmedlem"),
        (
            "post",
            "/passord/",
            {
                "old_password": "mipr-demo",
                "new_password1": "x7#k",
                "new_password2": "x7#k",
            },
        ),
        "Dette passordet er for kort. Det må inneholde minst",
        "This password is too short. It must contain at least",
    ),
    (
        "password change, common password",
        lambda lang, mipr: _client(lang, "radsmedlem"),
        (
            "post",
            "/passord/",
            {
                "old_password": "mipr-demo",
                "new_password1": "password123",
                "new_password2": "password123",
            },
        ),
        "Dette passordet er for vanlig.",
        "This password is too common.",
    ),
    (
        "password change, wrong old password and a mismatch",
        lambda lang, mipr: _client(lang, "radsmedlem"),
        (
            "post",
            "/passord/",
            {
                "old_password": "feil",
                "new_password1": "Fjordhest-Rv19-Moss",
                "new_password2": "Fjordhest-Rv19-Mos",
            },
        ),
        "Ditt gamle passord er galt.",
        "Your old password was entered incorrectly",
    ),
    (
        "/delta/, wrong code",
        lambda lang, mipr: _client(lang),
        ("post", "/delta/", {"code": "ABCDEFG", "name": "Kari", "skjema": TOKEN}),
        "Ingen gruppe har denne koden",
        "No group has this code",
    ),
    (
        "/delta/, code too short and no name",
        lambda lang, mipr: _client(lang),
        ("post", "/delta/", {"code": "ABC", "name": "", "skjema": TOKEN}),
        "tegn",
        "characters",
    ),
    (
        "milestone, a week that does not exist",
        lambda lang, mipr: _client(lang, "sekretariat"),
        ("post", f"/tidslinje/{SLUG}/milepel/ny/", _milestone(end_week=53)),
        "Uke 53 finnes ikke i 2025",
        "Week 53 does not exist in 2025",
    ),
    (
        "milestone, a week out of range and not a number",
        lambda lang, mipr: _client(lang, "sekretariat"),
        (
            "post",
            f"/tidslinje/{SLUG}/milepel/ny/",
            _milestone(start_week=60, end_year="neste år"),
        ),
        "Oppgi et heltall.",
        "Enter a whole number.",
    ),
    (
        "milestone, end before start",
        lambda lang, mipr: _client(lang, "sekretariat"),
        (
            "post",
            f"/tidslinje/{SLUG}/milepel/ny/",
            _milestone(start_week=30, end_week=20),
        ),
        "Sluttuken er før startuken.",
        "The end week is before the start week.",
    ),
    (
        "workshop question, required title empty",
        lambda lang, mipr: _client(lang, "sekretariat"),
        ("post", "/workshop/{workshop}/sporsmal/ny/", _question(title="")),
        "Feltet er påkrevet.",
        "This field is required.",
    ),
    (
        "workshop question, a number that is taken",
        lambda lang, mipr: _client(lang, "sekretariat"),
        ("post", "/workshop/{workshop}/sporsmal/ny/", _question(number=1)),
        "Et annet spørsmål har dette nummeret.",
        "Another question has this number.",
    ),
    (
        "answer, over-long text with the Save button",
        "participant",
        ("post", "/delta/gruppe/{group}/2/", "long answer"),
        # The page's parser folds the no-break spaces of «5 001» into spaces.
        "Teksten i punkt 2 er for lang: den har 5 001 tegn, og grensen er 5 000.",
        "The text in item 2 is too long: it has 5,001 characters, and the limit "
        "is 5,000.",
    ),
    (
        "answer, over-long text by autosave",
        "participant",
        ("json", "/delta/gruppe/{group}/2/autolagring/", "long autosave"),
        # The digits are grouped with no-break spaces, as in Norwegian.
        "Teksten i punkt 2 er for lang: den har 5\xa0001 tegn, og grensen er 5\xa0000.",
        "The text in item 2 is too long: it has 5,001 characters, and the limit "
        "is 5,000.",
    ),
]


def _request(case, language, mipr):
    from workshops.models import Workshop

    name, make_client, (method, url, data), _nb, _en = case
    workshop = Workshop.objects.get(process=mipr)
    group = workshop.groups.get(number=5)  # the demo's group 5 has no answers
    question = workshop.questions.get(number=2)
    url = url.format(workshop=workshop.pk, group=group.pk)
    if make_client == "participant":
        client = _participant(language, group)
    else:
        client = make_client(language, mipr)
    if data == "long answer":
        data = _long_answer(question)
    elif data == "long autosave":
        content = [{"text": "ok", "why": ""} for _slot in question.slots]
        content[1]["text"] = "x" * 5001
        data = {"version": 0, "base": None, "content": content}
    if method == "json":
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_error_messages_are_in_the_pages_language(mipr, case):
    name, _client_for, _request_spec, nb_expected, en_expected = case
    messages = {}
    bokmal_page = ""
    for language in ("nb", "en"):
        response = _request(case, language, mipr)
        # 400 for a refused form, 409 for an answer saved but for the long item.
        assert response.status_code in (200, 400, 409), (language, response.status_code)
        assert response["Content-Language"] == language
        messages[language] = _errors(response)
        if language == "nb":
            bokmal_page = response.content.decode()
    nb, en = messages["nb"], messages["en"]
    print(f"{name}\n  nb: {nb}\n  en: {en}")

    assert nb, "the bokmål page shows no error"
    assert any(nb_expected in message for message in nb), nb
    assert any(en_expected in message for message in en), en
    leaks = [english for english in DJANGO_ENGLISH if english in bokmal_page]
    assert leaks == [], f"English on a bokmål page: {leaks}"
    assert len(nb) == len(en), (nb, en)
    same = [message for message in nb if message in en]
    assert same == [], f"not translated: {same}"


def test_the_error_reader_finds_crispy_and_plain_errors():
    """What the test above relies on: it must see each kind of error element."""
    parser = _Errors()
    parser.feed(
        '<div class="alert alert-block alert-danger"><ul><li>Ikke-felt</li></ul></div>'
        '<input class="form-control is-invalid"><span class="invalid-feedback">'
        "<strong>Feltfeil</strong></span>"
        '<ul class="errorlist"><li>Liste</li></ul><p class="help">Hjelp</p>'
    )
    assert parser.messages == ["Ikke-felt", "Feltfeil", "Liste"]
