"""strategy.access: the one place that says what may happen to a version, and
what each role may do with it, asked alike by services, views and templates."""

import pytest
from django.utils import translation

from mipr.errors import NotAllowed
from mipr.models import Role
from strategy import access, adoption, review
from strategy.models import Version

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
    v2, v3 = versions[1], versions[2]
    assert access.may_adopt(v2, role=SECRETARIAT)
    assert not access.may_adopt(v2, role=WORKING_GROUP)
    assert access.rights_for(v3, role=SECRETARIAT).manage
    assert not access.rights_for(v3, role=COUNCIL).manage
    assert access.rights_for(versions[1], role=COUNCIL).finish
    assert not access.rights_for(v3, role=COUNCIL).finish


def test_an_adopted_version_takes_nothing_more_and_says_why(versions, people):
    v3 = versions[2]
    review.version_publish(version=v3, notify=False)
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


# --- The lifecycle: a later published version replaces the earlier ones -------


def fresh(version):
    """The version as a new request would load it (its derived state unknown)."""
    return Version.objects.get(pk=version.pk)


def test_a_published_version_replaces_the_earlier_ones(versions, people):
    v1, v2, v3 = versions  # 1 and 2 under review, 3 a working draft
    with translation.override("nb"):
        assert [fresh(v).superseded_by for v in versions] == [2, None, None]
        assert fresh(v1).status_label == "erstattet av versjon 2"
        assert fresh(v2).status_label == "til gjennomgang"
        review.version_publish(version=v3, notify=False)
        assert [fresh(v).superseded_by for v in versions] == [3, 3, None]
        reason = access.why_not_open(fresh(v2))
        assert reason.startswith("Versjon 3 har erstattet denne versjonen.")

    # Replaced: no more comments, not adoptable, nothing to publish; but the
    # secretariat still marks its comments as dealt with.
    old = fresh(v2)
    assert not access.may_comment(old, role=COUNCIL)
    assert not access.may_adopt(old, role=SECRETARIAT)
    rights = access.rights_for(old, role=SECRETARIAT)
    assert (rights.open, rights.adopt, rights.resolve) == (False, False, True)
    with pytest.raises(NotAllowed):
        review.comment_add(
            section=old.sections.first(), author=people["radsmedlem"], text="Sent"
        )
    with pytest.raises(NotAllowed):
        access.check_adoptable(old)


def test_a_newer_draft_replaces_nothing_and_the_newest_published_is_adopted(
    versions,
):
    v1, v2, v3 = versions
    assert fresh(v2).superseded_by is None  # version 3 is only a draft
    assert access.may_adopt(fresh(v2), role=SECRETARIAT)
    assert not access.may_adopt(fresh(v1), role=SECRETARIAT)
    with translation.override("nb"):
        assert access.why_not_adoptable(fresh(v1)) == (
            "Bare den nyeste versjonen kan vedtas: versjon 2 har erstattet denne."
        )
        assert access.why_not_adoptable(fresh(v3)) == (
            "Publiser versjonen til gjennomgang før den kan vedtas."
        )


def test_an_adopted_version_stands_until_a_later_one_is_adopted(versions, people):
    v1, v2, v3 = versions
    decision = {
        "body": "Representantskapet",
        "meeting_date": "2025-12-04",
        "case_number": "1/25",
        "text": "Vedtatt.",
        "by": people["sekretariat"],
    }
    adoption.version_adopt(version=v2, **decision)
    assert [fresh(v).superseded_by for v in versions] == [2, None, None]
    review.version_publish(version=v3, notify=False)
    # Version 3 under review does not replace the adopted strategy.
    assert [fresh(v).superseded_by for v in versions] == [3, None, None]
    adoption.version_adopt(version=fresh(v3), **decision)
    assert [fresh(v).superseded_by for v in versions] == [3, 3, None]
    with translation.override("nb"):
        assert fresh(v2).status_label == "erstattet av versjon 3"


def test_a_list_of_versions_knows_its_lifecycle_without_asking_again(
    versions, django_assert_num_queries
):
    from strategy.models import know_lifecycle

    listed = list(Version.objects.order_by("-number"))
    with django_assert_num_queries(0):
        know_lifecycle(listed)
        assert [(v.number, v.superseded_by, v.is_newest) for v in listed] == [
            (3, None, True),
            (2, None, False),
            (1, 2, False),
        ]
