"""The pages are valid HTML, by an independent checker: the W3C Nu HTML Checker
(npm's vnu-jar, run with Java) reads the pages each role sees, including the
confirmation steps, the adoption checklist, a kept comment, the profile and
the page for an expired form."""

import pytest
from django.test import Client

from tests.helpers import html_errors

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
BASE = f"/strategi/{SLUG}"


@pytest.fixture
def demo(mipr):
    from demo import document

    strategy = document.load_strategy(mipr)
    return strategy


def _participant_pages(workshop):
    """A participant back at /delta/, asked before submitting the last answer,
    and the group's page once it is finished."""
    from tests.helpers import join
    from workshops import services

    group = workshop.groups.get(number=5)  # the demo's group 5 has no answers
    inger = Client()
    join(inger, group, "Inger")
    questions = list(workshop.questions.all())
    form = {}
    for question in questions:
        content = [{"text": "Tekst", "why": "Fordi"} for _slot in question.slots]
        services.answer_save(
            group=group, question=question, content=content, version=0, editor="Inger"
        )
        form = {"version": 1, "base": "", "action": "submit"}
        for index in range(len(content)):
            form.update({f"slot-{index}-text": "Tekst", f"slot-{index}-why": "Fordi"})
    last = questions[-1]
    asked = inger.post(f"/delta/gruppe/{group.pk}/{last.number}/", form)
    for question in questions:
        services.answer_submit(group=group, question=question, editor="Inger")
    return [
        ("join, remembered", inger.get("/delta/")),
        ("submit question", asked),
        ("group finished", inger.get(f"/delta/gruppe/{group.pk}/")),
    ]


def _pages(demo, people, as_user):
    """(name, response) for each page to check."""
    workshop = demo.process.workshops.get()
    group = workshop.groups.get(number=1)
    question = workshop.questions.get(number=3)
    section = demo.versions.get(number=2).sections.first()
    sara, rita, arne = (
        as_user("sekretariat"),
        as_user("radsmedlem"),
        as_user("arbeidsgruppe"),
    )
    # A comment refused (too long) waits in its section.
    rita.post(
        f"{BASE}/versjon/2/kommentar/", {"section": section.pk, "text": "x" * 10_001}
    )
    refused = Client(enforce_csrf_checks=True)
    refused.force_login(people["radsmedlem"])
    return [
        *_participant_pages(workshop),
        ("landing", Client().get("/")),
        ("front page, secretariat", sara.get("/")),
        ("front page, council member", rita.get("/")),
        ("plan", Client().get("/tidslinje/")),
        ("strategy list", rita.get("/strategi/")),
        ("version, council member, kept comment", rita.get(f"{BASE}/versjon/2/")),
        ("version, replaced", rita.get(f"{BASE}/versjon/1/")),
        ("version, secretariat", sara.get(f"{BASE}/versjon/2/")),
        ("adopt checklist", sara.get(f"{BASE}/versjon/2/vedta/")),
        ("comparison of versions", rita.get(f"{BASE}/endringer/?fra=1&til=2")),
        (
            "publish question",
            sara.post(f"{BASE}/versjon/2/offentlig/", {"public": "1"}),
        ),
        ("workshop", sara.get(f"/workshop/{workshop.pk}/")),
        ("join screen", sara.get(f"/workshop/{workshop.pk}/bli-med/")),
        (
            "join screen, projector",
            sara.get(f"/workshop/{workshop.pk}/bli-med/?projektor=1"),
        ),
        ("wall, projector", sara.get(f"/workshop/{workshop.pk}/vegg/?projektor=1")),
        ("join cards", sara.get(f"/workshop/{workshop.pk}/kort/")),
        (
            "close question",
            sara.post(f"/workshop/{workshop.pk}/status/", {"status": "closed"}),
        ),
        (
            "new code question",
            sara.post(f"/workshop/{workshop.pk}/gruppe/{group.pk}/ny-kode/"),
        ),
        (
            "delete question, refused",
            sara.post(f"/workshop/{workshop.pk}/sporsmal/{question.pk}/slett/"),
        ),
        ("answers side by side", arne.get(f"{BASE}/funn/svar/")),
        ("findings as slides", arne.get(f"{BASE}/funn/oppsummering/lysbilder/")),
        ("audit log", sara.get(f"/endringslogg/{SLUG}/")),
        (
            "audit log, refused filter",
            sara.get(f"/endringslogg/{SLUG}/", {"fra": "2026-04-12", "til": "1"}),
        ),
        ("profile", rita.get("/profil/")),
        (
            "profile, refused",
            rita.post("/profil/", {"first_name": "Rita", "email": "ikke-epost"}),
        ),
        (
            "expired form",
            refused.post(
                f"{BASE}/versjon/2/kommentar/",
                {"section": section.pk, "text": "En lang kommentar som ble avvist."},
                HTTP_REFERER=f"http://testserver{BASE}/versjon/2/",
            ),
        ),
    ]


def test_the_pages_are_valid_html(demo, people, as_user, tmp_path):
    pages = {}
    for name, response in _pages(demo, people, as_user):
        assert response.status_code in (200, 403), (name, response.status_code)
        pages[name] = response.content
    errors = html_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
