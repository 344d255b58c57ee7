"""
Event streams from a hostile server: a stream of keep-alive comments only, valid events packed in
one write with an error, named events no style knows, and a complete JSON or HTML answer where a
stream was asked for. Through both clients.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from hostile_server import (
    DONE,
    MODEL,
    Request,
    chunk,
    event,
    head,
    json_answer,
    run_call,
    serving,
    sse_answer,
)

from sequrity import (
    SequrityAPIError,
    SequrityStreamError,
    SequrityTimeoutError,
    ServerSentEvent,
    Timeout,
)

pytestmark = pytest.mark.anyio

MODES = pytest.mark.parametrize("mode", ["async", "sync"])


def texts(chunks: list[object]) -> list[str | None]:
    """The delta text of each chat chunk."""
    return [c.choices[0].delta.content for c in chunks]  # type: ignore[attr-defined]


# -- stream_idle counts events, not bytes --------------------------------------------------------


def keep_alives_after(*first: bytes, interval: float = 0.02, count: int = 250):
    """Send `first`, then only keep-alive comments every `interval` seconds (5 s in all)."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(head(Content_Type="text/event-stream") + b"".join(first))
        await writer.drain()
        for _ in range(count):
            await asyncio.sleep(interval)
            writer.write(b": keep-alive\n\n")
            await writer.drain()

    return handler


@MODES
async def test_a_stream_of_keep_alives_only_hits_stream_idle(mode):
    """Comments arriving all the time do not count as events: `stream_idle` fires."""
    async with serving(keep_alives_after()) as server:
        outcome = await run_call(
            mode, server.base_url, stream=True, timeout=Timeout(stream_idle=0.3)
        )

    assert outcome.events == []
    assert isinstance(outcome.error, SequrityTimeoutError)
    assert outcome.error.kind == "stream_idle"


@MODES
async def test_stream_idle_is_the_gap_since_the_last_event(mode):
    """Events arrive, then only keep-alives: the events are delivered, then `stream_idle` fires."""
    async with serving(keep_alives_after(chunk("a"), chunk("b"))) as server:
        outcome = await run_call(
            mode, server.base_url, stream=True, timeout=Timeout(stream_idle=0.3)
        )

    assert texts(outcome.events) == ["a", "b"]
    assert isinstance(outcome.error, SequrityTimeoutError)
    assert outcome.error.kind == "stream_idle"


# -- events before a failure are delivered -----------------------------------------------------

PACKED_FAILURES = {
    "in_band_error": (
        event(None, {"error": {"message": "upstream exploded"}}),
        "the server reported an error in the stream: upstream exploded",
    ),
    "undecodable_event": (b"data: {not json\n\n", "undecodable stream event"),
    "ended_early": (b"", "ended before its terminating event ([DONE])"),
}


@MODES
@pytest.mark.parametrize("failure", sorted(PACKED_FAILURES))
async def test_events_packed_with_a_failure_in_one_write_are_all_delivered(mode, failure):
    """Chunks and a failure in the same network read: every chunk is yielded, then the error."""
    tail, message = PACKED_FAILURES[failure]
    one_write = chunk("a") + chunk("b") + chunk("c") + tail

    async with serving(sse_answer(one_write)) as server:
        outcome = await run_call(mode, server.base_url, stream=True)

    assert texts(outcome.events) == ["a", "b", "c"]
    assert isinstance(outcome.error, SequrityStreamError)
    assert message in str(outcome.error)
    assert outcome.error.events_received == 3


MESSAGE_START = {
    "type": "message_start",
    "message": {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude",
        "content": [],
        "usage": {"input_tokens": 1, "output_tokens": 1},
    },
}
MESSAGES = ("control.messages.create", [{"role": "user", "content": "hi"}], "claude")


@MODES
async def test_messages_events_packed_with_an_error_are_all_delivered(mode):
    """The same holds for the Messages style and its ``error`` event."""
    one_write = event("message_start", MESSAGE_START) + event(
        "error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    )
    async with serving(sse_answer(one_write)) as server:
        outcome = await run_call(mode, server.base_url, *MESSAGES, stream=True, max_tokens=5)

    assert [e.type for e in outcome.events] == ["message_start"]
    assert isinstance(outcome.error, SequrityStreamError)
    assert "Overloaded" in str(outcome.error)


# -- named events nobody knows -------------------------------------------------------------------


@MODES
async def test_a_chat_stream_skips_named_events_and_keeps_them(mode):
    """``event: ping`` between chunks is skipped, the stream completes, the ping is kept."""
    writes = [chunk("a"), b"event: ping\ndata: {}\n\n", chunk("b"), DONE]
    async with serving(sse_answer(*writes)) as server:
        outcome = await run_call(mode, server.base_url, stream=True)

    assert outcome.error is None
    assert texts(outcome.events) == ["a", "b"]
    assert outcome.unknown == [ServerSentEvent(data="{}", event="ping")]


def response_object(status: str) -> dict[str, object]:
    """A minimal Responses answer object."""
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "status": status,
        "model": MODEL,
        "output": [],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }


