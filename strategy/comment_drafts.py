"""A comment that could not be saved is kept, and offered back in its section.

A council member may write for a long time. When the comment is refused (too
long, the version was replaced or adopted meanwhile, or the session expired
and the person must log in again), the text is kept in the session and the
version's page offers it back in the section it was written for, saying why
it was not saved. Logging in keeps the session's data, so the text survives
that too. With JavaScript, the comment form also keeps what is typed in the
browser (static/js/comment-drafts.js).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

SESSION_KEY = "strategy_comment_draft"
# Enough to give back any comment a person wrote by hand, however far over
# the limit; a forged megabyte is not kept in the session.
KEEP_MAX = 100_000


@dataclass
class Draft:
    section: int
    parent: int | None
    text: str
    reason: str
    truncated: bool = False


def keep(session, *, version, section: int, parent: int | None, text: str, reason):
    """Keep the refused comment for the version's page; one at a time."""
    session[SESSION_KEY] = {
        "version": version.pk,
        "section": section,
        "parent": parent,
        "text": text[:KEEP_MAX],
        "truncated": len(text) > KEEP_MAX,
        "reason": str(reason),
    }


def drop(session) -> None:
    """Saved at last, or thrown away on purpose."""
    session.pop(SESSION_KEY, None)


def kept_for(session, *, version, sections) -> Draft | None:
    """The kept comment for this version's page, until it is saved or thrown
    away; None if there is none or it belongs elsewhere (another version, a
    section no longer there)."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("version") != version.pk:
        return None
    if kept.get("section") not in {section.pk for section in sections}:
        return None
    return Draft(
        section=kept["section"],
        parent=kept.get("parent"),
        text=kept.get("text", ""),
        reason=kept.get("reason") or _("Your comment is not saved yet."),
        truncated=bool(kept.get("truncated")),
    )


def keep_refused(request) -> str | None:
    """A comment form refused for its security token (mipr.refused): keep the
    text for its section, and say where it waits. None for any other form."""
    from django.urls import Resolver404, resolve

    from .forms import CommentForm
    from .models import Version

    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name != "strategy:comment-add" or not request.user.is_authenticated:
        return None
    form = CommentForm(request.POST)
    version = (
        Version.objects.select_related("strategy__process")
        .filter(
            strategy__process__slug=match.kwargs["slug"],
            number=match.kwargs["number"],
        )
        .first()
    )
    if (
        version is None
        or version.strategy.process.role_of(request.user) is None
        or not form.is_valid()
    ):
        return None
    keep(
        request.session,
        version=version,
        section=form.cleaned_data["section"],
        parent=form.cleaned_data.get("parent"),
        text=form.cleaned_data["text"],
        reason=_(
            "The page had been open too long, so your comment is not saved "
            "yet. It is here: send it again."
        ),
    )
    return f"{version.get_absolute_url()}#section-{form.cleaned_data['section']}"
