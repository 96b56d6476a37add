"""Tagging answer items on «Svarene side om side»: the page's one form («Lagre
alle»), the script's tick endpoint and new findings made beside an item."""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from findings import services, views
from findings.models import Finding, ItemTag
from mipr.errors import NotFound
from mipr.ratelimit import Limit
from tests.findings.helpers import answer, finding
from tests.workshops.factories import GroupFactory, QuestionFactory, WorkshopFactory
from workshops.models import Answer

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
PAGE = f"/strategi/{SLUG}/funn/svar/"
SAVE = f"/strategi/{SLUG}/funn/merk/"
TICK = f"/strategi/{SLUG}/funn/merk/punkt/"
NEW = f"/strategi/{SLUG}/funn/merk/nytt-funn/"


def tags(item):
    return set(
        ItemTag.objects.filter(answer=item[0], slot=item[1]).values_list(
            "finding__title", flat=True
        )
    )


def every_tag():
    return sorted(ItemTag.objects.values_list("answer_id", "slot", "finding_id"))


def page_form(client, query=""):
    """What the page's form sends as it stands: every item, and its ticks."""
    html = client.get(PAGE + query).content.decode()
    return {
        "back": re.search(r'name="back" value="([^"]*)"', html)[1].replace(
            "&amp;", "&"
        ),
        "item": re.findall(r'name="item" value="([^"]+)"', html),
        "tag": re.findall(r'name="tag" value="([^"]+)"[^>]* checked', html),
    }


def post_json(client, url, payload, **extra):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(url, body, content_type="application/json", **extra)


@pytest.fixture
def world(mipr):
    """The demo's question 1 (group 1: three items, group 2: two) and another
    process with an answer and a finding of its own."""
    other = WorkshopFactory()
    foreign_answer = Answer.objects.create(
        group=GroupFactory(workshop=other),
        question=QuestionFactory(workshop=other),
        content=[{"text": "x", "why": ""}],
    )
    return {
        "question": mipr.workshops.get().questions.get(number=1),
        "g1": answer(mipr, 1, 1),
        "g2": answer(mipr, 2, 1),
        "trust": finding(mipr, "Tillit og samarbeid"),
        "good": finding(mipr, "Vi skal gjøre kommunene gode"),
        "identity": finding(mipr, "Bygge ny identitet"),
        "foreign_answer": foreign_answer,
        "foreign_finding": Finding.objects.create(process=other.process, title="X"),
    }


# --- «Lagre alle»: the page's one form ------------------------------------------------


