"""Rendered HTML kept in the cache and shared between readers, with forms.

A form's CSRF token belongs to one reader's session, so shared HTML holds a
secret placeholder instead, replaced with the reader's own token on every
request. The placeholder is derived from SECRET_KEY: no text a user writes can
contain it, and every instance of the portal agrees on it.
"""

import hashlib
import hmac

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe


def csrf_placeholder() -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"mipr.fragments.csrf", hashlib.sha256
    ).hexdigest()
    return f"csrf-{digest[:32]}"


def cache_key(prefix: str, state) -> str:
    """A cache key for whatever a fragment shows (any repr-able state)."""
    return f"{prefix}:{hashlib.sha256(repr(state).encode()).hexdigest()}"


def with_csrf_token(html: str, request) -> SafeString:
    """The cached HTML, escaped when it was rendered, with this reader's token."""
    return mark_safe(html.replace(csrf_placeholder(), get_token(request)))
