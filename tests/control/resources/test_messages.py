"""Anthropic Messages (`client.control.messages`) against the emulator, through both clients."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from sequrity import SequrityStreamError, SequrityValidationError, Timeout
from sequrity._core._sse import ServerSentEvent
from sequrity._core._stream import AsyncStream
from sequrity.control import FeaturesHeader
from sequrity.control.resources.messages import decode_message_event
from sequrity.types.messages import accumulate_message
from sequrity.types.messages.response import AnthropicMessageResponse, TextBlock, ToolUseBlock
from sequrity.types.messages.stream import (
    RawContentBlockDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
    UnknownStreamEvent,
)

pytestmark = pytest.mark.anyio

CREATE = "control.messages.create"
MODEL = "claude-sonnet-4-5-20250929"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather of a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}


async def test_create_returns_a_typed_message_with_session_and_request_ids(api, emulator):
    """A plain call returns an assistant message with text, end_turn, usage and the ids."""
    response = await api.call(CREATE, HELLO, MODEL, 256, provider="anthropic")

    assert isinstance(response, AnthropicMessageResponse)
    assert (response.type, response.role, response.model) == ("message", "assistant", MODEL)
    assert response.id.startswith("msg_emu_")
    assert response.content == [TextBlock(text="97")]
    assert response.stop_reason == "end_turn"
    assert response.usage.input_tokens > 0
    assert response.usage.output_tokens > 0
    assert uuid.UUID(response.session_id or "")
    assert response.request_id == emulator.requests[-1].request_id


async def test_request_goes_to_the_messages_route_with_the_given_body(api, emulator):
    """The wire request hits /anthropic/v1/messages with every given field and nothing else."""
    await api.call(
        CREATE,
        HELLO,
        MODEL,
        100,
        system="be brief",
        temperature=0.5,
        top_k=3,
        stop_sequences=["END"],
        metadata={"user_id": "u1"},
        output_config={"format": {"type": "json_schema", "schema": {"type": "object"}}},
        provider="anthropic",
        endpoint_type="code",
    )

    sent = emulator.requests[-1]
    assert sent.path == "/control/code/anthropic/v1/messages"
    assert sent.headers["Accept"] == "application/json"
    assert sent.json == {
        "messages": HELLO,
        "model": MODEL,
        "max_tokens": 100,
        "system": "be brief",
        "temperature": 0.5,
        "top_k": 3,
        "stop_sequences": ["END"],
        "metadata": {"user_id": "u1"},
        "output_config": {"format": {"schema": {"type": "object"}, "type": "json_schema"}},
    }


async def test_default_provider_route_is_used_when_provider_is_none(api, emulator):
    """`provider=None` sends to the provider-less default route."""
    await api.call(CREATE, HELLO, MODEL, 16, provider=None)

    assert emulator.requests[-1].path == "/control/chat/v1/messages"


async def test_timeout_limits_the_request_and_is_not_sent_in_the_body(api, emulator):
    """`timeout` is an HTTP deadline here, never a JSON body field (official SDK bug, §11.4)."""
    await api.call(CREATE, HELLO, MODEL, 16, timeout=30.0)

    assert "timeout" not in emulator.requests[-1].json


async def test_timeout_fires_on_a_slow_server(api, emulator):
    """A server slower than the call's deadline raises a timeout error."""
    from sequrity import SequrityTimeoutError

    emulator.faults.next_n(1).delay(2.0)

    with pytest.raises(SequrityTimeoutError):
        await api.call(CREATE, HELLO, MODEL, 16, timeout=Timeout(total=0.2), retry=None)


@pytest.mark.parametrize("max_tokens", [None, 0, -5, "100", 1.5, True])
async def test_missing_or_invalid_max_tokens_is_refused_before_sending(api, emulator, max_tokens):
    """`max_tokens` is required and must be a positive integer; nothing is sent otherwise."""
    with pytest.raises(SequrityValidationError, match="max_tokens"):
        await api.call(CREATE, HELLO, MODEL, max_tokens)

    assert len(emulator.requests) == 0


async def test_max_tokens_cannot_be_left_out(api, emulator):
    """Leaving `max_tokens` out fails at the call, before anything is sent."""
    with pytest.raises(TypeError, match="max_tokens"):
        await api.call(CREATE, HELLO, MODEL)

    assert len(emulator.requests) == 0


@pytest.mark.parametrize("provider", ["openrouter", "openai", "sequrity_azure"])
async def test_provider_that_does_not_serve_messages_is_refused_before_sending(
    api, emulator, provider
):
    """A provider without a Messages route is a validation error listing those that have one."""
    with pytest.raises(SequrityValidationError) as info:
        await api.call(CREATE, HELLO, MODEL, 16, provider=provider)

    assert "'anthropic'" in str(info.value)
    assert "does not serve /messages" in str(info.value)
    assert len(emulator.requests) == 0


