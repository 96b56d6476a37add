"""strategy.access: the one place that says what may happen to a version, and
what each role may do with it, asked alike by services, views and templates."""

import pytest
from django.utils import translation

from mipr.errors import NotAllowed
from mipr.models import Role
from strategy import access, adoption

pytestmark = pytest.mark.django_db

SECRETARIAT, WORKING_GROUP, COUNCIL = (
    Role.SECRETARIAT,
    Role.WORKING_GROUP,
    Role.COUNCIL_MEMBER,
)


def test_only_the_newest_unadopted_version_may_be_edited_by_staff(versions):
    v1, v2, v3 = versions
    assert [access.why_not_editable(v) is None for v in versions] == [
        False,
        False,
        True,
    ]
    assert access.may_edit(v3, role=SECRETARIAT)
    assert access.may_edit(v3, role=WORKING_GROUP)
    assert not access.may_edit(v3, role=COUNCIL)
    assert not access.may_edit(v3, role=None)
    assert not access.may_edit(v2, role=SECRETARIAT)


def test_members_comment_on_open_versions_and_the_form_shows_on_published_ones(
    versions,
):
    v1, v2, v3 = versions
    assert access.may_comment(v2, role=COUNCIL)
    assert not access.may_comment(v2, role=None)
    assert access.may_comment(v3, role=WORKING_GROUP)  # a draft, by staff
    assert access.rights_for(v2, role=COUNCIL).comment_form
    assert not access.rights_for(v3, role=WORKING_GROUP).comment_form


def test_the_secretariat_alone_adopts_and_manages(versions):
    v3 = versions[2]
    assert access.may_adopt(v3, role=SECRETARIAT)
    assert not access.may_adopt(v3, role=WORKING_GROUP)
    assert access.rights_for(v3, role=SECRETARIAT).manage
    assert not access.rights_for(v3, role=COUNCIL).manage
    assert access.rights_for(versions[1], role=COUNCIL).finish
    assert not access.rights_for(v3, role=COUNCIL).finish


def test_an_adopted_version_takes_nothing_more_and_says_why(versions, people):
    v3 = versions[2]
    adoption.version_adopt(
        version=v3,
        body="Representantskapet",
        meeting_date="2025-12-04",
        case_number="1/25",
        text="Vedtatt.",
        by=people["sekretariat"],
    )
    v3.refresh_from_db()
    with translation.override("nb"):
        assert access.why_not_editable(v3) == "Versjonen er vedtatt og låst."
        assert access.why_not_open(v3).startswith("Versjonen er vedtatt og låst")
    rights = access.rights_for(v3, role=SECRETARIAT)
    assert not (rights.edit or rights.comment or rights.adopt or rights.manage)
    for check in (access.check_editable, access.check_open, access.check_adoptable):
        with pytest.raises(NotAllowed):
            check(v3)


def test_whether_a_version_is_the_newest_costs_one_query_once(
    versions, django_assert_num_queries
):
    v2 = type(versions[1]).objects.get(pk=versions[1].pk)
    with django_assert_num_queries(1):
        assert not v2.is_newest
        assert not v2.is_newest
