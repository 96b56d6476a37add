"""Counting failed attempts in the cache, to slow down guessing.

A fixed window per key: at most `limit` failures in `window` seconds. Only
failures count, so that people who type right are never slowed down. With Redis
as the cache the counts are shared by all gunicorn workers; with the local
memory cache (`make run`) each process counts for itself.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window: int = 60

    def _key(self, who: str) -> str:
        digest = hashlib.sha256(who.encode()).hexdigest()[:32]
        return f"ratelimit:{self.name}:{digest}:{int(time.time() // self.window)}"

    def is_exceeded(self, who: str) -> bool:
        return (cache.get(self._key(who)) or 0) >= self.limit

    def record_failure(self, who: str) -> None:
        key = self._key(who)
        cache.add(key, 0, timeout=self.window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.window)
