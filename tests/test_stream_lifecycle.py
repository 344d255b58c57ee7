"""
The life of a stream against the emulator: a dropped stream gives its connection back, the connect
deadline covers waiting for a pooled connection, misuse (reading after a close, reading from two
tasks, using a stream of a closed client) raises a typed error, and the debug log times a stream's
opening.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import re
from typing import Any

import anyio
import pytest

from sequrity import (
    AsyncSequrityClient,
    SequrityClient,
    SequrityError,
    SequrityTimeoutError,
    Timeout,
)

pytestmark = pytest.mark.anyio

MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]


def acquired(client: AsyncSequrityClient) -> int:
    """Connections lent to requests (aiohttp's private `TCPConnector._acquired`; see test_leaks)."""
    transport: Any = client._transport
    sessions = [transport._session, *transport._sessions.values()]
    return sum(len(s.connector._acquired) for s in sessions if s is not None and s.connector)


async def settle(predicate: Any, turns: int = 200) -> bool:
    """Let the event loop run until `predicate()` holds (at most `turns` iterations)."""
    for _ in range(turns):
        if predicate():
            return True
        await asyncio.sleep(0)
    return bool(predicate())


# -- item 8: dropped streams and the pool wait ---------------------------------------------------


async def test_an_async_stream_dropped_without_aclose_releases_its_connection(client, emulator):
    """A stream read halfway and then forgotten gives its connection back once collected."""
    emulator.faults.next_n(1).stream_delay(0.05)
    stream = await client.control.chat.create(HELLO, MODEL, stream=True)
    await anext(stream)
    assert acquired(client) == 1

    del stream
    gc.collect()

    assert await settle(lambda: acquired(client) == 0)


async def test_the_connect_deadline_covers_waiting_for_a_pooled_connection(emulator):
    """With the only pooled connection held by a stream, the next call fails on `connect`."""
    async with AsyncSequrityClient(
        "sq-k", base_url=emulator.base_url, max_connections=1, retry=None
    ) as client:
        emulator.faults.next_n(1).stream_delay(1.0)
        async with await client.control.chat.create(HELLO, MODEL, stream=True):
            with pytest.raises(SequrityTimeoutError) as info:
                await client.control.chat.create(
                    HELLO, MODEL, timeout=Timeout(connect=0.2, total=3)
                )

    assert info.value.kind == "connect"


# -- item 9: misuse is a typed error -------------------------------------------------------------


async def test_reading_a_stream_after_its_client_closed_is_a_typed_error(emulator):
    """A stream whose client was closed raises a `SequrityError`, not aiohttp's RuntimeError."""
    client = AsyncSequrityClient("sq-k", base_url=emulator.base_url, retry=None)
    emulator.faults.next_n(1).stream_delay(0.05)
    stream = await client.control.chat.create(HELLO, MODEL, stream=True)
    await client.aclose()

    with pytest.raises(SequrityError) as info:
        async for _ in stream:
            pass

    assert "closed" in str(info.value)
    assert stream.closed


async def test_reading_a_stream_after_aclose_is_a_typed_error(client, emulator):
    """Iterating a stream closed before its end says so instead of ending silently."""
    stream = await client.control.chat.create(HELLO, MODEL, stream=True)
    await anext(stream)
    await stream.aclose()

    with pytest.raises(SequrityError, match=r"closed .* before its end"):
        await anext(stream)


async def test_a_stream_read_to_its_end_just_stops_when_read_again(client, emulator):
    """An exhausted stream is an exhausted iterator, not an error."""
    async with await client.control.chat.create(HELLO, MODEL, stream=True) as stream:
        first = [chunk async for chunk in stream]

    assert first
    assert [chunk async for chunk in stream] == []


async def test_one_stream_read_by_two_tasks_is_a_typed_error(client, emulator):
    """A second task reading a stream another task is waiting on gets a `SequrityError`."""
    emulator.faults.next_n(1).stream_delay(0.2)
    results: list[Any] = []

    async def read(stream: Any) -> None:
        try:
            results.append([chunk async for chunk in stream])
        except SequrityError as exc:
            results.append(exc)

    stream = await client.control.chat.create(HELLO, MODEL, stream=True)
    async with stream, anyio.create_task_group() as tg:
        tg.start_soon(read, stream)
        tg.start_soon(read, stream)

    errors = [r for r in results if isinstance(r, SequrityError)]
    chunks = [r for r in results if isinstance(r, list)]
    assert len(errors) == 1
    assert "already being read by another task" in str(errors[0])
    assert len(chunks) == 1


def test_a_blocking_stream_of_a_closed_client_is_a_typed_error(sequrity_emulator):
    """After `client.close()` the client's open stream raises a `SequrityError`, nothing else."""
    client = SequrityClient("sq-k", base_url=sequrity_emulator.base_url, retry=None)
    stream = client.control.chat.create(HELLO, MODEL, stream=True)
    client.close()

    with pytest.raises(SequrityError, match="client has been closed"):
        next(stream)
    stream.close()


def test_reading_a_blocking_stream_after_close_is_a_typed_error(sync_client):
    """Like the async stream, a blocking stream closed before its end says so when read."""
    stream = sync_client.control.chat.create(HELLO, MODEL, stream=True)
    next(stream)
    stream.close()

    with pytest.raises(SequrityError, match=r"closed .* before its end"):
        next(stream)


# -- item 11: the debug log times a stream's opening ---------------------------------------------


async def test_the_debug_log_times_the_opening_of_a_stream(client, emulator, caplog):
    """The log line of a stream reports the time until its headers, not "0.0 ms"."""
    caplog.set_level(logging.DEBUG, logger="sequrity")
    emulator.faults.next_n(1).delay(0.05)

    async with await client.control.chat.create(HELLO, MODEL, stream=True) as stream:
        [chunk async for chunk in stream]

    lines = [r.getMessage() for r in caplog.records if "-> 200 in" in r.getMessage()]
    assert len(lines) == 1
    match = re.search(r"-> 200 in ([0-9.]+) ms \(headers; the stream follows\)", lines[0])
    assert match is not None
    assert float(match.group(1)) >= 50.0
