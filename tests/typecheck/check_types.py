"""
Typing-only checks, run by mypy (``nox -s typing``), never executed: what the IDE shows for raw
responses and for the options declared once.
"""

from __future__ import annotations

from typing import assert_type

from sequrity import AsyncSequrityClient, AsyncStream, SequrityClient, Stream
from sequrity._core._raw import RawResponse
from sequrity.control.types.utility import HealthStatus
from sequrity.types.chat_completion.response import ChatCompletionResponse
from sequrity.types.chat_completion.stream import ChatCompletionChunk

MESSAGES = [{"role": "user", "content": "hi"}]


async def raw_async(client: AsyncSequrityClient) -> None:
    """`with_raw_response` keeps each method's overloads, typed per result."""
    raw = client.control.chat.with_raw_response
    assert_type(await raw.create(MESSAGES, "m"), RawResponse[ChatCompletionResponse])
    assert_type(
        await raw.create(MESSAGES, "m", stream=True),
        RawResponse[AsyncStream[ChatCompletionChunk]],
    )
    assert_type(await client.control.utility.with_raw_response.health(), RawResponse[HealthStatus])


def raw_blocking(client: SequrityClient) -> None:
    """The blocking twins give the blocking stream."""
    raw = client.control.chat.with_raw_response
    assert_type(raw.create(MESSAGES, "m"), RawResponse[ChatCompletionResponse])
    assert_type(raw.create(MESSAGES, "m", stream=True), RawResponse[Stream[ChatCompletionChunk]])


async def options(client: AsyncSequrityClient) -> None:
    """The options are typed keywords: a wrong type or an unknown keyword is an error."""
    assert_type(
        await client.control.chat.create(MESSAGES, "m", temperature=0.2, provider=None, retry=2),
        ChatCompletionResponse,
    )
    await client.control.chat.create(MESSAGES, "m", temperature="hot")  # type: ignore[call-overload]
    await client.control.chat.create(MESSAGES, "m", temprature=0.2)  # type: ignore[call-overload]
    await client.control.chat.create_many([], concurrency=4, progress=True)
    await client.control.chat.create_many([], concurency=4)  # type: ignore[call-arg]
