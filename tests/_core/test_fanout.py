"""Tests for the fan-out engine (`sequrity._core._fanout`) and its rate gate, with fake requests."""

from __future__ import annotations

import asyncio
from typing import Any

import anyio
import attrs
import pytest
from multidict import CIMultiDict

from sequrity import (
    BadRequestError,
    Outcome,
    Progress,
    RateLimitError,
    RetryPolicy,
    SequrityValidationError,
    Timeout,
)
from sequrity._core._fanout import kwargs_caller, run_many, start_many, usage_tokens
from sequrity._core._gate import RateGate
from sequrity._core._retrying import run_with_retries
from sequrity._core._wire import ApiRequest

pytestmark = pytest.mark.anyio

REQUEST = ApiRequest("POST", "http://127.0.0.1/x", {}, b"{}", Timeout(total=5.0))
NO_WAIT = RetryPolicy(initial_backoff=0, max_backoff=0)


class FakeClock:
    """Virtual time: `sleep` advances the clock at once (and yields to the loop)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@attrs.frozen
class Usage:
    total_tokens: int


@attrs.frozen
class Answer:
    value: int
    usage: Usage | None = None


def rate_limited(retry_after: float) -> RateLimitError:
    return RateLimitError(
        "slow down",
        status_code=429,
        body={"detail": "slow down"},
        headers=CIMultiDict({"Retry-After": f"{retry_after:g}"}),
        retry_after=retry_after,
    )


async def test_run_many_returns_outcomes_in_input_order():
    """Outcomes come back in input order even when later requests finish first."""

    async def call(n: int) -> int:
        await asyncio.sleep((10 - n) * 0.002)
        return n * n

    outcomes = await run_many(call, range(10), concurrency=10)

    assert [o.value for o in outcomes] == [n * n for n in range(10)]
    assert [o.index for o in outcomes] == list(range(10))
    assert all(o.ok for o in outcomes)


async def test_concurrency_limit_is_never_exceeded():
    """No more than `concurrency` requests run at once, and the limit is reached."""
    running = peak = 0

    async def call(n: int) -> int:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001)
        running -= 1
        return n

    await run_many(call, range(50), concurrency=7)

    assert peak == 7


async def test_errors_are_outcomes_and_the_rest_go_on():
    """A `SequrityError` becomes that request's outcome; every other request still completes."""
    error = BadRequestError("bad", status_code=400, body={})

    async def call(n: int) -> int:
        if n % 3 == 0:
            raise error
        return n

    outcomes = await run_many(call, range(9), concurrency=4)

    assert [o.ok for o in outcomes] == [n % 3 != 0 for n in range(9)]
    assert outcomes[3].error is error
    assert outcomes[3].value is None
    with pytest.raises(BadRequestError):
        outcomes[0].unwrap()
    assert outcomes[1].unwrap() == 1


async def test_fail_fast_cancels_the_rest_and_raises_the_first_error():
    """With fail_fast the first error is raised and requests still waiting never run."""
    started: list[int] = []
    cancelled = 0

    async def call(n: int) -> int:
        nonlocal cancelled
        started.append(n)
        if n == 2:
            raise BadRequestError("bad", status_code=400, body={})
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled += 1
            raise
        return n

    with anyio.fail_after(2):
        with pytest.raises(BadRequestError):
            await run_many(call, range(100), concurrency=4, fail_fast=True)

    assert sorted(started) == [0, 1, 2, 3]
    assert cancelled == 3


async def test_custom_id_is_copied_to_outcomes():
    """The custom_id extractor labels each outcome."""

    async def call(request: dict[str, Any]) -> int:
        return int(request["n"])

    outcomes = await run_many(
        call, [{"n": 1, "custom_id": "a"}, {"n": 2}], custom_id=lambda r: r.get("custom_id")
    )

    assert [(o.custom_id, o.value) for o in outcomes] == [("a", 1), (None, 2)]


async def test_start_many_yields_as_completed():
    """The iterator yields each outcome as soon as it completes: fastest first."""
    delays = {0: 0.06, 1: 0.0, 2: 0.03}

    async def call(n: int) -> int:
        await asyncio.sleep(delays[n])
        return n

    seen = [o.index async for o in start_many(call, range(3), concurrency=3)]

    assert seen == [1, 2, 0]


async def test_start_many_fail_fast_raises_from_the_iterator():
    """With fail_fast the iterator raises the first error after the outcomes before it."""

    async def call(n: int) -> int:
        if n == 1:
            await asyncio.sleep(0.01)
            raise BadRequestError("bad", status_code=400, body={})
        return n

    seen: list[int] = []

    async def consume() -> None:
        async for outcome in start_many(call, range(2), concurrency=2, fail_fast=True):
            seen.append(outcome.index)

    with pytest.raises(BadRequestError):
        await consume()

    assert seen == [0]


