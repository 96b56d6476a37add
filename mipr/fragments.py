"""Rendered HTML kept in the cache, keyed on the state it shows.

Pages that thousands open and few change (the plan, the theme view, the
comments under each section, the Markdown of each section) render their
expensive parts once per change of what they show: the key is a hash of that
state, so that any change gives a new key and nothing stale is ever served.
Entries expire after `seconds`, which only bounds what a change the state does
not see (a renamed user, say) may show.

A form's CSRF token belongs to one reader's session, so shared HTML holds a
secret placeholder instead, replaced with the reader's own token on every
request (`with_csrf_token`). The placeholder is derived from SECRET_KEY: no
text a user writes can contain it, and every instance of the portal agrees on
it.
"""

import hashlib
import hmac
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

K = TypeVar("K", bound=Hashable)


def csrf_placeholder() -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"mipr.fragments.csrf", hashlib.sha256
    ).hexdigest()
    return f"csrf-{digest[:32]}"


def cache_key(prefix: str, state) -> str:
    """A cache key for whatever a fragment shows (any repr-able state)."""
    return f"{prefix}:{hashlib.sha256(repr(state).encode()).hexdigest()}"


def cached_many(
    prefix: str,
    states: dict[K, object],
    render: Callable[[list[K]], dict[K, str]],
    *,
    seconds: int,
) -> dict[K, str]:
    """Each fragment's HTML: one cache read, `render` for the missing ones only.

    `states` maps each fragment to the state it shows; `render` gets the
    fragments not in the cache and returns their HTML, which is stored.
    """
    keys = {name: cache_key(prefix, state) for name, state in states.items()}
    found = cache.get_many(list(keys.values()))
    missing = [name for name, key in keys.items() if key not in found]
    if missing:
        fresh = {keys[name]: str(html) for name, html in render(missing).items()}
        cache.set_many(fresh, seconds)
        found.update(fresh)
    return {name: found[key] for name, key in keys.items()}


def cached(prefix: str, state, render: Callable[[], str], *, seconds: int) -> str:
    """One fragment's HTML, rendered only when its state has not been seen."""
    html = cached_many(
        prefix, {0: state}, lambda _missing: {0: render()}, seconds=seconds
    )
    return html[0]


def with_csrf_token(html: str, request) -> SafeString:
    """Cached HTML, escaped when it was rendered, with this reader's token."""
    return mark_safe(html.replace(csrf_placeholder(), get_token(request)))
