"""Per-user rate limit of the bot: a token bucket per Telegram user (or chat)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

DEFAULT_CAPACITY = 10  # digests a user may ask for at once …
DEFAULT_PERIOD = 60.0  # … and again after this many seconds (refilled evenly)
_PRUNE_AT = 10_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float
    warned_until: float = 0.0


class UserRateLimiter:
    """``capacity`` digests per ``period`` seconds per user, refilled continuously."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, period: float = DEFAULT_PERIOD, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if capacity < 1 or period <= 0:
            raise ValueError("capacity must be ≥ 1 and period > 0")
        self.capacity, self.period, self.clock = capacity, period, clock
        self.rate = capacity / period
        self._buckets: dict[Hashable, _Bucket] = {}

    def _bucket(self, key: Hashable, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _PRUNE_AT:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
        else:
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
        return bucket

    def _prune(self, now: float) -> None:
        """Forget users whose bucket has filled up again (they are as new)."""
        full = [k for k, b in self._buckets.items()
                if b.tokens + (now - b.stamp) * self.rate >= self.capacity and b.warned_until <= now]
        for k in full:
            del self._buckets[k]

    def acquire(self, key: Hashable, cost: int = 1) -> float:
        """Take ``cost`` tokens: 0.0 when allowed, else the seconds to wait (nothing is taken then)."""
        now = self.clock()
        bucket = self._bucket(key, now)
        cost = min(max(cost, 1), self.capacity)
        if bucket.tokens >= cost:
            bucket.tokens -= cost
            bucket.warned_until = 0.0
            return 0.0
        return (cost - bucket.tokens) / self.rate

    def should_warn(self, key: Hashable) -> bool:
        """True for the first refusal in a row (at most once a period), so the warning itself is no flood."""
        now = self.clock()
        bucket = self._bucket(key, now)
        if now < bucket.warned_until:
            return False
        bucket.warned_until = now + self.period
        return True