async def test_closing_the_iterator_early_cancels_running_requests():
    """Leaving the loop early cancels the requests still in flight."""
    cancelled = 0

    async def call(n: int) -> int:
        nonlocal cancelled
        if n == 0:
            return 0
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled += 1
            raise
        return n

    iterator = start_many(call, range(5), concurrency=5)
    with anyio.fail_after(2):
        first = await anext(iterator)
        await iterator.aclose()  # type: ignore[attr-defined]

    assert first.index == 0
    assert cancelled == 4


async def test_cancelling_the_batch_releases_every_worker_at_once():
    """Cancelling the awaiting task stops every request, including those queued at the gate."""
    entered = 0
    released = 0
    finished = 0
    all_started = asyncio.Event()
    gate = RateGate()
    gate.pause(30)  # requests using the retry loop wait here

    async def call(n: int) -> int:
        nonlocal entered, released, finished
        entered += 1
        if entered == 20:
            all_started.set()
        try:
            if n % 2:
                await asyncio.sleep(30)
            else:
                await run_with_retries(
                    REQUEST, lambda _deadline: asyncio.sleep(0, n), NO_WAIT, None, gate=gate
                )
            finished += 1
        finally:
            released += 1
        return n

    async def cancel_once_all_started(scope: anyio.CancelScope) -> None:
        await all_started.wait()
        scope.cancel()

    async with anyio.create_task_group() as group:
        group.start_soon(cancel_once_all_started, group.cancel_scope)
        await run_many(call, range(20), concurrency=20, gate=gate)

    assert entered == 20
    assert released == 20
    assert finished == 0  # nobody waited out its 30 seconds


async def test_one_429_with_retry_after_pauses_every_worker():
    """A 429 with Retry-After pauses the shared gate: no other request starts during the pause."""
    clock = FakeClock()  # virtual time: each request takes 0.01 s, the pause 0.2 s
    starts: list[tuple[float, int]] = []
    first_429: list[float] = []
    pause = 0.2

    async def call(n: int) -> int:
        async def attempt(deadline: float | None) -> int:
            now = clock()
            starts.append((now, n))
            if n == 3 and not first_429:
                first_429.append(now)
                raise rate_limited(pause)
            await clock.sleep(0.01)
            return n

        return await run_with_retries(REQUEST, attempt, NO_WAIT, None, gate=gate)

    gate = RateGate(clock=clock, sleep=clock.sleep)
    outcomes = await run_many(call, range(40), concurrency=8, gate=gate)

    assert all(o.ok for o in outcomes)
    assert gate.pauses == 1
    t0 = first_429[0]
    during = [n for t, n in starts if t0 < t < t0 + pause]
    assert during == []
    assert [t for t, n in starts if n == 3][1] >= t0 + pause  # the retry waited out the pause
    # Request 3 was retried once, after the pause, and everyone resumed.
    assert [n for _, n in starts].count(3) == 2
    assert len(starts) == 41


async def test_without_a_gate_the_retry_loop_is_unchanged():
    """Outside a fan-out no gate is set and a 429 is retried after its own Retry-After."""
    calls = 0

    async def attempt(deadline: float | None) -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise rate_limited(0)
        return 7

    result = await run_with_retries(REQUEST, attempt, NO_WAIT, None)

    assert (result, calls) == (7, 2)


async def test_requests_per_minute_uses_a_sliding_window():
    """With rpm=3 the 4th attempt waits until the first leaves the 60-second window."""
    clock = FakeClock()
    gate = RateGate(requests_per_minute=3, clock=clock, sleep=clock.sleep)
    starts: list[float] = []

    async def call(n: int) -> int:
        async def attempt(deadline: float | None) -> int:
            starts.append(clock())
            clock.now += 1.0  # each request takes one virtual second
            return n

        return await run_with_retries(REQUEST, attempt, NO_WAIT, None, gate=gate)

    await run_many(call, range(7), concurrency=1, gate=gate)

    assert [s - 1000.0 for s in starts] == [0, 1, 2, 60, 61, 62, 120]


async def test_tokens_per_minute_counts_completed_usage():
    """With tpm=100, requests stop starting once completed usage fills the window."""
    clock = FakeClock()
    gate = RateGate(tokens_per_minute=100, clock=clock, sleep=clock.sleep)
    starts: list[float] = []

    async def call(n: int) -> Answer:
        starts.append(clock())
        clock.now += 1.0
        return Answer(n, Usage(40))

    await run_many(call, range(5), concurrency=1, gate=gate)

    # Three fit (80 + 1 <= 100); the 4th sees 120 and waits until the completion at t=1 leaves
    # the window (t=61); the 5th finds the completion at t=2 expired at t=62.
    assert [s - 1000.0 for s in starts] == [0, 1, 2, 61, 62]