def test_save_all_saves_every_item_at_once_and_unticking_works(as_user, world):
    client = as_user("arbeidsgruppe")
    query = f"?sporsmal={world['question'].pk}&gruppe=&funn="
    data = page_form(client, query)
    assert len(data["item"]) == 5  # group 1's three items, group 2's two
    g1, g2, trust, good = world["g1"], world["g2"], world["trust"], world["good"]
    assert tags((g1, 1)) == {good.title} and tags((g2, 0)) == {"Bygge ny identitet"}
    data["tag"] = [
        f"{g1.pk}:0:{trust.pk}",  # new on two items
        f"{g2.pk}:1:{trust.pk}",
        f"{g1.pk}:2:{trust.pk}",  # as it was (the demo's tag)
    ]
    # Unticked: group 1's item 2 («Kommuneøkonomien») and group 2's item 1
    # lose their findings; group 2's item 2 loses «Det beste av to verdener».
    data["sted"] = ""  # the bottom button, which follows the page down
    response = client.post(SAVE, data)
    assert tags((g1, 0)) == {trust.title}
    assert tags((g1, 1)) == set()
    assert tags((g1, 2)) == {trust.title}
    assert tags((g2, 0)) == set()
    assert tags((g2, 1)) == {trust.title}
    # Back to the same filters, at the last item changed, and how many changed.
    assert response["Location"] == (
        f"{PAGE}?sporsmal={world['question'].pk}&gruppe=&funn=#punkt-{g2.pk}-1"
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["Lagret: 4 punkter er endret."]


def test_save_all_keeps_a_colleagues_tag_made_after_the_page_was_opened(as_user, world):
    client = as_user("arbeidsgruppe")
    data = page_form(client, f"?sporsmal={world['question'].pk}")
    g1, trust, identity = world["g1"], world["trust"], world["identity"]
    # A colleague tags item 1 and makes a finding meanwhile ...
    services.item_tick(
        process=g1.question.workshop.process,
        answer_id=g1.pk,
        slot=0,
        finding_id=identity.pk,
        checked=True,
    )
    # ... and this page, which showed neither, ticks «Tillit» on the same item.
    data["tag"].append(f"{g1.pk}:0:{trust.pk}")
    client.post(SAVE, data)
    assert tags((g1, 0)) == {trust.title, identity.title}


def test_save_all_goes_back_to_the_top_when_the_top_button_was_pressed(as_user, world):
    client = as_user("sekretariat")
    data = page_form(client, f"?sporsmal={world['question'].pk}&funn=ingen")
    assert len(data["item"]) == 1  # only «Lav arbeidsdeltakelse» is untagged
    data["tag"] = [f"{world['g1'].pk}:0:{world['good'].pk}"]
    response = client.post(SAVE, {**data, "sted": "merking-topp"})
    assert response["Location"].endswith("&funn=ingen#merking-topp")
    assert tags((world["g1"], 0)) == {world["good"].title}


def test_save_all_with_nothing_changed_says_so_and_ignores_a_strange_place(
    as_user, world
):
    client = as_user("sekretariat")
    data = page_form(client)
    before = every_tag()
    response = client.post(SAVE, {**data, "sted": "javascript:alert(1)", "x": "y"})
    assert response["Location"] == PAGE  # no filters were set
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Lagret. Ingen punkter var endret."
    ]
    assert every_tag() == before


@pytest.mark.parametrize(
    "change",
    [
        {"item": ["1:0:", "x:0:"]},
        {"item": ["1:0:1,"]},
        {"item": ["1:0"]},
        {"tag": ["999:0:1"]},  # a tick for an item the page did not name
        {"tag": ["1:0:1:2"]},
        {"item": [f"{2**63}:0:"]},
        {"item": ["1:99999:"]},
        {"item": ["١:0:"]},  # digits of another script
    ],
)
def test_save_all_refuses_what_it_cannot_read_and_changes_nothing(
    as_user, world, change
):
    client = as_user("sekretariat")
    data = {**page_form(client), **change}
    before = every_tag()
    response = client.post(SAVE, data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Merkingen kunne ikke leses. Ingenting er endret."
    ]
    assert every_tag() == before


def test_save_all_with_an_item_or_finding_of_another_process_is_404_and_changes_nothing(
    as_user, world
):
    client = as_user("sekretariat")
    data = page_form(client)
    before = every_tag()
    foreign_item = f"{world['foreign_answer'].pk}:0:"
    response = client.post(SAVE, {**data, "item": [*data["item"], foreign_item]})
    assert response.status_code == 404
    g1 = world["g1"]
    forged = [*data["tag"], f"{g1.pk}:0:{world['trust'].pk}"]
    forged.append(f"{g1.pk}:0:{world['foreign_finding'].pk}")
    assert client.post(SAVE, {**data, "tag": forged}).status_code == 404
    out_of_range = [*data["item"], f"{g1.pk}:3:"]  # the question has three items
    assert client.post(SAVE, {**data, "item": out_of_range}).status_code == 404
    assert every_tag() == before


# --- The script's tick ----------------------------------------------------------------


