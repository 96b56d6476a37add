"""Who may do what with a version of the strategy: the one place for the rules.

Reading: staff (secretariat, working group) read every version; council
members read published ones; anyone reads a public version of a public
process. Others get 404, anonymous visitors the login page.

What may happen to a version at all depends on its state (Version.is_frozen,
.is_newest ...); what a person may do with it depends on that and their role.
Services check the state with the check_* functions, which raise NotAllowed
with the reason; views and templates ask `rights_for()`.
"""

from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from mipr.access import STAFF_ROLES
from mipr.errors import NotAllowed
from mipr.models import Process, Role

from .models import Version


class LoginNeeded(Exception):
    pass


# --- What may happen to a version (its state) ----------------------------------


def why_not_editable(version: Version) -> str | None:
    """None when the version's sections may change; else why not."""
    if version.is_frozen:
        return _("The version is adopted and frozen.")
    if not version.is_newest:
        return _(
            "Only the newest version can be changed; "
            "older versions are kept as they were."
        )
    return None


def why_not_open(version: Version) -> str | None:
    """None when the version may still be commented on, published, presented."""
    if version.is_frozen:
        return _("The version is adopted and frozen: it can no longer be changed.")
    if version.is_superseded:
        return _(
            "Version %(number)s has replaced this version. It takes no more "
            "comments; those written on it can still be read."
        ) % {"number": version.superseded_by}
    return None


def why_not_adoptable(version: Version) -> str | None:
    """None when the version may be adopted: the newest published version."""
    if version.is_frozen:
        return _("The version is adopted and frozen.")
    if version.is_draft:
        return _("Publish the version for review before it can be adopted.")
    if version.is_superseded:
        return _(
            "Only the newest version can be adopted: version %(number)s has "
            "replaced this one."
        ) % {"number": version.superseded_by}
    return None


def check_not_frozen(version: Version) -> None:
    """Book-keeping (resolving comments) goes on until the version is adopted."""
    if version.is_frozen:
        raise NotAllowed(why_not_open(version))


def check_editable(version: Version) -> None:
    reason = why_not_editable(version)
    if reason:
        raise NotAllowed(reason)


def check_open(version: Version) -> None:
    reason = why_not_open(version)
    if reason:
        raise NotAllowed(reason)


def check_adoptable(version: Version) -> None:
    reason = why_not_adoptable(version)
    if reason:
        raise NotAllowed(reason)


# --- What a person may do with it (state and role) -------------------------------


def may_read(version: Version, *, role: Role | None, process: Process) -> bool:
    """Staff read all, council members published versions, anyone public ones."""
    return (
        role in STAFF_ROLES
        or (role == Role.COUNCIL_MEMBER and version.is_published)
        or (version.is_public and process.is_public)
    )


def may_read_export(export, *, role: Role | None, process: Process) -> bool:
    """A PDF with the review comments (appendix C) names the members who wrote
    them: for staff only, whoever may read the version itself. Visitors
    without a role in the process get the version's published PDF only."""
    if export.with_comments and role not in STAFF_ROLES:
        return False
    if role is None and not export.is_published:
        return False
    return may_read(export.version, role=role, process=process)


def may_edit(version: Version, *, role: Role | None) -> bool:
    return role in STAFF_ROLES and why_not_editable(version) is None


def may_comment(version: Version, *, role: Role | None) -> bool:
    """Members of the process, on a version still open.

    Staff may comment on a working draft too; the reading page offers the form
    on published versions only (VersionRights.comment_form).
    """
    return role is not None and why_not_open(version) is None


def may_adopt(version: Version, *, role: Role | None) -> bool:
    return role == Role.SECRETARIAT and why_not_adoptable(version) is None


MEMBERS = "members"
PUBLIC = "public"


def comment_audience(version: Version, *, role: Role | None) -> str | None:
    """Whose view of the comments a reader gets.

    MEMBERS: every comment with its author's name, for the process's members.
    PUBLIC: for anyone else, only the comments written since the secretariat
    published this version's comments, and without the names of the people
    who wrote them. None: no comments at all.
    """
    if role is not None:
        return MEMBERS
    if version.comments_public_from is not None:
        return PUBLIC
    return None


@dataclass(frozen=True)
class VersionRights:
    """What the reading page offers this reader for this version."""

    edit: bool
    comment: bool
    comment_form: bool
    finish: bool
    manage: bool  # the secretariat's panel: publish, present, new, adopt
    open: bool  # not adopted, not replaced: publish, present, comment
    adopt: bool
    resolve: bool  # mark comments as dealt with
    is_staff: bool
    is_secretariat: bool


def rights_for(version: Version, *, role: Role | None) -> VersionRights:
    return VersionRights(
        edit=may_edit(version, role=role),
        comment=may_comment(version, role=role),
        comment_form=may_comment(version, role=role) and version.is_published,
        finish=role == Role.COUNCIL_MEMBER and version.is_published,
        manage=role == Role.SECRETARIAT and not version.is_frozen,
        open=why_not_open(version) is None,
        adopt=may_adopt(version, role=role),
        resolve=role == Role.SECRETARIAT and not version.is_frozen,
        is_staff=role in STAFF_ROLES,
        is_secretariat=role == Role.SECRETARIAT,
    )


# --- Loading a version for a reader ---------------------------------------------


def get_version_for_reader(user, slug: str, number: int) -> tuple[Version, Role | None]:
    version = get_object_or_404(
        Version.objects.select_related("strategy__process"),
        strategy__process__slug=slug,
        number=number,
    )
    process = version.strategy.process
    role = process.role_of(user) if user.is_authenticated else None
    if may_read(version, role=role, process=process):
        return version, role
    if not user.is_authenticated:
        raise LoginNeeded
    raise Http404


def reader_or_login(view):
    """Send an anonymous visitor to the login page instead of a 404."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginNeeded:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
