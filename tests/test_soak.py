"""
A combined soak: 3,000 requests with random faults through one async client at concurrency 64,
checking every outcome, the attempt accounting between client and server, and leaks at the end.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import random
import time
import warnings
from collections import Counter
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from sequrity import (
    AsyncSequrityClient,
    BadRequestError,
    InternalServerError,
    RateLimitError,
    RetryEvent,
    RetryPolicy,
    SequrityConnectionError,
    SequrityDecodeError,
    SequrityError,
    SequrityStreamError,
    ServiceUnavailableError,
    Timeout,
)

#: A hang guard, not a speed target: generous enough for a machine loaded many times over.
HANG_GUARD = 480

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.timeout(HANG_GUARD + 60)]

MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]
CALLS = 3000
CONCURRENCY = 64

FAULTS: dict[str, Callable[[Any], Any]] = {
    "status_503": lambda f: f.status(503),
    "status_500": lambda f: f.status(500, retry_after_ms=0),
    "status_429": lambda f: f.status(429, retry_after=0),
    "status_429_long": lambda f: f.status(429, retry_after=3600),
    "status_400": lambda f: f.status(400),
    "no_retry_503": lambda f: f.status(503, should_retry=False),
    "reset": lambda f: f.reset(),
    "reset_body": lambda f: f.reset(during_body=True, after_events=2),
    "truncate_body": lambda f: f.truncate_body(),
    "truncate_stream": lambda f: f.truncate_stream(after_events=1),
    "stream_error": lambda f: f.stream_error(),
    "delay": lambda f: f.delay(0.002),
    "stream_delay": lambda f: f.stream_delay(0.001),
    "trickle": lambda f: f.trickle(chunk_size=128, seconds=0),
}

#: Every way a call may legitimately end.
EXPECTED = {
    "ok",
    BadRequestError.__name__,
    InternalServerError.__name__,
    RateLimitError.__name__,
    ServiceUnavailableError.__name__,
    SequrityConnectionError.__name__,
    SequrityDecodeError.__name__,
    SequrityStreamError.__name__,
}


async def test_3000_faulted_requests_at_concurrency_64(emulator, caplog):
    """Every call succeeds or fails typed; requests seen == attempts made; nothing leaks."""
    caplog.set_level(logging.WARNING)
    rng = random.Random(7)
    plan = [
        (rng.choice(sorted(FAULTS)) if rng.random() < 0.4 else None, rng.random() < 0.5)
        for _ in range(CALLS)
    ]
    events: list[RetryEvent] = []
    outcomes: Counter[str] = Counter()
    client = AsyncSequrityClient(
        "sq-test-key",
        base_url=emulator.base_url,
        retry=RetryPolicy(initial_backoff=0, max_backoff=0),
        on_retry=events.append,
        max_connections=CONCURRENCY,
        timeout=Timeout(connect=10, read=10, total=30),
    )
    baseline = set(asyncio.all_tasks())
    todo = iter(plan)

    async def worker() -> None:
        for fault, stream in todo:
            if fault is not None:
                FAULTS[fault](emulator.faults.next_n(1))
            try:
                if stream:
                    async with await client.control.chat.create(HELLO, MODEL, stream=True) as s:
                        [c async for c in s]
                else:
                    await client.control.chat.create(HELLO, MODEL)
                outcomes["ok"] += 1
            except SequrityError as exc:
                outcomes[type(exc).__name__] += 1

    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with anyio.fail_after(HANG_GUARD):
                async with anyio.create_task_group() as tg:
                    for _ in range(CONCURRENCY):
                        tg.start_soon(worker)
        except BaseException:
            await client.aclose()  # a failed run must not leak its session into later tests
            raise
        elapsed = time.perf_counter() - started
        connector = client._transport._session.connector  # private: see tests/test_leaks.py
        left_acquired = len(connector._acquired)
        left_open = left_acquired + sum(len(c) for c in connector._conns.values())
        await client.aclose()
        for _ in range(100):  # the emulator's per-connection tasks end once the sockets close
            leftover = set(asyncio.all_tasks()) - baseline - {asyncio.current_task()}
            if not leftover:
                break
            await anyio.sleep(0.01)
        gc.collect()

    print(f"{CALLS} calls in {elapsed:.1f} s: {dict(outcomes)}; {len(events)} retries")
    assert sum(outcomes.values()) == CALLS
    assert set(outcomes) <= EXPECTED, set(outcomes) - EXPECTED
    assert outcomes["ok"] > CALLS // 2
    assert len(emulator.requests) == CALLS + len(events)
    assert all(e.attempt <= 2 for e in events)
    assert left_acquired == 0
    assert left_open <= CONCURRENCY
    assert leftover == set()
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records if "nclosed" in r.getMessage()] == []
