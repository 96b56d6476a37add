"""The outline a strategy starts from: per process, edited by the secretariat.

A new process starts from a neutral default; the demo loads MIPR's outline
with its cooperation agreement; starting the strategy follows the outline.
"""

import re

import pytest
from django.test import Client

from demo import document as document_demo
from strategy import outline, writing
from strategy.models import Outline, Strategy
from tests.factories import MembershipFactory, ProcessFactory

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
URL = f"/strategi/{SLUG}/disposisjon/"


def _post(sections, *, version, extra=0):
    """The outline page's form with these (heading, text) sections."""
    data = {
        "form-TOTAL_FORMS": str(len(sections) + extra),
        "form-INITIAL_FORMS": str(len(sections)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "version": str(version),
    }
    for index, (heading, text) in enumerate(sections):
        data[f"form-{index}-heading"] = heading
        data[f"form-{index}-text"] = text
        data[f"form-{index}-ORDER"] = str(index + 1)
    return data


def test_a_new_process_starts_from_the_neutral_default(people):
    process = ProcessFactory()
    sections, version = outline.outline_of(process)
    assert version == 0
    assert [s.heading for s in sections] == [s.heading for s in outline.DEFAULT]
    text = " ".join(s.heading + s.text for s in sections)
    assert "MIPR" not in text and "09.02.21" not in text
    strategy = writing.strategy_start(
        process=process, title="Strategi", by=people["sekretariat"]
    )
    headings = list(strategy.versions.get().sections.values_list("heading", flat=True))
    assert headings == [s.heading for s in outline.DEFAULT]


def test_the_demo_loads_mipr_outline_with_the_agreement(mipr):
    document_demo.load_outline(mipr)
    sections, version = outline.outline_of(mipr)
    assert version == 1
    assert [s.heading for s in sections] == [h for h, _ in document_demo.OUTLINE]
    assert "Samarbeidsavtalen av 09.02.21" in sections[1].text
    document_demo.load_outline(mipr)  # idempotent
    assert Outline.objects.get(process=mipr).version == 1


def test_the_secretariat_sees_the_default_and_saves_its_own(mipr, as_user):
    sara = as_user("sekretariat")
    html = sara.get(URL).content.decode()
    assert "Dette er standarddisposisjonen." in html
    assert 'value="Innledning"' in html
    response = sara.post(
        URL,
        _post(
            [("Innledning", "Hvorfor en strategi."), ("Mål", ""), ("Tiltak", "")],
            version=0,
        ),
        follow=True,
    )
    assert "Disposisjonen er lagret." in response.content.decode()
    sections, version = outline.outline_of(mipr)
    assert [(s.heading, s.text) for s in sections] == [
        ("Innledning", "Hvorfor en strategi."),
        ("Mål", ""),
        ("Tiltak", ""),
    ]
    assert version == 1


def test_sections_are_reordered_removed_and_added_in_one_save(mipr, as_user):
    sara = as_user("sekretariat")
    sara.post(URL, _post([("A", ""), ("B", ""), ("C", "")], version=0))
    data = _post([("A", ""), ("B", ""), ("C", "")], version=1, extra=1)
    data["form-0-ORDER"] = "4"  # A last
    data["form-1-DELETE"] = "on"  # B gone
    data["form-3-heading"] = "D"  # a new one, placed first
    data["form-3-ORDER"] = "0"
    assert sara.post(URL, data).status_code == 302
    sections, _version = outline.outline_of(mipr)
    assert [s.heading for s in sections] == ["D", "C", "A"]


def test_starting_the_strategy_follows_the_process_outline(mipr, as_user):
    sara = as_user("sekretariat")
    sara.post(URL, _post([("Innledning", "Start."), ("Veien videre", "")], version=0))
    start = sara.get(f"/strategi/{SLUG}/ny/").content.decode()
    assert "Veien videre" in start and URL in start
    sara.post(f"/strategi/{SLUG}/ny/", {"title": "Strategi"})
    version = Strategy.objects.get(process=mipr).versions.get()
    assert [(s.heading, s.body) for s in version.sections.all()] == [
        ("Innledning", "Start."),
        ("Veien videre", ""),
    ]


def test_a_stale_outline_is_refused_with_both_versions_and_the_text_kept(mipr, as_user):
    sara, arne = as_user("sekretariat"), as_user("sekretariat")
    sara.post(URL, _post([("Saras del", "")], version=0))
    response = arne.post(URL, _post([("Arnes del", "Arnes tekst")], version=0))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen andre lagret disposisjonen mens du redigerte" in html
    assert "Saras del" in html  # what is saved now
    assert 'value="Arnes del"' in html and "Arnes tekst</textarea>" in html
    assert re.search(r'name="version" value="1"', html)
    assert [s.heading for s in outline.outline_of(mipr)[0]] == ["Saras del"]
    # Saving again from the conflict page replaces it knowingly.
    assert arne.post(URL, _post([("Arnes del", "")], version=1)).status_code == 302
    assert [s.heading for s in outline.outline_of(mipr)[0]] == ["Arnes del"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"form-0-heading": ""}, "Feltet er påkrevet."),
        ({"form-0-heading": "x" * 201}, "har 200 eller færre tegn (den har nå 201)"),
        ({"form-0-text": "x" * 200_001}, "har 200000 eller færre tegn"),
        ({"form-0-heading": "Nul\x00l"}, "Null-tegn er ikke tillatt."),
        ({"version": ""}, "Siden er utdatert. Last den inn på nytt."),
        ({"version": "x"}, "Siden er utdatert. Last den inn på nytt."),
        ({"version": "-4"}, "Siden er utdatert. Last den inn på nytt."),
        ({"form-0-DELETE": "on"}, "En disposisjon må ha minst én del."),
        ({"form-TOTAL_FORMS": "x"}, "Siden er utdatert. Last den inn på nytt."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    mipr, as_user, change, message
):
    data = {**_post([("Innledning", "Tekst som står")], version=0), **change}
    response = as_user("sekretariat").post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if "form-0-text" not in change and "form-TOTAL_FORMS" not in change:
        assert "Tekst som står</textarea>" in html  # nothing typed is lost
    assert not Outline.objects.filter(process=mipr).exists()


