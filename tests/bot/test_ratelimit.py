"""The per-user token bucket."""

from __future__ import annotations

import pytest

from bot.ratelimit import UserRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_capacity_then_refusal_then_refill() -> None:
    clock = Clock()
    limiter = UserRateLimiter(3, 30.0, clock=clock)
    assert [limiter.acquire("u") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("u")
    assert wait == pytest.approx(10.0)  # one token every 10 s
    assert limiter.acquire("other") == 0.0  # users are separate
    clock.now += 10.0
    assert limiter.acquire("u") == 0.0
    assert limiter.acquire("u") > 0


def test_cost_counts_and_is_capped_at_capacity() -> None:
    clock = Clock()
    limiter = UserRateLimiter(2, 10.0, clock=clock)
    assert limiter.acquire("u", cost=3) == 0.0  # capped at 2: a 3-link message is still possible
    assert limiter.acquire("u", cost=1) > 0


def test_warning_once_per_streak_of_refusals() -> None:
    clock = Clock()
    limiter = UserRateLimiter(1, 60.0, clock=clock)
    assert limiter.acquire("u") == 0.0
    assert limiter.acquire("u") > 0
    assert limiter.should_warn("u")
    assert limiter.acquire("u") > 0
    assert not limiter.should_warn("u")
    clock.now += 60.0
    assert limiter.acquire("u") == 0.0
    assert limiter.acquire("u") > 0
    assert limiter.should_warn("u")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        UserRateLimiter(0, 10)
