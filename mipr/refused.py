"""A form refused for its security token (CSRF) loses nothing typed.

It happens to people, not only to attackers: a page left open while the same
person logged out and in again in another tab carries an old token. Django
then calls `csrf_failure` instead of the view. When the request came from our
own pages (its Origin, or Referer, is this site) and only the token was
wrong, the page shows what was typed, and each app may keep the text where
its page offers it back: it registers with `kept_for_later`, gets the request,
and returns the address where the text waits (or None).

A request from another site gets no such help: its text is neither shown nor
kept, so that a forged form cannot put words on our pages.
"""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .hooks import Hook

kept_for_later = Hook("a refused form's text, kept")

# A posted value this long, or with a line break, was typed by a person.
TYPED_MIN = 20


def _is_token_reason(reason: str) -> bool:
    """Only the token (or its cookie) was wrong or missing: not the origin.
    Django's reasons read «CSRF token missing.», «CSRF token from POST
    incorrect.», «CSRF cookie not set.» and the like."""
    return reason.startswith(("CSRF token", "CSRF cookie"))


def same_site_address(request, address: str) -> bool:
    return bool(address) and url_has_allowed_host_and_scheme(
        address, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def from_our_pages(request) -> bool:
    origin = request.headers.get("Origin")
    if origin:
        return same_site_address(request, origin + "/")
    return same_site_address(request, request.headers.get("Referer", ""))


def typed_values(request) -> list[str]:
    return [
        value
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
        if len(value.strip()) >= TYPED_MIN or "\n" in value.strip()
    ]


def csrf_failure(request, reason=""):
    """The page for a refused form (settings.CSRF_FAILURE_VIEW)."""
    typed, back, kept = [], "", ""
    if _is_token_reason(reason) and from_our_pages(request):
        typed = typed_values(request)
        kept = next((url for url in kept_for_later.results(request) if url), "")
        referer = request.headers.get("Referer", "")
        back = kept or (referer if same_site_address(request, referer) else "")
    return render(
        request,
        "403_csrf.html",
        {"typed": typed, "back": back, "kept": bool(kept)},
        status=403,
    )
