"""Tests for `sequrity._core._gate.RateGate` on its own, on virtual time (no server, no sleeping)."""

from __future__ import annotations

import asyncio

import pytest
from multidict import CIMultiDict

from sequrity import InternalServerError, RateLimitError, SequrityValidationError
from sequrity._core._gate import RateGate

pytestmark = pytest.mark.anyio


class Clock:
    """Virtual monotonic time; `sleep` advances it at once and records the wait."""

    def __init__(self) -> None:
        self.now = 500.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def gate_on(clock: Clock, **ceilings: int) -> RateGate:
    """A gate on virtual time."""
    return RateGate(clock=clock, sleep=clock.sleep, **ceilings)


def limited(retry_after: str) -> RateLimitError:
    """A 429 with a ``Retry-After`` header."""
    return RateLimitError(
        "slow down", status_code=429, body="", headers=CIMultiDict({"Retry-After": retry_after})
    )


async def test_a_pause_holds_the_next_attempt_until_it_ends():
    """After `pause(5)`, the next attempt waits five seconds."""
    clock = Clock()
    gate = gate_on(clock)

    gate.pause(5)
    await gate.before_attempt()

    assert (clock.slept, clock.now) == ([5.0], 505.0)


async def test_a_shorter_pause_never_shortens_a_longer_one():
    """Pausing 10 s, then 2 s, still waits 10 s; both pauses are counted."""
    clock = Clock()
    gate = gate_on(clock)

    gate.pause(10)
    gate.pause(2)
    await gate.before_attempt()

    assert (clock.slept, gate.pauses) == ([10.0], 2)


def test_hints_during_a_pause_extend_one_window_and_a_later_hint_opens_another():
    """Three hints within one pause make one window; a hint after it ended makes a second."""
    clock = Clock()
    gate = gate_on(clock)

    gate.pause(2)
    clock.now += 1
    gate.pause(2)
    gate.pause(1)
    during = (gate.windows, gate.remaining())
    clock.now += 5
    after = gate.remaining()
    gate.pause(1)

    assert (during, after, gate.windows, gate.pauses) == ((1, 2.0), 0.0, 2, 4)


def test_only_a_429_or_503_with_a_short_enough_hint_pauses():
    """A 429 asking for 3 s pauses 3 s; one asking for 300 s (over the maximum) or a 500 does not."""
    gate = gate_on(Clock())
    server_error = InternalServerError(
        "boom", status_code=500, body="", headers=CIMultiDict({"Retry-After": "1"})
    )

    outcomes = [
        gate.observe_error(limited("3"), max_wait=60),
        gate.observe_error(limited("300"), max_wait=60),
        gate.observe_error(server_error, max_wait=60),
    ]

    assert (outcomes, gate.pauses) == ([3.0, None, None], 1)


async def test_requests_per_minute_is_a_sliding_window():
    """With 2 per minute, the third attempt waits until the first leaves the window."""
    clock = Clock()
    gate = gate_on(clock, requests_per_minute=2)

    for _ in range(3):
        await gate.before_attempt()
        clock.now += 1

    assert clock.slept == [58.0]


async def test_tokens_are_reserved_then_settled_to_the_actual_usage():
    """An estimate holds the window while in flight; settling replaces it by the usage."""
    clock = Clock()
    gate = gate_on(clock, tokens_per_minute=100)

    reservation = await gate.reserve(70)
    held = gate.tokens_in_window()
    gate.settle(reservation, 20)
    settled = gate.tokens_in_window()
    clock.now += 61
    expired = gate.tokens_in_window()

    assert (held, settled, expired) == (70, 20, 0)


async def test_a_full_token_window_waits_for_its_oldest_usage_to_expire():
    """With 90 of 100 tokens used, a request estimated at 50 waits until they leave the window."""
    clock = Clock()
    gate = gate_on(clock, tokens_per_minute=100)
    gate.settle(await gate.reserve(0), 90)

    await gate.reserve(50)

    assert clock.slept == [60.0]


async def test_without_a_tokens_ceiling_nothing_is_reserved():
    """`reserve` returns None and settling it is a no-op."""
    gate = gate_on(Clock())

    reservation = await gate.reserve(1000)
    gate.settle(reservation, 1000)

    assert (reservation, gate.tokens_in_window()) == (None, 0)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10"])
def test_a_ceiling_must_be_a_whole_number_of_at_least_one(bad: object):
    """Zero, negatives, fractions, booleans and strings are refused, naming the ceiling."""
    with pytest.raises(SequrityValidationError, match="requests_per_minute"):
        RateGate(requests_per_minute=bad)  # type: ignore[arg-type]
