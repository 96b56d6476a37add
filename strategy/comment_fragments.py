"""The comments under each section of a version, rendered once per change.

A version under review gathers hundreds of comments, and every council member
opens it: rendering the threads with their reply forms is most of the reading
page's cost. Each section's comments are kept in the cache, keyed on what they
show: the section's comment count, newest comment and resolutions, what the
reader may do (comment, resolve), and the language. A new comment, a reply, a
resolution or a reopening changes the key at once.

The reply forms carry a CSRF token, which belongs to each reader's session:
the cached HTML holds a secret placeholder that is replaced with the reader's
token on every request. Names of authors are part of the HTML; a renamed user
shows under the old name until the entry expires (FRAGMENT_SECONDS).
"""

from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from mipr.fragments import cached_many, csrf_placeholder, with_csrf_token

from .models import Comment

FRAGMENT_SECONDS = 10 * 60
_AUTHOR_FIELDS = ("username", "first_name", "last_name")


def _states(sections) -> dict[int, tuple]:
    rows = (
        Comment.objects.filter(section__in=[s.pk for s in sections])
        .order_by()
        .values("section_id")
        .annotate(
            count=Count("pk"),
            newest=Max("pk"),
            resolved=Count("resolved_at"),
            last_resolved=Max("resolved_at"),
        )
    )
    return {
        row["section_id"]: (
            row["count"],
            row["newest"],
            row["resolved"],
            row["last_resolved"],
        )
        for row in rows
    }


def _threads(sections) -> None:
    """Load the comments of these sections: section.threads, thread.reply_list."""
    comments = (
        Comment.objects.filter(section__in=[s.pk for s in sections])
        .select_related("author", "resolved_by")
        .only(
            "section_id",
            "parent_id",
            "text",
            "created_at",
            "resolved_at",
            *(f"author__{name}" for name in _AUTHOR_FIELDS),
            *(f"resolved_by__{name}" for name in _AUTHOR_FIELDS),
        )
        .order_by("created_at", "pk")
    )
    threads = {s.pk: [] for s in sections}
    replies = {}
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.section_id].append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    for section in sections:
        section.threads = threads[section.pk]
        for thread in section.threads:
            thread.reply_list = replies.get(thread.pk, [])


def render_comments(
    request, *, version, process, sections, can_comment: bool, can_resolve: bool
) -> dict[int, SafeString]:
    """Section id -> the HTML of its comments, for this reader."""
    counts = _states(sections)
    by_id = {section.pk: section for section in sections}
    states = {
        section.pk: (
            section.pk,
            counts.get(section.pk),
            version.number,
            version.is_frozen,
            process.slug,
            section.heading,
            can_comment,
            can_resolve,
            get_language(),
        )
        for section in sections
    }

    def render(missing_ids):
        missing = [by_id[pk] for pk in missing_ids]
        _threads(missing)
        return {
            section.pk: render_to_string(
                "strategy/partials/comments.html",
                {
                    "section": section,
                    "version": version,
                    "process": process,
                    "can_comment": can_comment,
                    "can_resolve": can_resolve,
                    "csrf_token": csrf_placeholder(),
                },
            )
            for section in missing
        }

    html = cached_many("strategy:comments", states, render, seconds=FRAGMENT_SECONDS)
    return {pk: with_csrf_token(fragment, request) for pk, fragment in html.items()}