RESPONSES = ("control.responses.create",)


@MODES
async def test_a_responses_stream_tolerates_a_named_ping(mode):
    """``event: ping`` with ``{}`` arrives as an unknown event; the stream completes."""
    writes = [
        event("response.created", {"type": "response.created", "response": response_object("in_progress"), "sequence_number": 0}),
        b"event: ping\ndata: {}\n\n",
        event("response.completed", {"type": "response.completed", "response": response_object("completed"), "sequence_number": 1}),
    ]  # fmt: skip
    async with serving(sse_answer(*writes)) as server:
        outcome = await run_call(
            mode, server.base_url, *RESPONSES, stream=True, model=MODEL, input="hi"
        )

    assert outcome.error is None
    assert [e.type for e in outcome.events] == ["response.created", "ping", "response.completed"]


@MODES
async def test_a_messages_stream_skips_a_named_event_without_json(mode):
    """A named event whose data is not JSON is skipped and kept; the stream completes."""
    writes = [
        event("message_start", MESSAGE_START),
        b"event: keepalive\ndata: still here\n\n",
        event("message_stop", {"type": "message_stop"}),
    ]
    async with serving(sse_answer(*writes)) as server:
        outcome = await run_call(mode, server.base_url, *MESSAGES, stream=True, max_tokens=5)

    assert outcome.error is None
    assert [e.type for e in outcome.events] == ["message_start", "message_stop"]
    assert outcome.unknown == [ServerSentEvent(data="still here", event="keepalive")]


# -- a complete answer where a stream was asked for --------------------------------------------


@MODES
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"id": "chatcmpl-1", "object": "chat.completion", "choices": []}'),
        ("text/html; charset=utf-8", b"<html><body>Gateway says hello</body></html>"),
    ],
    ids=["json", "html"],
)
async def test_a_stream_answered_with_a_complete_body_says_what_came(mode, content_type, body):
    """The error names the content type that came instead of an event stream and keeps the body."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(head(Content_Type=content_type, Content_Length=str(len(body))) + body)
        await writer.drain()

    async with serving(handler) as server:
        outcome = await run_call(mode, server.base_url, stream=True)

    assert isinstance(outcome.error, SequrityStreamError)
    assert "expected an event stream" in str(outcome.error)
    assert repr(content_type.partition(";")[0]) in str(outcome.error)
    assert outcome.error.body == body.decode()


ERROR_OBJECT = b'{"error": {"message": "Provider returned error", "code": 502}, "user_id": "u1"}'


@MODES
async def test_a_stream_answered_with_an_error_object_raises_the_servers_message(mode):
    """A JSON error object instead of a stream is an API error carrying the server's message."""
    async with serving(json_answer(ERROR_OBJECT)) as server:
        outcome = await run_call(mode, server.base_url, stream=True)

    assert type(outcome.error) is SequrityAPIError
    assert "Provider returned error" in str(outcome.error)


@MODES
@pytest.mark.parametrize(
    "body",
    [
        ERROR_OBJECT,
        b'{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}',
        b'{"error": "Provider returned error"}',
    ],
    ids=["openai", "anthropic", "string"],
)
async def test_an_error_object_in_a_200_is_an_api_error_with_the_servers_message(mode, body):
    """A success status whose body is an error object raises `SequrityAPIError`, message in str()."""
    async with serving(json_answer(body)) as server:
        outcome = await run_call(mode, server.base_url)

    assert type(outcome.error) is SequrityAPIError
    assert outcome.error.status_code == 200
    assert outcome.error.message in ("Provider returned error", "Overloaded")
    assert outcome.error.message in str(outcome.error)
    assert isinstance(outcome.error.body, dict)


@MODES
async def test_a_failed_responses_answer_is_not_mistaken_for_an_error_object(mode):
    """A Responses answer with ``status: failed`` and an ``error`` member is still an answer."""
    answer = {**response_object("failed"), "error": {"code": "server_error", "message": "boom"}}
    async with serving(json_answer(json.dumps(answer).encode())) as server:
        outcome = await run_call(mode, server.base_url, *RESPONSES, model=MODEL, input="hi")

    assert outcome.error is None
    assert outcome.result.status == "failed"