async def test_invalid_message_is_refused_naming_the_field(api, emulator):
    """A content block missing a required key is refused before sending, with its path."""
    bad = [{"role": "user", "content": [{"type": "tool_result"}]}]

    with pytest.raises(SequrityValidationError, match=r"messages\[0\]\.content\[0\]\.tool_use_id"):
        await api.call(CREATE, bad, MODEL, 16)

    assert len(emulator.requests) == 0


async def test_stream_yields_the_documented_event_sequence(api, emulator):
    """A stream starts with message_start, has block start/delta/stop and message_delta, ends with message_stop."""
    events, stream = await api.stream(CREATE, HELLO, MODEL, 64)

    kinds = [e.type for e in events]
    assert kinds[0] == "message_start"
    assert kinds[1] == "content_block_start"
    assert "content_block_delta" in kinds
    assert kinds[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert isinstance(events[0], RawMessageStartEvent)
    assert isinstance(events[-1], RawMessageStopEvent)
    assert uuid.UUID(stream.session_id or "")
    assert emulator.requests[-1].headers["Accept"] == "text/event-stream"


async def test_accumulated_stream_equals_the_plain_answer(api, emulator):
    """The events of a stream accumulate to the same message a plain call returns."""
    question = [{"role": "user", "content": "Tell me about the sea, briefly please"}]
    plain = await api.call(CREATE, question, MODEL, 64)

    events, _ = await api.stream(CREATE, question, MODEL, 64)
    streamed = accumulate_message(events)

    assert streamed.content == plain.content
    assert streamed.stop_reason == plain.stop_reason
    assert streamed.usage == plain.usage
    assert streamed.model == plain.model
    assert len([e for e in events if isinstance(e, RawContentBlockDeltaEvent)]) > 1


async def test_tool_use_flow_with_tool_result_reply(api, emulator):
    """A scripted tool call comes back as tool_use; the tool_result reply continues the session."""
    emulator.script.tool_calls([{"name": "get_weather", "arguments": {"city": "London"}}])
    emulator.script.reply("It is sunny in London.")

    first = await api.call(
        CREATE, [{"role": "user", "content": "Weather?"}], MODEL, 64, tools=[WEATHER_TOOL]
    )

    assert first.stop_reason == "tool_use"
    (call,) = first.tool_uses
    assert (call.name, call.input) == ("get_weather", {"city": "London"})
    assert call.id.startswith("toolu_emu_")

    history = [
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": first.content},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "sunny"}],
        },
    ]
    second = await api.call(
        CREATE, history, MODEL, 64, tools=[WEATHER_TOOL], session_id=first.session_id
    )

    assert second.stop_reason == "end_turn"
    assert second.text == "It is sunny in London."
    assert second.session_id == first.session_id
    sent = emulator.requests[-1].json["messages"]
    assert sent[1]["content"] == [
        {"type": "tool_use", "id": call.id, "name": "get_weather", "input": {"city": "London"}}
    ]
    assert sent[2]["content"][0]["tool_use_id"] == call.id


async def test_streamed_tool_use_input_is_assembled_from_json_pieces(api, emulator):
    """A streamed tool call arrives as input_json_delta pieces that accumulate to the input."""
    emulator.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Paris"}}])

    events, _ = await api.stream(CREATE, HELLO, MODEL, 64, tools=[WEATHER_TOOL])
    message = accumulate_message(events)

    pieces = [e.delta for e in events if isinstance(e, RawContentBlockDeltaEvent)]
    assert {p.type for p in pieces} == {"input_json_delta"}
    assert len(pieces) >= 2
    assert message.stop_reason == "tool_use"
    assert message.content == [
        ToolUseBlock(id=message.tool_uses[0].id, name="get_weather", input={"city": "Paris"})
    ]


async def test_dual_llm_tool_call_uses_session_ids_and_returns_the_result(api, emulator):
    """In Dual-LLM mode tool_use ids carry the session and the final text is the result envelope."""
    emulator.script.tool_calls([{"name": "get_weather", "arguments": {"city": "London"}}])
    features = FeaturesHeader.dual_llm()

    first = await api.call(
        CREATE,
        [{"role": "user", "content": "Weather?"}],
        MODEL,
        64,
        tools=[WEATHER_TOOL],
        features=features,
    )
    (call,) = first.tool_uses
    history = [
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": first.content},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "rainy"}],
        },
    ]
    second = await api.call(CREATE, history, MODEL, 64, tools=[WEATHER_TOOL], features=features)

    assert call.id.startswith(f"tc-{first.session_id}-")
    assert second.session_id == first.session_id
    envelope = json.loads(second.text)
    assert envelope["status"] == "success"
    assert envelope["final_return_value"]["value"] == "rainy"


