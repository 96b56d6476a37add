"""A member's own data: the secretariat hands it over as one file, and removes
a member so that what they wrote stays but they are no longer named."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from demo import document
from findings.models import Source
from mipr.models import AuditEntry, Membership, Role
from strategy.models import Comment
from tests.factories import MembershipFactory, ProcessFactory

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
MEMBERS = f"/medlemmer/{SLUG}/"


@pytest.fixture
def rita(mipr, people):
    """The council member, with comments (the demo's) and a source of her own."""
    document.load_strategy(mipr)
    rita = people["radsmedlem"]
    Source.objects.filter(process=mipr).update(assigned_to=rita)
    milestone = mipr.milestones.first()
    milestone.responsible_users.add(rita)
    return rita


def test_only_the_secretariat_sees_the_members(mipr, as_user, people):
    html = as_user("sekretariat").get(MEMBERS).content.decode()
    assert "Rita Rådsmedlem" in html and "Rådsmedlem" in html
    for persona in ("arbeidsgruppe", "radsmedlem", "other_secretariat", "outsider"):
        assert as_user(persona).get(MEMBERS).status_code == 404, persona
    assert Client().get(MEMBERS)["Location"].startswith("/logg-inn/")


def test_a_members_data_comes_as_one_file_with_everything(rita, as_user):
    response = as_user("sekretariat").get(f"{MEMBERS}{rita.pk}/data.json")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].endswith('radsmedlem.json"')
    data = json.loads(response.content)
    assert data["account"]["username"] == "radsmedlem"
    assert data["role"] == Role.COUNCIL_MEMBER
    assert {c["text"] for c in data["comments"]} >= {
        "Savner et konkret tiltak for felles næringsforum."
    }
    assert len(data["sources_assigned"]) == Source.objects.count()
    assert len(data["responsible_for"]) == 1


def test_removing_asks_once_saying_what_happens(rita, as_user):
    url = f"{MEMBERS}{rita.pk}/fjern/"
    html = as_user("sekretariat").get(url).content.decode()
    assert "Fjerne Rita Rådsmedlem fra prosessen?" in html
    assert "kan ikke angres" in html and "Tidligere medlem" in html
    assert Membership.objects.filter(user=rita).exists()  # nothing yet


def test_a_removed_member_is_no_longer_named_and_cannot_log_in(rita, as_user, mipr):
    comment = Comment.objects.filter(author=rita).first()
    AuditEntry.objects.create(
        process=mipr,
        user=rita,
        actor="radsmedlem",
        action="created",
        model="strategy.comment",
        object_id=str(comment.pk),
        object_repr=comment.text[:60],
        at=comment.created_at,
    )
    response = as_user("sekretariat").post(f"{MEMBERS}{rita.pk}/fjern/", follow=True)
    assert "er fjernet fra prosessen" in response.content.decode()
    assert not Membership.objects.filter(user=rita).exists()
    comment.refresh_from_db()
    assert comment.author is None and comment.text  # the comment stays
    assert not Source.objects.filter(assigned_to=rita).exists()
    assert not mipr.milestones.filter(responsible_users=rita).exists()
    assert not AuditEntry.objects.filter(user=rita).exists()
    assert AuditEntry.objects.filter(actor="Tidligere medlem").exists()
    rita.refresh_from_db()
    assert not rita.is_active and not rita.has_usable_password()
    assert "Rita" not in (rita.get_full_name() + rita.username + rita.email)
    # The comment shows as written by a former member to those who read it.
    version = comment.section.version
    page = as_user("sekretariat").get(version.get_absolute_url()).content.decode()
    assert "Tidligere medlem" in page and "Rita" not in page
    client = Client()
    client.post("/logg-inn/", {"username": "radsmedlem", "password": "mipr-demo"})
    assert "_auth_user_id" not in client.session


def test_a_member_of_another_process_keeps_the_account(rita, as_user):
    MembershipFactory(user=rita, process=ProcessFactory(), role=Role.COUNCIL_MEMBER)
    as_user("sekretariat").post(f"{MEMBERS}{rita.pk}/fjern/")
    rita.refresh_from_db()
    assert rita.is_active and rita.username == "radsmedlem"
    assert Membership.objects.filter(user=rita).count() == 1


def test_the_secretariat_cannot_remove_itself_or_the_last_secretariat(
    mipr, as_user, people
):
    sara = people["sekretariat"]
    response = as_user("sekretariat").post(f"{MEMBERS}{sara.pk}/fjern/")
    assert response.status_code == 403
    assert "Du kan ikke fjerne deg selv" in response.content.decode()
    second = MembershipFactory(process=mipr, role=Role.SECRETARIAT).user
    other = Client()
    other.force_login(second)
    assert other.post(f"{MEMBERS}{sara.pk}/fjern/").status_code == 302
    assert not Membership.objects.filter(user=sara, process=mipr).exists()


def test_another_process_members_cannot_be_reached(mipr, as_user):
    outsider = MembershipFactory(process=ProcessFactory()).user
    client = as_user("sekretariat")
    assert client.get(f"{MEMBERS}{outsider.pk}/data.json").status_code == 404
    assert client.post(f"{MEMBERS}{outsider.pk}/fjern/").status_code == 404
    assert get_user_model().objects.get(pk=outsider.pk).is_active


def test_the_members_page_runs_a_bounded_number_of_queries(
    mipr, as_user, django_assert_max_num_queries
):
    for _ in range(30):
        MembershipFactory(process=mipr)
    client = as_user("sekretariat")
    # session, user, the secretariat's membership, the members with users.
    with django_assert_max_num_queries(4):
        assert client.get(MEMBERS).status_code == 200
