"""`chat.create_many` / `chat.iter_many` against the emulator, through both clients."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest

from sequrity import (
    BadRequestError,
    Outcome,
    Progress,
    SequrityClient,
    SequrityValidationError,
)
from sequrity.testing import ChatCall, Emulator, ErrorReply
from sequrity.types.chat_completion.response import ChatCompletionResponse

pytestmark = pytest.mark.anyio

MANY = "control.chat.create_many"
MODEL = "openai/gpt-5-mini"


def ask(text: str, **extra: Any) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}], "model": MODEL, **extra}


async def test_two_hundred_requests_come_back_in_input_order(api, emulator: Emulator):
    """200 requests at concurrency 16 each get their own answer, in input order."""
    requests = [ask(f"question {i}", custom_id=f"q{i}") for i in range(200)]

    outcomes = await api.call(MANY, requests, concurrency=16)

    assert len(outcomes) == 200
    assert all(o.ok for o in outcomes)
    assert [o.value.content for o in outcomes] == [
        f"Emulated answer to: question {i}" for i in range(200)
    ]
    assert [o.custom_id for o in outcomes] == [f"q{i}" for i in range(200)]
    assert isinstance(outcomes[0].value, ChatCompletionResponse)
    assert len(emulator.requests) == 200
    # custom_id is the caller's label: it never reaches the wire.
    assert all("custom_id" not in r.json for r in emulator.requests)


async def test_per_item_errors_are_values_and_the_rest_succeed(api, emulator: Emulator):
    """Scripted errors and an invalid request become typed outcomes; the others still succeed."""

    def fail_some(call: ChatCall) -> ErrorReply | None:
        if call.last_user_text.startswith("fail"):
            return ErrorReply(status=400, detail="scripted failure")
        return None

    emulator.script.responder(fail_some)
    requests = [ask(f"fail {i}" if i % 5 == 0 else f"ok {i}") for i in range(20)]
    requests.append({"messages": [{"role": "user", "content": "no model"}]})

    outcomes: list[Outcome[ChatCompletionResponse]] = await api.call(MANY, requests, concurrency=4)

    failed = [o.index for o in outcomes if not o.ok]
    assert failed == [0, 5, 10, 15, 20]
    assert all(isinstance(outcomes[i].error, BadRequestError) for i in (0, 5, 10, 15))
    assert "scripted failure" in str(outcomes[0].error)
    assert isinstance(outcomes[20].error, SequrityValidationError)
    assert outcomes[1].value is not None
    assert len(emulator.requests) == 20  # the invalid request was never sent


async def test_fail_fast_raises_the_first_error_and_stops(api, emulator: Emulator):
    """With fail_fast the first error is raised and most of the batch is never sent."""
    emulator.script.responder(
        lambda call: (
            ErrorReply(status=400, detail="stop here") if call.last_user_text == "q 3" else None
        )
    )
    requests = [ask(f"q {i}") for i in range(100)]

    with pytest.raises(BadRequestError, match="stop here"):
        await api.call(MANY, requests, concurrency=4, fail_fast=True)

    assert len(emulator.requests) < 20


async def test_a_429_burst_pauses_every_worker_once(api, emulator: Emulator, caplog):
    """Three 429s with Retry-After pause the shared gate instead of each worker retrying alone."""
    caplog.set_level(logging.INFO, logger="sequrity")
    emulator.faults.next_n(3).status(429, retry_after=0.25)
    requests = [ask(f"r {i}") for i in range(40)]

    outcomes = await api.call(MANY, requests, concurrency=8)

    assert all(o.ok for o in outcomes)
    # 40 requests plus one retry for each 429, not one retry loop per worker.
    assert len(emulator.requests) == 43
    # The gate paused every worker with the server's hint (tests/_core/test_fanout.py checks,
    # in virtual time, that no request starts during a pause).
    pauses = [r.getMessage() for r in caplog.records if "pausing all workers" in r.getMessage()]
    assert pauses
    assert set(pauses) == {"rate limited: pausing all workers for 0.25 s"}


async def test_iter_many_yields_every_outcome_once(api, emulator: Emulator):
    """iter_many yields one outcome per request, matched by index and custom_id."""
    requests = [ask(f"it {i}", custom_id=f"c{i}") for i in range(30)]

    if api.mode == "async":
        outcomes = [o async for o in api.aclient.control.chat.iter_many(requests, concurrency=5)]
    else:
        outcomes = await anyio.to_thread.run_sync(
            lambda: list(api.sclient.control.chat.iter_many(requests, concurrency=5))
        )

    assert sorted(o.index for o in outcomes) == list(range(30))
    assert all(o.value.content == f"Emulated answer to: it {o.index}" for o in outcomes)
    assert all(o.custom_id == f"c{o.index}" for o in outcomes)


async def test_progress_callback_reaches_the_total(api):
    """The progress callback is called once per request and ends at done == total."""
    seen: list[Progress] = []

    await api.call(MANY, [ask(f"p {i}") for i in range(12)], concurrency=3, progress=seen.append)

    assert [p.done for p in seen] == list(range(1, 13))
    assert (seen[-1].succeeded, seen[-1].failed, seen[-1].total) == (12, 0, 12)


async def test_bad_concurrency_is_a_validation_error(api, emulator: Emulator):
    """concurrency < 1 raises `SequrityValidationError` and sends nothing."""
    with pytest.raises(SequrityValidationError, match="concurrency"):
        await api.call(MANY, [ask("x")], concurrency=0)

    assert emulator.requests == []


def test_threads_share_one_blocking_client_on_one_loop_thread(
    sync_client: SequrityClient, sequrity_emulator: Any
):
    """32 threads share one `SequrityClient`; concurrent calls share one loop thread (no start-up)."""
    before = {t.ident for t in threading.enumerate()}

    def one(i: int) -> str | None:
        return sync_client.control.chat.create(**ask(f"thread {i}")).content

    with ThreadPoolExecutor(max_workers=32, thread_name_prefix="caller") as pool:
        answers = list(pool.map(one, range(256)))
        extra = [t.name for t in threading.enumerate() if t.ident not in before]

    assert answers == [f"Emulated answer to: thread {i}" for i in range(256)]
    assert [name for name in extra if not name.startswith("caller")] in ([], ["sequrity-loop"])


def test_create_many_from_blocking_code_and_threads(sync_client: SequrityClient):
    """`create_many` works from blocking code, also from several threads at once."""

    def batch(k: int) -> list[str | None]:
        outcomes = sync_client.control.chat.create_many(
            [ask(f"b{k} {i}") for i in range(25)], concurrency=8
        )
        return [o.value.content if o.value else None for o in outcomes]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(batch, range(4)))

    assert results == [[f"Emulated answer to: b{k} {i}" for i in range(25)] for k in range(4)]


async def test_messages_and_responses_fan_out_too(api, emulator: Emulator):
    """The Messages and Responses resources have the same create_many, in input order."""
    messages = [
        {"messages": [{"role": "user", "content": f"m {i}"}], "model": MODEL, "max_tokens": 16}
        for i in range(10)
    ]
    responses = [{"model": MODEL, "input": f"r {i}", "custom_id": f"r{i}"} for i in range(10)]

    got_messages = await api.call("control.messages.create_many", messages, concurrency=4)
    got_responses = await api.call("control.responses.create_many", responses, concurrency=4)

    assert all(o.ok for o in got_messages + got_responses)
    assert [o.index for o in got_messages] == list(range(10))
    assert [o.custom_id for o in got_responses] == [f"r{i}" for i in range(10)]
    assert len(emulator.requests) == 20