def test_a_tick_is_saved_at_once_and_undone(as_user, world):
    client = as_user("arbeidsgruppe")
    g1, trust = world["g1"], world["trust"]
    tick = {"answer": g1.pk, "slot": 0, "finding": trust.pk, "checked": True}
    response = post_json(client, TICK, tick)
    assert response.status_code == 200
    assert response.json() == {
        "checked": True,
        "changed": True,
        "tagged": True,
        "message": "Lagret: «Tillit og samarbeid» er lagt til.",
    }
    assert tags((g1, 0)) == {trust.title}
    # The same tick again (sent twice after a dropped answer) changes nothing.
    assert post_json(client, TICK, tick).json()["changed"] is False
    undone = post_json(client, TICK, {**tick, "checked": False}).json()
    assert undone == {
        "checked": False,
        "changed": True,
        "tagged": False,
        "message": "Lagret: «Tillit og samarbeid» er tatt bort.",
    }
    assert tags((g1, 0)) == set()


def test_a_tick_is_in_the_audit_log(as_user, world):
    from mipr.models import AuditEntry

    g1 = world["g1"]
    tick = {"answer": g1.pk, "slot": 0, "finding": world["trust"].pk, "checked": True}
    demo = AuditEntry.objects.order_by("pk").last().pk
    post_json(as_user("arbeidsgruppe"), TICK, tick)
    post_json(as_user("sekretariat"), TICK, {**tick, "checked": False})
    entries = AuditEntry.objects.filter(pk__gt=demo).order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [
        ("created", "arbeidsgruppe"),
        ("deleted", "sekretariat"),
    ]


@pytest.mark.parametrize(
    "forge",
    [
        lambda w: {"answer": w["foreign_answer"].pk},
        lambda w: {"finding": w["foreign_finding"].pk},
        lambda w: {"slot": 3},  # the question has three items
        lambda w: {"answer": 10**12},
        lambda w: {"finding": 10**12},
    ],
)
def test_a_tick_with_an_id_of_another_process_is_404_and_changes_nothing(
    as_user, world, forge
):
    before = every_tag()
    tick = {"answer": world["g1"].pk, "slot": 0, "finding": world["trust"].pk}
    tick = {**tick, "checked": True, **forge(world)}
    response = post_json(as_user("sekretariat"), TICK, tick)
    assert response.status_code == 404
    assert response.json()["error"] == (
        "Punktet eller funnet finnes ikke lenger. Ingenting er endret."
    )
    assert every_tag() == before


@pytest.mark.parametrize(
    "body",
    [
        "",
        "{",
        "[]",
        "null",
        '"x"',
        "[" * 100_000,
        '{"answer": 1}',
        '{"answer": 1, "slot": 0, "finding": 1}',  # checked is missing
        '{"answer": 1, "slot": 0, "finding": 1, "checked": "true"}',
        '{"answer": 1, "slot": 0, "finding": 1, "checked": 1}',
        '{"answer": true, "slot": 0, "finding": 1, "checked": true}',
        '{"answer": "x", "slot": 0, "finding": 1, "checked": true}',
        '{"answer": 1, "slot": -1, "finding": 1, "checked": true}',
        '{"answer": 1, "slot": 0, "finding": 9223372036854775808, "checked": true}',
        '{"answer": [1], "slot": {}, "finding": null, "checked": true}',
    ],
)
def test_a_tick_that_cannot_be_read_is_400_with_a_message(as_user, world, body):
    before = every_tag()
    response = post_json(as_user("arbeidsgruppe"), TICK, body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Merkingen kunne ikke leses. Ingenting er endret."
    }
    assert every_tag() == before


