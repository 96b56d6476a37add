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


@dataclass(frozen=True)
class Backoff:
    """Failures per key that, past `threshold` in one window, make the key wait,
    for longer each time it goes over again: window × 2, × 4 … up to `longest`.

    `record_failure` returns how many seconds the key must wait now (0 while it
    is under the threshold); `wait` tells the same without counting.
    """

    name: str
    threshold: int
    window: int = 60
    longest: int = 60 * 60

    def _keys(self, who: str) -> tuple[str, str, str]:
        digest = hashlib.sha256(who.encode()).hexdigest()[:32]
        base = f"backoff:{self.name}:{digest}"
        return (
            f"{base}:{int(time.time() // self.window)}",
            f"{base}:level",
            (f"{base}:until"),
        )

    def wait(self, who: str) -> int:
        _count, _level, until = self._keys(who)
        return max(0, int((cache.get(until) or 0) - time.time()))

    def record_failure(self, who: str) -> int:
        count_key, level_key, until_key = self._keys(who)
        cache.add(count_key, 0, timeout=self.window)
        try:
            count = cache.incr(count_key)
        except ValueError:  # expired between add and incr
            cache.set(count_key, 1, timeout=self.window)
            count = 1
        if count < self.threshold:
            return self.wait(who)
        if count == self.threshold:
            # Over again: twice as long as last time, for a day's memory.
            level = (cache.get(level_key) or 0) + 1
            cache.set(level_key, level, timeout=24 * 60 * 60)
            seconds = min(self.longest, self.window * 2**level)
            cache.set(until_key, time.time() + seconds, timeout=seconds)
        return self.wait(who)
