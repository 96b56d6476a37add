"""Helpers for the permission tables of the strategy document's tests."""

from django.db import transaction

SLUG = "mipr-2026-2029"
BASE = f"/strategi/{SLUG}"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"
PERSONAS = [
    "anonymous",
    "radsmedlem",
    "arbeidsgruppe",
    "sekretariat",
    "other_secretariat",
]


def outcome(response):
    """The status code, or for a redirect whether it goes to the login page."""
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/logg-inn/") else "redirect"
    return response.status_code


class _Undo(Exception):
    pass


def undone(method, *args, **kwargs):
    """Make a request, then roll back what it changed: every persona meets the same
    state."""
    try:
        with transaction.atomic():
            raise _Undo(method(*args, **kwargs))
    except _Undo as undo:
        return undo.args[0]