def test_a_storm_of_ticks_gets_429_with_retry_after_and_the_tick_is_not_lost(
    as_user, world, monkeypatch
):
    monkeypatch.setattr(views, "TICKS", Limit("tag-tick-test", limit=3))
    client = as_user("arbeidsgruppe")
    g1, g2 = world["g1"], world["g2"]
    ticks = [
        {"answer": g1.pk, "slot": 0, "finding": world["trust"].pk, "checked": True},
        {"answer": g1.pk, "slot": 0, "finding": world["good"].pk, "checked": True},
        {"answer": g1.pk, "slot": 0, "finding": world["trust"].pk, "checked": False},
        {"answer": g2.pk, "slot": 1, "finding": world["trust"].pk, "checked": True},
    ]
    for tick in ticks[:3]:
        assert post_json(client, TICK, tick).status_code == 200
    refused = post_json(client, TICK, ticks[3])
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["retry"] == int(refused["Retry-After"])
    assert tags((g2, 1)) == {"«Det beste av to verdener»"}  # nothing changed
    # Another user is not held up; and once the window has passed (a new
    # window: the cache is emptied here) the same tick is saved.
    other = post_json(as_user("sekretariat"), TICK, ticks[3])
    assert other.status_code == 200
    from django.core.cache import cache

    cache.clear()
    assert post_json(client, TICK, ticks[3]).json()["changed"] is False
    assert tags((g1, 0)) == {"Vi skal gjøre kommunene gode"}


# --- A new finding beside an item ---------------------------------------------------


def test_the_script_creates_a_finding_for_an_item(as_user, world):
    client = as_user("arbeidsgruppe")
    g1 = world["g1"]
    response = post_json(
        client, NEW, {"answer": g1.pk, "slot": 0, "title": "  Bolig og tilflytting "}
    )
    assert response.status_code == 201
    new = Finding.objects.get(title="Bolig og tilflytting")
    assert response.json() == {
        "finding": {"id": new.pk, "title": "Bolig og tilflytting"},
        "message": "Funnet «Bolig og tilflytting» er opprettet, og punktet er merket "
        "med det.",
    }
    assert new.order == 5  # last, as from «Nytt funn»
    assert tags((g1, 0)) == {"Bolig og tilflytting"}


@pytest.mark.parametrize(
    "title, error",
    [
        ("", "Feltet er påkrevet."),
        ("   ", "Feltet er påkrevet."),
        (
            "x" * 201,
            "Sørg for at denne verdien har 200 eller færre tegn (den har nå 201).",
        ),
        ("a\x00b", "Null-tegn er ikke tillatt."),
    ],
)
def test_the_script_gets_the_finding_forms_title_errors(as_user, world, title, error):
    findings = Finding.objects.count()
    response = post_json(
        as_user("arbeidsgruppe"),
        NEW,
        {"answer": world["g1"].pk, "slot": 0, "title": title},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "Det nye funnet kunne ikke opprettes.",
        "errors": {"title": [error]},
    }
    assert Finding.objects.count() == findings


@pytest.mark.parametrize(
    "payload, status",
    [
        (lambda w: {"answer": w["foreign_answer"].pk, "slot": 0, "title": "T"}, 404),
        (lambda w: {"answer": w["g1"].pk, "slot": 3, "title": "T"}, 404),
        (lambda w: {"answer": w["g1"].pk, "slot": 0, "title": ["T"]}, 400),
        (lambda w: {"answer": w["g1"].pk, "slot": 0}, 400),
        (lambda w: {"answer": w["g1"].pk, "title": "T"}, 400),
        (lambda w: "{", 400),
    ],
)
def test_the_script_cannot_make_a_finding_on_another_process_item(
    as_user, world, payload, status
):
    before = (Finding.objects.count(), every_tag())
    response = post_json(as_user("sekretariat"), NEW, payload(world))
    assert response.status_code == status
    assert response.json()["error"]
    assert (Finding.objects.count(), every_tag()) == before


def test_without_script_a_new_finding_saves_the_other_ticks_too(as_user, world):
    client = as_user("arbeidsgruppe")
    query = f"?sporsmal={world['question'].pk}"
    data = page_form(client, query)
    g1, g2 = world["g1"], world["g2"]
    data["tag"].append(f"{g2.pk}:1:{world['trust'].pk}")  # ticked before
    response = client.post(
        NEW,
        {
            **data,
            f"new-{g1.pk}-0-title": "Bolig og tilflytting",
            f"new-{g2.pk}-0-title": "",  # an item where nothing was typed
            "new": f"{g1.pk}:0",
        },
    )
    assert response["Location"] == f"{PAGE}{query}#punkt-{g1.pk}-0"
    assert tags((g1, 0)) == {"Bolig og tilflytting"}
    assert tags((g2, 1)) == {"«Det beste av to verdener»", world["trust"].title}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Funnet «Bolig og tilflytting» er opprettet, og punktet er merket med det.",
        "Lagret: 1 punkt er endret.",
    ]


