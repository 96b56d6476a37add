import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from mipr.access import STAFF_ROLES, get_process_for_member, get_process_for_viewer
from mipr.models import Role
from tests.factories import MembershipFactory, ProcessFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_member_gets_the_process_and_their_role():
    membership = MembershipFactory(role=Role.SECRETARIAT)
    process, role = get_process_for_member(membership.user, membership.process.slug)
    assert process == membership.process
    assert role is Role.SECRETARIAT


def test_council_member_is_refused_where_staff_roles_are_required():
    membership = MembershipFactory(role=Role.COUNCIL_MEMBER)
    with pytest.raises(Http404):
        get_process_for_member(
            membership.user, membership.process.slug, roles=STAFF_ROLES
        )


def test_secretariat_of_another_process_is_refused():
    mine = MembershipFactory(role=Role.SECRETARIAT)
    theirs = ProcessFactory()
    with pytest.raises(Http404):
        get_process_for_member(mine.user, theirs.slug)


def test_anonymous_and_outsiders_are_refused():
    process = ProcessFactory()
    with pytest.raises(Http404):
        get_process_for_member(AnonymousUser(), process.slug)
    with pytest.raises(Http404):
        get_process_for_member(UserFactory(), process.slug)


def test_unpublished_process_is_not_public():
    public = ProcessFactory(is_public=True)
    assert get_process_for_viewer(AnonymousUser(), public.slug) == (public, None)
    with pytest.raises(Http404):
        get_process_for_viewer(UserFactory(), ProcessFactory(is_public=False).slug)


def test_role_of_answers_per_process():
    membership = MembershipFactory(role=Role.WORKING_GROUP)
    assert membership.process.role_of(membership.user) is Role.WORKING_GROUP
    assert ProcessFactory().role_of(membership.user) is None
    assert membership.process.role_of(AnonymousUser()) is None
