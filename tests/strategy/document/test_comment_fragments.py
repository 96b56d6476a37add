"""The reading page's comments come from the cache, and never stale or shared
wrongly: every change shows at once, each reader gets their own CSRF token and
only the forms their role allows."""

import re

import pytest
from django.test import Client

from mipr.fragments import csrf_placeholder as _placeholder
from strategy.models import Comment, Version

from .helpers import SLUG

V2 = f"/strategi/{SLUG}/versjon/2/"


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def section(mipr):
    version = Version.objects.get(strategy__process=mipr, number=2)
    return version.sections.order_by("order").first()


def comment_ids(html):
    return set(re.findall(r'id="comment-(\d+)"', html))


def test_a_new_comment_a_reply_and_a_resolution_show_at_once(as_user, section):
    member, secretariat = as_user("radsmedlem"), as_user("sekretariat")
    before = member.get(V2).content.decode()  # now cached

    member.post(f"{V2}kommentar/", {"section": section.pk, "text": "Første tanke."})
    comment = Comment.objects.get(text="Første tanke.")
    after = member.get(V2).content.decode()
    assert "Første tanke." in after and "Første tanke." not in before
    assert comment_ids(after) - comment_ids(before) == {str(comment.pk)}

    member.post(
        f"{V2}kommentar/",
        {"section": section.pk, "parent": comment.pk, "text": "Et svar."},
    )
    assert "Et svar." in member.get(V2).content.decode()

    secretariat.post(f"{V2}kommentar/{comment.pk}/lost/", {"resolved": "1"})
    assert "Løst av" in member.get(V2).content.decode()
    secretariat.post(f"{V2}kommentar/{comment.pk}/lost/", {"resolved": "0"})
    assert "Løst av" not in member.get(V2).content.decode()


def test_each_reader_gets_their_own_working_csrf_token(people, section):
    first = Client(enforce_csrf_checks=True)
    first.force_login(people["radsmedlem"])
    first.get(V2)  # renders and caches the comments with the reply forms

    second = Client(enforce_csrf_checks=True)
    second.force_login(people["sekretariat"])
    html = second.get(V2).content.decode()
    assert _placeholder() not in html
    # Every form's token works for this reader, the cached ones included.
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert tokens
    for n, token in enumerate(sorted(tokens)):
        response = second.post(
            f"{V2}kommentar/",
            {
                "section": section.pk,
                "text": f"Token {n}.",
                "csrfmiddlewaretoken": token,
            },
        )
        assert response.status_code == 302
    assert Comment.objects.filter(text__startswith="Token ").count() == len(tokens)


def test_the_resolve_buttons_stay_with_the_secretariat(as_user, section):
    as_user("radsmedlem").post(
        f"{V2}kommentar/", {"section": section.pk, "text": "Kan dette løses?"}
    )
    assert "Merk som løst" in as_user("sekretariat").get(V2).content.decode()
    assert "Merk som løst" not in as_user("radsmedlem").get(V2).content.decode()


def test_the_comments_follow_the_language(as_user, section):
    member = as_user("radsmedlem")
    member.post(f"{V2}kommentar/", {"section": section.pk, "text": "Språk."})
    assert "1 kommentar" in member.get(V2).content.decode()
    member.cookies["django_language"] = "en"
    assert "1 comment" in member.get(V2).content.decode()


def test_a_comment_containing_the_placeholder_gets_no_token(as_user, section):
    # The placeholder is secret; even typed into a comment it stays text.
    member = as_user("radsmedlem")
    member.post(f"{V2}kommentar/", {"section": section.pk, "text": "csrf-0000"})
    html = member.get(V2).content.decode()
    assert "csrf-0000" in html
    assert _placeholder() not in html