def test_without_script_enter_in_a_title_field_creates_the_finding(as_user, world):
    # Enter sends the form with its first button, «Lagre alle»: the typed title
    # is a finding all the same, and the page comes back at its item.
    client = as_user("arbeidsgruppe")
    data = page_form(client)
    g2 = world["g2"]
    response = client.post(
        SAVE, {**data, "sted": "merking-topp", f"new-{g2.pk}-1-title": "Natur"}
    )
    assert response["Location"] == f"{PAGE}#punkt-{g2.pk}-1"
    assert "Natur" in tags((g2, 1))


@pytest.mark.parametrize(
    "title, error",
    [
        ("", "Feltet er påkrevet."),
        ("x" * 201, "200 eller færre tegn"),
        ("a\x00b", "Null-tegn er ikke tillatt."),
    ],
)
def test_without_script_a_refused_title_keeps_every_tick_and_the_text(
    as_user, world, title, error
):
    client = as_user("arbeidsgruppe")
    query = f"?sporsmal={world['question'].pk}&gruppe=1"
    data = page_form(client, query)
    g1, trust = world["g1"], world["trust"]
    data["tag"].append(f"{g1.pk}:0:{trust.pk}")
    before = (Finding.objects.count(), every_tag())
    response = client.post(
        NEW,
        {**data, f"new-{g1.pk}-1-title": title, "new": f"{g1.pk}:1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Det nye funnet kunne ikke opprettes: se punktet nedenfor." in html
    assert error in html
    # The box ticked is still ticked, the typed text is in its field, the field
    # is marked and has the focus, and its <details> is open.
    assert re.search(rf'value="{g1.pk}:0:{trust.pk}"[^>]* checked', html)
    field = re.search(rf'<input [^>]*name="new-{g1.pk}-1-title"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in field and "autofocus" in field
    if title.strip() and "\x00" not in title:
        assert f'value="{title}"' in field
    assert html.count('<details class="new-finding" open>') == 1
    # Only the filters came back: the page shows group 1 alone.
    assert 'name="back" value="sporsmal=' in html and "gruppe=1" in html
    assert html.count('name="item"') == 3
    assert (Finding.objects.count(), every_tag()) == before
    # Sent again as it now stands, with a good title: all of it is saved.
    again = page_form_from(html)
    again[f"new-{g1.pk}-1-title"] = "Arbeid"
    again["new"] = f"{g1.pk}:1"
    client.post(NEW, again)
    assert tags((g1, 0)) == {trust.title} and tags((g1, 1)) == {
        "Vi skal gjøre kommunene gode",
        "Arbeid",
    }


def page_form_from(html):
    return {
        "back": re.search(r'name="back" value="([^"]*)"', html)[1].replace(
            "&amp;", "&"
        ),
        "item": re.findall(r'name="item" value="([^"]+)"', html),
        "tag": re.findall(r'name="tag" value="([^"]+)"[^>]* checked', html),
    }


def test_a_create_button_names_an_item_of_the_page(as_user, world):
    data = page_form(as_user("arbeidsgruppe"))
    before = (Finding.objects.count(), every_tag())
    for new in ["", "x", f"{world['g1'].pk}", f"{world['foreign_answer'].pk}:0"]:
        client = as_user("arbeidsgruppe")
        response = client.post(NEW, {**data, "new": new, "new-1-0-title": "T"})
        assert response.status_code == 302
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "Merkingen kunne ikke leses. Ingenting er endret."
        ]
    assert (Finding.objects.count(), every_tag()) == before


# --- Who may ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [SAVE, TICK, NEW])
def test_only_the_process_staff_may_tag(as_user, world, url):
    tick = {"answer": world["g1"].pk, "slot": 0, "finding": world["trust"].pk}
    payload = {**tick, "checked": True, "title": "T"}
    before = (Finding.objects.count(), every_tag())
    for persona in ("radsmedlem", "other_secretariat", "outsider"):
        assert post_json(as_user(persona), url, payload).status_code == 404, persona
        form = {"item": [f"{world['g1'].pk}:0:"], "tag": [f"{world['g1'].pk}:0:1"]}
        assert as_user(persona).post(url, form).status_code == 404, persona
    response = post_json(Client(), url, payload)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")
    assert as_user("arbeidsgruppe").get(url).status_code == 405
    assert (Finding.objects.count(), every_tag()) == before


@pytest.mark.parametrize("url", [SAVE, TICK, NEW])
def test_tagging_needs_the_csrf_token(people, world, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["arbeidsgruppe"])
    tick = {"answer": world["g1"].pk, "slot": 0, "finding": world["trust"].pk}
    assert post_json(client, url, {**tick, "checked": True}).status_code == 403
    assert ItemTag.objects.filter(answer=world["g1"], slot=0).count() == 0


def test_another_process_secretariat_cannot_tag_mipr_items_from_their_address(
    people, as_user, world
):
    own = people["other_secretariat"].memberships.get().process.slug
    client = as_user("other_secretariat")
    g1 = world["g1"]
    tick = {"answer": g1.pk, "slot": 0, "finding": world["trust"].pk}
    before = (Finding.objects.count(), every_tag())
    base = f"/strategi/{own}/funn/merk/"
    assert (
        post_json(client, base + "punkt/", {**tick, "checked": True}).status_code == 404
    )
    new = {"answer": g1.pk, "slot": 0, "title": "T"}
    assert post_json(client, base + "nytt-funn/", new).status_code == 404
    form = {"item": [f"{g1.pk}:0:"], "tag": [f"{g1.pk}:0:{world['trust'].pk}"]}
    assert client.post(base, form).status_code == 404
    assert (Finding.objects.count(), every_tag()) == before


# --- The services -------------------------------------------------------------------


def test_items_set_findings_is_all_or_nothing(mipr, world):
    g1 = world["g1"]
    before = every_tag()
    with pytest.raises(NotFound):
        services.items_set_findings(
            process=mipr,
            items={
                (g1.pk, 0): [world["trust"].pk],
                (world["foreign_answer"].pk, 0): [],
            },
        )
    with pytest.raises(NotFound):
        services.tagging_save(
            process=mipr,
            items={(g1.pk, 0): [world["trust"].pk]},
            new_findings={(g1.pk, 9): "Ny"},
        )
    assert every_tag() == before
    assert not Finding.objects.filter(title="Ny").exists()


@pytest.mark.parametrize("groups", [5, 150])
def test_save_all_runs_a_bounded_number_of_queries_for_items_left_as_they_were(
    as_user, mipr, groups, django_assert_max_num_queries
):
    from tests.findings.test_views import make_big

    question = make_big(mipr, groups)
    client = as_user("arbeidsgruppe")
    data = page_form(client, f"?sporsmal={question.pk}")
    assert len(data["item"]) == groups * 3
    # The first item loses its finding; the others stay as they were.
    first = ":".join(data["item"][0].split(":")[:2])
    kept = [t for t in data["tag"] if not t.startswith(f"{first}:")]
    assert len(kept) == len(data["tag"]) - 1
    # Session, user, membership; the answers and the tags of the page's items
    # (once each, whatever their number); the transaction's savepoints; the
    # tag deleted and its audit entry; the message in the session.
    with django_assert_max_num_queries(14):
        response = client.post(SAVE, {**data, "tag": kept})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Lagret: 1 punkt er endret."
    ]
