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

Who sees what (strategy.access.comment_audience): the process's members see
every comment with its author's name; anyone else sees only comments the
secretariat has published, written since then, under the author's role
(«Rådsmedlem», «Sekretariat»), never a name.
"""

from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mipr.fragments import cached_many, csrf_placeholder, with_csrf_token
from mipr.models import Membership, Role

from .access import PUBLIC
from .models import Comment

FRAGMENT_SECONDS = 10 * 60
_AUTHOR_FIELDS = ("username", "first_name", "last_name")


def _comments(sections, since):
    comments = Comment.objects.filter(section__in=[s.pk for s in sections])
    if since is not None:
        comments = comments.filter(created_at__gte=since)
    return comments


def _states(sections, since) -> dict[int, tuple]:
    rows = (
        _comments(sections, since)
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


def _person(user) -> str:
    if user is None:
        return _("Former member")
    return user.get_full_name() or user.username


def _threads(sections, *, process, since, anonymous: bool) -> None:
    """Load the comments of these sections: section.threads, thread.reply_list,
    and who each shows as (comment.shown_author, .shown_resolver)."""
    comments = (
        _comments(sections, since)
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
    comments = list(comments)
    roles = {}
    if anonymous:
        ids = {c.author_id for c in comments} | {c.resolved_by_id for c in comments}
        roles = dict(
            Membership.objects.filter(process=process, user_id__in=ids).values_list(
                "user_id", "role"
            )
        )

    def shown(user):
        if not anonymous or user is None:
            return _person(user)
        role = roles.get(user.pk)
        return capfirst(Role(role).label) if role else _("Former member")

    threads = {s.pk: [] for s in sections}
    replies = {}
    for comment in comments:
        comment.shown_author = shown(comment.author)
        comment.shown_resolver = shown(comment.resolved_by)
        if comment.parent_id is None:
            threads[comment.section_id].append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    for section in sections:
        section.threads = threads[section.pk]
        for thread in section.threads:
            thread.reply_list = replies.get(thread.pk, [])


def render_comments(
    request,
    *,
    version,
    process,
    sections,
    audience: str | None,
    can_comment: bool,
    can_resolve: bool,
) -> dict[int, SafeString]:
    """Section id -> the HTML of its comments, for this reader's audience."""
    if audience is None:
        return {section.pk: mark_safe("") for section in sections}
    anonymous = audience == PUBLIC
    since = version.comments_public_from if anonymous else None
    counts = _states(sections, since)
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
            audience,
            since,
            version.comments_public_from is not None,
            get_language(),
        )
        for section in sections
    }

    def render(missing_ids):
        missing = [by_id[pk] for pk in missing_ids]
        _threads(missing, process=process, since=since, anonymous=anonymous)
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