def test_more_sections_than_an_outline_takes_are_refused(mipr, as_user):
    many = [(f"Del {n}", "") for n in range(outline.MAX_SECTIONS + 1)]
    response = as_user("sekretariat").post(URL, _post(many, version=0))
    assert response.status_code == 400
    html = response.content.decode()
    assert "En disposisjon kan ha høyst 50 deler." in html
    assert 'value="Del 50"' in html  # the last one typed is still there
    assert not Outline.objects.filter(process=mipr).exists()


@pytest.mark.parametrize(
    "persona", ["arbeidsgruppe", "radsmedlem", "other_secretariat"]
)
def test_only_the_processs_secretariat_sees_or_changes_the_outline(
    mipr, as_user, persona
):
    client = as_user(persona)
    assert client.get(URL).status_code == 404
    assert client.post(URL, _post([("X", "")], version=0)).status_code == 404
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/logg-inn/")
    assert not Outline.objects.exists()


def test_the_outline_page_runs_a_bounded_number_of_queries(
    mipr, as_user, django_assert_max_num_queries
):
    sara = as_user("sekretariat")
    sara.post(URL, _post([(f"Del {n}", "t") for n in range(40)], version=0))
    # session, user, membership with process, outline, strategy exists.
    with django_assert_max_num_queries(6):
        assert sara.get(URL).status_code == 200


def test_an_outline_belongs_to_its_own_process(mipr, as_user):
    other = ProcessFactory()
    MembershipFactory(process=other, role="sekretariat")
    as_user("sekretariat").post(URL, _post([("Bare MIPR", "")], version=0))
    assert outline.outline_of(other) == (list(outline.DEFAULT), 0)
