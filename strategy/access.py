"""Who may read and write which version of a strategy.

Staff (secretariat, working group) read every version; council members read
published ones; anyone reads a public version of a public process. Others get
404, anonymous visitors the login page.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from mipr.access import STAFF_ROLES
from mipr.models import Process, Role

from .models import Version


class LoginNeeded(Exception):
    pass


def may_read(version: Version, *, role: Role | None, process: Process) -> bool:
    """The one rule: staff read all, council members published, anyone public."""
    return (
        role in STAFF_ROLES
        or (role == Role.COUNCIL_MEMBER and version.is_published)
        or (version.is_public and process.is_public)
    )


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
