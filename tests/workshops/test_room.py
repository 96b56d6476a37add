"""The workshop room: the join screen's codes and members, projector mode for
the join screen and the wall, and the printable join cards."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- The join screen ---------------------------------------------------------------


def test_the_join_screen_spells_each_code_for_screen_readers(people, workshop):
    html = (
        logged_in(people["sekretariat"])
        .get(f"/workshop/{workshop.pk}/bli-med/")
        .content.decode()
    )
    # No aria-label on a <p> (the W3C checker refuses it): the big letters are
    # hidden from screen readers and a visually hidden text spells the code.
    assert "aria-label" not in html.split('class="join-groups', 1)[1].split("<img")[0]
    for group in workshop.groups.all():
        spelled = " ".join(group.code)
        assert (
            f'<p class="join-code"><span aria-hidden="true">{group.code}</span>'
            f'<span class="visually-hidden">Kode: {spelled}</span></p>'
        ) in html


def test_the_join_screen_shows_each_groups_members(people, workshop):
    html = (
        logged_in(people["sekretariat"])
        .get(f"/workshop/{workshop.pk}/bli-med/")
        .content.decode()
    )
    for group in workshop.groups.all():
        assert f'<p class="join-members">{group.members}</p>' in html
    assert "Simen, Ivar, Kjerstin F. og Marianne B." in html


# --- Projector mode ----------------------------------------------------------------


PROJECTOR_PAGES = ["bli-med/", "vegg/", "vegg/?sporsmal=2&navn=skjul"]


def _projector_url(workshop, page):
    joiner = "&" if "?" in page else "?"
    return f"/workshop/{workshop.pk}/{page}{joiner}projektor=1"


@pytest.mark.parametrize("page", PROJECTOR_PAGES)
def test_projector_mode_leaves_out_the_menu_and_the_signed_in_name(
    people, workshop, page
):
    client = logged_in(people["sekretariat"])
    normal = client.get(f"/workshop/{workshop.pk}/{page}").content.decode()
    assert "Innlogget som" in normal and 'aria-label="Hovedmeny"' in normal
    assert '<body class="d-flex flex-column min-vh-100"' in normal

    html = client.get(_projector_url(workshop, page)).content.decode()
    assert '<body class="d-flex flex-column min-vh-100 projector"' in html
    assert "Innlogget som" not in html
    assert 'aria-label="Hovedmeny"' not in html
    assert "<header>" not in html and "<footer" not in html
    assert "Logg ut" not in html
    assert workshop.title in html or "Store samfunnsutfordringer" in html


def test_the_normal_pages_link_to_projector_mode_and_back(people, workshop):
    client = logged_in(people["sekretariat"])
    html = client.get(f"/workshop/{workshop.pk}/bli-med/").content.decode()
    assert '<a href="?projektor=1">Vis på projektor</a>' in html
    html = client.get(_projector_url(workshop, "bli-med/")).content.decode()
    assert (
        f'<a href="/workshop/{workshop.pk}/bli-med/">Avslutt projektorvisning</a>'
        in html
    )

    html = client.get(f"/workshop/{workshop.pk}/vegg/?sporsmal=2").content.decode()
    assert 'href="?sporsmal=2&amp;navn=vis&amp;projektor=1">Vis på projektor' in html
    html = client.get(
        _projector_url(workshop, "vegg/?sporsmal=2&navn=skjul")
    ).content.decode()
    assert 'href="?sporsmal=2&amp;navn=skjul">Avslutt projektorvisning' in html


def test_the_projector_walls_controls_stay_in_projector_mode(people, workshop):
    html = (
        logged_in(people["sekretariat"])
        .get(_projector_url(workshop, "vegg/?sporsmal=2"))
        .content.decode()
    )
    controls = html.split('<nav class="wall-controls', 1)[1].split("</nav>", 1)[0]
    assert controls.startswith(" d-flex flex-wrap gap-2 mb-3 visually-hidden-focusable")
    links = re.findall(r'href="\?([^"]+)"', controls)
    assert links[:3] == [
        "sporsmal=1&amp;navn=vis&amp;projektor=1",
        "sporsmal=3&amp;navn=vis&amp;projektor=1",
        "sporsmal=2&amp;navn=skjul&amp;projektor=1",
    ]
    # The live refresh asks for the same answers as the normal wall.
    assert (
        f'data-refresh-url="/workshop/{workshop.pk}/vegg/svar/?sporsmal=2&amp;navn=vis"'
        in html
    )


def test_projector_mode_is_only_projektor_1(people, workshop):
    html = (
        logged_in(people["sekretariat"])
        .get(f"/workshop/{workshop.pk}/bli-med/?projektor=ja")
        .content.decode()
    )
    assert "Innlogget som" in html


@pytest.mark.parametrize("page", ["bli-med/", "vegg/"])
def test_projector_mode_keeps_the_pages_permissions(people, workshop, page):
    url = _projector_url(workshop, page)
    assert logged_in(people["arbeidsgruppe"]).get(url).status_code == 200
    for persona in ("radsmedlem", "other_secretariat", "outsider"):
        assert logged_in(people[persona]).get(url).status_code == 404, persona
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")


# --- The join cards ----------------------------------------------------------------


def test_the_cards_are_for_the_secretariat_only(people, workshop):
    url = f"/workshop/{workshop.pk}/kort/"
    assert logged_in(people["sekretariat"]).get(url).status_code == 200
    for persona in ("arbeidsgruppe", "radsmedlem", "other_secretariat", "outsider"):
        assert logged_in(people[persona]).get(url).status_code == 404, persona
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")


def test_the_workshop_page_links_the_secretariat_to_the_cards(people, workshop):
    link = f'href="/workshop/{workshop.pk}/kort/">Bordkort til utskrift</a>'
    page = f"/workshop/{workshop.pk}/"
    assert link in logged_in(people["sekretariat"]).get(page).content.decode()
    assert link not in logged_in(people["arbeidsgruppe"]).get(page).content.decode()


def _cards(html: str) -> list[str]:
    return [part.split("</section>", 1)[0] for part in html.split("<section")[1:]]


def test_one_card_per_group_with_name_members_code_and_qr_code(people, workshop):
    html = (
        logged_in(people["sekretariat"])
        .get(f"/workshop/{workshop.pk}/kort/")
        .content.decode()
    )
    cards = _cards(html)
    groups = list(workshop.groups.all())
    assert len(cards) == len(groups) == 5
    for card, group in zip(cards, groups, strict=True):
        assert f">{group.name}</h2>" in card
        assert f'<p class="join-card-members">{group.members}</p>' in card
        assert f'<span aria-hidden="true">{group.code}</span>' in card
        assert f"Kode: {' '.join(group.code)}" in card
        assert "<strong>http://testserver/delta/</strong>" in card
        assert f'alt="QR-kode for {group.name}"' in card
        qr = re.search(r'src="(data:image/svg\+xml[^"]+)"', card).group(1)
        # The QR code scales to the card: a viewBox, no fixed size.
        assert "viewBox" in qr and "width=" not in qr
    assert (
        "Gruppe 1" in cards[0] and "Simen, Ivar, Kjerstin F. og Marianne B." in cards[0]
    )
    # Another card's code is on no card but its own.
    assert groups[1].code not in cards[0]


def test_a_workshop_without_groups_has_no_cards(people, demo_process):
    from tests.workshops.factories import WorkshopFactory

    workshop = WorkshopFactory(process=demo_process)
    response = logged_in(people["sekretariat"]).get(f"/workshop/{workshop.pk}/kort/")
    assert response.status_code == 200
    assert _cards(response.content.decode()) == []
    assert "Workshopen har ingen grupper ennå." in response.content.decode()


@pytest.mark.parametrize("size", [5, 60])
def test_the_cards_run_the_same_number_of_queries_whatever_the_number_of_groups(
    people, demo_process, size, django_assert_max_num_queries
):
    from tests.workshops.factories import GroupFactory, WorkshopFactory

    workshop = WorkshopFactory(process=demo_process)
    for number in range(1, size + 1):
        GroupFactory(workshop=workshop, number=number)
    client = logged_in(people["sekretariat"])
    # Session, user, workshop, membership, then the groups once.
    with django_assert_max_num_queries(5):
        html = client.get(f"/workshop/{workshop.pk}/kort/").content.decode()
    assert len(_cards(html)) == size