async def test_token_estimates_are_held_while_in_flight():
    """An estimate holds room in the window while the request runs, so concurrent ones wait."""
    clock = FakeClock()
    gate = RateGate(tokens_per_minute=100, clock=clock, sleep=clock.sleep)
    in_window: list[int] = []
    log: list[str] = []

    async def call(n: int) -> Answer:
        log.append(f"start {n}")
        in_window.append(gate.tokens_in_window())
        await asyncio.sleep(0)
        log.append(f"end {n}")
        return Answer(n, Usage(10))

    await run_many(call, range(3), concurrency=3, gate=gate, estimate_tokens=lambda n: 60)

    # Two estimates of 60 do not fit in 100: each waits for the one before to settle.
    assert log == ["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]
    # The first settled at its actual usage (10) while the second holds its estimate (60).
    assert in_window[:2] == [60, 70]


async def test_progress_callback_reports_counts_rate_and_eta():
    """The callback sees done/total/succeeded/failed after each completion, with rate and ETA."""
    clock = FakeClock()
    seen: list[Progress] = []

    async def call(n: int) -> int:
        clock.now += 0.5
        if n == 1:
            raise BadRequestError("bad", status_code=400, body={})
        return n

    await run_many(call, range(4), concurrency=1, progress=seen.append, clock=clock)

    assert [(p.done, p.succeeded, p.failed, p.total) for p in seen] == [
        (1, 1, 0, 4),
        (2, 1, 1, 4),
        (3, 2, 1, 4),
        (4, 3, 1, 4),
    ]
    assert seen[1].elapsed == pytest.approx(1.0)
    assert seen[1].rate == pytest.approx(2.0)
    assert seen[1].eta == pytest.approx(1.0)
    assert seen[-1].eta == pytest.approx(0.0)
    assert seen[-1].fraction == 1.0


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"concurrency": 0}, "concurrency"),
        ({"concurrency": True}, "concurrency"),
        ({"requests_per_minute": 0}, "requests_per_minute"),
        ({"tokens_per_minute": -5}, "tokens_per_minute"),
        ({"progress": "yes"}, "progress"),
    ],
)
async def test_bad_arguments_raise_validation_errors(kwargs, fragment):
    """Invalid options raise `SequrityValidationError` naming the option, before anything runs."""

    async def call(n: int) -> int:
        raise AssertionError("must not run")

    with pytest.raises(SequrityValidationError, match=fragment):
        await run_many(call, range(3), **kwargs)
    with pytest.raises(SequrityValidationError, match=fragment):
        start_many(call, range(3), **kwargs)


async def test_requests_must_be_an_iterable_of_requests():
    """A single mapping or a string is refused rather than iterated key by key."""

    async def call(n: Any) -> int:
        return 0

    with pytest.raises(SequrityValidationError, match="iterable"):
        await run_many(call, {"messages": []})  # type: ignore[arg-type]


async def test_kwargs_caller_turns_bad_requests_into_validation_errors():
    """Unknown keywords, missing arguments, streaming and non-mappings fail as typed outcomes."""

    async def create(messages: list[Any], model: str, *, stream: bool | None = None) -> str:
        return model

    call = kwargs_caller(create, "chat.create")
    outcomes = await run_many(
        call,
        [
            {"messages": [], "model": "m", "custom_id": "ok"},
            {"messages": [], "model": "m", "colour": "red"},
            {"messages": []},
            {"messages": [], "model": "m", "stream": True},
            ["not", "a", "mapping"],  # type: ignore[list-item]
        ],
    )

    assert outcomes[0].value == "m"
    assert [type(o.error) for o in outcomes[1:]] == [SequrityValidationError] * 4
    assert "colour" in str(outcomes[1].error)


def test_usage_tokens_reads_total_or_input_plus_output():
    """Token usage comes from total_tokens, else input + output tokens, else None."""

    @attrs.frozen
    class Split:
        input_tokens: int
        output_tokens: int

    @attrs.frozen
    class Msg:
        usage: Split

    assert usage_tokens(Answer(1, Usage(12))) == 12
    assert usage_tokens(Msg(Split(3, 4))) == 7
    assert usage_tokens(Answer(1)) is None
    assert usage_tokens(object()) is None


def test_outcome_ok_and_fields():
    """An outcome with no error is ok and unwraps to its value."""
    outcome = Outcome(index=2, value="x", custom_id="c")

    assert (outcome.ok, outcome.unwrap(), outcome.index, outcome.custom_id) == (True, "x", 2, "c")
