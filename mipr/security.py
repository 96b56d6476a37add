"""Who is knocking: the client's address, log-in lockout and idle sessions."""

import ipaddress
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _

from .forms import LoginForm


def client_ip(request) -> str:
    """The address of the person at the keyboard, as far as we can trust it.

    Without CLIENT_IP_HEADER only the connection's own address counts, so that
    nobody can pick an address by sending a header. Behind a reverse proxy, set
    CLIENT_IP_HEADER to the header it sets (e.g. X-Forwarded-For): the proxy
    appends the address it saw, so the rightmost entry is the one to trust.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.CLIENT_IP_HEADER
    if not header:
        return remote
    entries = [e.strip() for e in request.META.get(header, "").split(",")]
    candidate = entries[-1] if entries and entries[-1] else ""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def client_username(request, credentials=None) -> str:
    """The user name a log-in attempt is counted under (django-axes).

    Cut to the longest name an account can have: the log of failures must not
    refuse (and turn into an error page) a name of 10,000 characters.
    """
    name = (credentials or {}).get("username")
    if name is None:
        name = request.POST.get("username", "")
    max_length = get_user_model()._meta.get_field("username").max_length
    return str(name)[:max_length]


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """The log-in page again, saying why it will not let this user in for now."""
    form = LoginForm(request, data=request.POST or None)
    form.is_valid()  # refused anyway: axes answers for the backend while locked
    form.errors.clear()
    form.add_error(
        None,
        _(
            "Too many failed log-ins for this user from this address. "
            "Wait %(minutes)s minutes and try again, or ask the secretariat "
            "to set a new password for you."
        )
        % {"minutes": lockout_minutes()},
    )
    return render(
        request,
        "registration/login.html",
        {"form": form},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


SEEN = "_seen"
TOUCH_EVERY = 60  # seconds


def mark_seen(session) -> None:
    session[SEEN] = int(time.time())


class IdleSessionMiddleware:
    """Sign a session out after SESSION_IDLE_MINUTES without requests.

    A session expires SESSION_COOKIE_AGE after its last save. Saving on every
    request would write to the database on each page view, so a session is
    touched only when it was last saved over a minute ago. Log-ins (see
    mipr.apps) and any request that changes the session anyway record the
    time for free.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key and time.time() - session.get(SEEN, 0) >= TOUCH_EVERY:
            mark_seen(session)
        response = self.get_response(request)
        if session.modified and not session.is_empty():
            mark_seen(session)
        return response


def on_login(sender, request, user, **kwargs):
    # login() has just cycled the session id; the session is saved anyway.
    mark_seen(request.session)
