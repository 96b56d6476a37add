"""Who is knocking: the client's address, log-in lockout and idle sessions."""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
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


class AdminGateMiddleware:
    """/admin/ for the operators only, where the settings say so.

    ADMIN_ALLOWED_NETWORKS: only from these addresses (e.g. the office's).
    ADMIN_SECRETARIAT_ONLY: only for users who are some process's secretariat
    (besides being staff). Anyone else gets a plain 404: the admin does not
    say it is there. The admin's log-in keeps the lockout of every log-in.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = [
            ipaddress.ip_network(network, strict=False)
            for network in settings.ADMIN_ALLOWED_NETWORKS
        ]

    def __call__(self, request):
        if request.path.startswith("/admin/") and not self._allowed(request):
            raise Http404
        return self.get_response(request)

    def _allowed(self, request) -> bool:
        if self.networks:
            try:
                address = ipaddress.ip_address(client_ip(request))
            except ValueError:
                return False
            if not any(address in network for network in self.networks):
                return False
        user = request.user
        if settings.ADMIN_SECRETARIAT_ONLY and user.is_authenticated:
            from .models import Role

            return user.memberships.filter(role=Role.SECRETARIAT).exists()
        return True


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


# --- Password spraying: many user names from one address -----------------------
#
# The lockout above counts one user name from one address. A script that tries
# one password over many names never trips it, so failures are also counted per
# address, by distinct name: past LOGIN_ADDRESS_NAME_LIMIT names in the cool-off
# time, that address may not log in. The venue's shared address is spared: a
# browser that has logged in before (a signed cookie, set at every log-in)
# logs in as usual, and a few people's typos are a few names, not ten.

KNOWN_BROWSER_COOKIE = "mipr_kjent"
KNOWN_BROWSER_SALT = "mipr.security.known-browser"
KNOWN_BROWSER_DAYS = 365
_NAMES_KEPT = 100


def _names_key(address: str) -> str:
    return "login-names:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def record_failed_name(address: str, username: str) -> None:
    key = _names_key(address)
    name = hashlib.sha256(username.casefold().encode()).hexdigest()[:16]
    names = cache.get(key) or []
    if name not in names:
        names = [*names, name][-_NAMES_KEPT:]
    cache.set(key, names, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds()))


def is_known_browser(request) -> bool:
    try:
        request.get_signed_cookie(
            KNOWN_BROWSER_COOKIE,
            salt=KNOWN_BROWSER_SALT,
            max_age=KNOWN_BROWSER_DAYS * 24 * 60 * 60,
        )
    except (KeyError, signing.BadSignature):
        return False
    return True


def address_refuses_log_in(request) -> bool:
    """This address tried too many names lately, and this browser is unknown."""
    names = cache.get(_names_key(client_ip(request))) or []
    return len(names) >= settings.LOGIN_ADDRESS_NAME_LIMIT and not is_known_browser(
        request
    )


def address_refusal_message() -> str:
    return _(
        "Too many failed log-ins with different user names from this network. "
        "Wait %(minutes)s minutes and try again, or log in from a browser you "
        "have used here before."
    ) % {"minutes": lockout_minutes()}


def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        record_failed_name(client_ip(request), client_username(request, credentials))


class AddressLimitBackend:
    """Stops authentication for an address that refuses log-ins (any form:
    the portal's and the admin's). After django-axes, before ModelBackend.

    No get_user(): it never signs anyone in, so no session may name it.
    """

    def authenticate(self, request, **credentials):
        if request is not None and address_refuses_log_in(request):
            raise PermissionDenied(address_refusal_message())
        return None


class KnownBrowserMiddleware:
    """Marks the browser of a successful log-in (see address_refuses_log_in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "logged_in_now", False):
            response.set_signed_cookie(
                KNOWN_BROWSER_COOKIE,
                "1",
                salt=KNOWN_BROWSER_SALT,
                max_age=KNOWN_BROWSER_DAYS * 24 * 60 * 60,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


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
    request.logged_in_now = True
