"""The one place that answers "may this user see this process?".

Views load a process through these helpers, never with a bare query, so that a
permission test can cover every view by covering these. Outsiders get 404, not
403, so that nothing unpublished can even be confirmed to exist.
"""

from collections.abc import Iterable

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, Process, Role

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.SECRETARIAT, Role.WORKING_GROUP})


def get_process_for_member(
    user, slug: str, *, roles: Iterable[Role] = ALL_ROLES
) -> tuple[Process, Role]:
    """The process with this slug and the user's role in it, or 404."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("process")
        .filter(user=user, process__slug=slug, role__in=list(roles))
        .first()
    )
    if membership is None:
        raise Http404
    return membership.process, Role(membership.role)


def get_process_for_viewer(user, slug: str | None) -> tuple[Process, Role | None]:
    """A process whose published parts this user may read, and their role in it.

    Without a slug: the newest public process, which is what the stable public
    addresses (/tidslinje/ ...) show.
    """
    if slug is None:
        process = Process.objects.public().first()
        if process is None:
            raise Http404
        return process, process.role_of(user)
    process = get_object_or_404(Process, slug=slug)
    role = process.role_of(user)
    if not process.is_public and role is None:
        raise Http404
    return process, role