async def test_in_band_error_event_is_raised_typed(api, emulator):
    """An `error` event inside the stream raises a stream error with the server's message."""
    emulator.faults.next_n(1).stream_error("overloaded upstream", after_events=2)

    with pytest.raises(SequrityStreamError) as info:
        await api.stream(CREATE, HELLO, MODEL, 64)

    assert "overloaded upstream" in str(info.value)


async def test_stream_cut_before_message_stop_is_a_stream_error(api, emulator):
    """A stream that ends before message_stop raises instead of looking complete."""
    emulator.faults.next_n(1).truncate_stream(after_events=3)

    with pytest.raises(SequrityStreamError):
        await api.stream(CREATE, HELLO, MODEL, 64)


async def test_session_handle_continues_its_session(client, emulator):
    """Calls through a session handle share one session id."""
    conversation = client.control.session()

    first = await conversation.messages.create(HELLO, MODEL, 16)
    await conversation.messages.create(HELLO, MODEL, 16)

    assert conversation.id == first.session_id
    assert emulator.requests[-1].headers["X-Session-ID"] == first.session_id


# -- the decoder on a hand-made stream (events the emulator never sends) -------------------------


class _FakeResponse:
    """A `StreamingResponse` replaying fixed bytes."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self.status = 200
        self.headers: Mapping[str, str] = {"X-Session-ID": "s-1"}
        self.url = "http://test/control/chat/v1/messages"

    async def iter_chunks(self) -> AsyncIterator[bytes]:
        yield self._body

    async def read(self) -> bytes:
        return self._body

    async def aclose(self) -> None:
        return None


def _sse(*events: tuple[str, dict[str, Any]]) -> bytes:
    return b"".join(
        f"event: {name}\ndata: {json.dumps(data)}\n\n".encode() for name, data in events
    )


_START = {
    "type": "message_start",
    "message": {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [],
        "usage": {"input_tokens": 1, "output_tokens": 1},
    },
}


def _stream(body: bytes) -> AsyncStream[Any]:
    return AsyncStream(
        _FakeResponse(body),
        decode_message_event,
        session_id="s-1",
        request_id=None,
        require_done=True,
    )


async def test_ping_and_unknown_events_are_tolerated():
    """`ping` and unknown events arrive as `UnknownStreamEvent`; the stream still completes."""
    body = _sse(
        ("message_start", _START),
        ("ping", {"type": "ping"}),
        ("future_thing", {"type": "future_thing", "x": 1}),
        ("message_stop", {"type": "message_stop"}),
    )

    events = [e async for e in _stream(body)]

    assert events[1] == UnknownStreamEvent(type="ping")
    assert events[2] == UnknownStreamEvent(type="future_thing", extra={"x": 1})
    assert isinstance(events[-1], RawMessageStopEvent)


async def test_event_name_is_used_when_the_payload_has_no_type():
    """A payload without `type` takes its SSE `event:` name."""
    body = _sse(("message_start", _START), ("message_stop", {}))

    events = [e async for e in _stream(body)]

    assert isinstance(events[-1], RawMessageStopEvent)


async def test_anthropic_error_event_raises_with_its_message():
    """Anthropic's `error` event raises `SequrityStreamError` carrying its message."""
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    body = _sse(("message_start", _START), ("error", error))

    with pytest.raises(SequrityStreamError, match="Overloaded") as info:
        _ = [e async for e in _stream(body)]

    assert info.value.events_received == 1


async def test_decoder_marks_the_stream_done_on_message_stop():
    """`message_stop` is the terminator: bytes after it are not read as events."""
    body = _sse(("message_stop", {"type": "message_stop"}), ("ping", {"type": "ping"}))
    stream = _stream(body)

    events = [e async for e in stream]

    assert events == [RawMessageStopEvent()]
    assert stream.closed


def test_decode_refuses_non_object_payloads():
    """A payload of an unnamed event that is not a JSON object is refused by the decoder."""
    with pytest.raises(ValueError, match="JSON object"):
        decode_message_event(_stream(b""), ServerSentEvent(data="[1]"))


def test_decode_skips_a_named_event_without_an_object_and_keeps_it():
    """A named event whose data is not a JSON object is skipped and kept for the curious."""
    stream = _stream(b"")
    event = ServerSentEvent(event="x", data="[1]")

    assert decode_message_event(stream, event) is None
    assert stream.unknown_events == [event]
