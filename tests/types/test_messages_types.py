"""Tests for the Anthropic Messages wire models (`sequrity.types.messages`) and the stream accumulator."""

from __future__ import annotations

from typing import Any

import pytest
from _budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sequrity import SequrityStreamError, SequrityValidationError
from sequrity._converter import get_converter, structure_or_raise
from sequrity.types.messages import MessageAccumulator, accumulate_message
from sequrity.types.messages.request import (
    AnthropicMessageRequest,
    ThinkingBlockParam,
    ToolParam,
    ToolUseBlockParam,
    UnknownBlockParam,
)
from sequrity.types.messages.response import (
    AnthropicMessageResponse,
    RedactedThinkingBlock,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
    UnknownContentBlock,
)
from sequrity.types.messages.stream import (
    AnthropicStreamEvent,
    RawContentBlockStartEvent,
    UnknownDelta,
    UnknownStreamEvent,
)

C = get_converter()


def request_of(**fields: Any) -> AnthropicMessageRequest:
    """Structure a request (as the resource does) from its fields."""
    base: dict[str, Any] = {"messages": [{"role": "user", "content": "hi"}], "model": "m"}
    return structure_or_raise({**base, "max_tokens": 16, **fields}, AnthropicMessageRequest, "r")  # type: ignore[no-any-return]


def event_of(data: dict[str, Any]) -> Any:
    """Structure one stream event."""
    hook: Any = AnthropicStreamEvent
    return C.structure(data, hook)


# -- requests ----------------------------------------------------------------------------------


FULL_REQUEST: dict[str, Any] = {
    "messages": [
        {
            "role": "user",
            "content": [{"type": "text", "text": "hi", "cache_control": {"type": "ephemeral"}}],
        },
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "hmm", "signature": "sig=="},
                {"type": "redacted_thinking", "data": "opaque"},
                {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1}},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": "ok",
                    "is_error": False,
                },
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"},
                },
                {"type": "document", "source": {"type": "url", "url": "https://x/a.pdf"}},
            ],
        },
    ],
    "model": "claude-sonnet-4-5-20250929",
    "max_tokens": 1024,
    "system": [{"type": "text", "text": "be brief"}],
    "temperature": 0.2,
    "top_k": 5,
    "tools": [
        {"name": "f", "input_schema": {"type": "object", "properties": {"a": {"type": "integer"}}}},
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 2},
    ],
    "tool_choice": {"type": "tool", "name": "f"},
    "thinking": {"type": "enabled", "budget_tokens": 2048},
    "reasoning_effort": "high",
    "stop_sequences": ["END"],
    "stream": False,
    "output_config": {"format": {"type": "json_schema", "schema": {"type": "object"}}},
    "metadata": {"user_id": "u1"},
    "service_tier": "auto",
}


def test_full_request_round_trips_exactly():
    """Every documented request field, given as JSON, comes back out unchanged."""
    request = structure_or_raise(FULL_REQUEST, AnthropicMessageRequest, "request")

    assert C.unstructure(request) == FULL_REQUEST


def test_thinking_param_has_thinking_and_signature():
    """Replayed thinking uses Anthropic's real shape: `thinking` and `signature`, not `text`."""
    request = request_of(messages=FULL_REQUEST["messages"])

    block = request.messages[1].content[0]
    assert block == ThinkingBlockParam(thinking="hmm", signature="sig==")


def test_output_schema_goes_out_as_schema_not_schema_underscore():
    """The structured-output schema is sent under `schema` (the official SDK sent `schema_`)."""
    request = request_of(output_config={"format": {"type": "json_schema", "schema": {"x": 1}}})

    assert C.unstructure(request)["output_config"] == {
        "format": {"schema": {"x": 1}, "type": "json_schema"}
    }


def test_unknown_keys_and_block_types_are_kept_and_sent_back():
    """Unknown fields and unknown content-block types in dicts are sent unchanged, not dropped."""
    messages = [
        {"role": "user", "content": "hi", "x-trace": 1},
        {"role": "assistant", "content": [{"type": "server_tool_use", "id": "s1", "name": "web"}]},
    ]

    request = request_of(messages=messages, new_param=True)

    assert request.messages[1].content[0] == UnknownBlockParam(
        type="server_tool_use", extra={"id": "s1", "name": "web"}
    )
    wire = C.unstructure(request)
    assert wire["messages"] == messages
    assert wire["new_param"] is True


def test_server_tool_dicts_pass_through_and_client_tools_are_typed():
    """A dict with its own tool `type` is sent as is; a client tool becomes a `ToolParam`."""
    request = request_of(tools=FULL_REQUEST["tools"])

    assert isinstance(request.tools[0], ToolParam)
    assert request.tools[1] == {"type": "web_search_20250305", "name": "web_search", "max_uses": 2}


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"tools": [{"name": "f"}]}, "r.tools[0].input_schema"),
        ({"max_tokens": "many"}, "r.max_tokens"),
        ({"messages": [{"role": "system", "content": "x"}]}, "r.messages[0].role"),
        ({"tool_choice": {"type": "sometimes"}}, "r.tool_choice"),
        (
            {"messages": [{"role": "user", "content": [{"type": "thinking", "thinking": "x"}]}]},
            "signature",
        ),
    ],
)
def test_invalid_requests_are_refused_naming_the_field(fields, where):
    """A request that breaks a declared field raises a validation error naming it."""
    with pytest.raises(SequrityValidationError) as info:
        request_of(**fields)

    assert where in str(info.value)


def test_response_blocks_can_be_replayed_as_request_content():
    """An answer's `content` (response block objects) is accepted as the next assistant message."""
    answer = [TextBlock(text="calling"), ToolUseBlock(id="toolu_1", name="f", input={"a": 1})]

    request = request_of(
        messages=[{"role": "user", "content": "q"}, {"role": "assistant", "content": answer}]
    )

    assert request.messages[1].content[1] == ToolUseBlockParam(
        id="toolu_1", name="f", input={"a": 1}
    )


# -- responses ---------------------------------------------------------------------------------


RESPONSE: dict[str, Any] = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [
        {"type": "thinking", "thinking": "Let me think", "signature": "EqQBCg=="},
        {"type": "redacted_thinking", "data": "EmwKAhgB"},
        {"type": "text", "text": "Hi", "citations": [{"type": "char_location", "cited_text": "x"}]},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
        {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {"q": "x"}},
        {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": []},
        {"type": "container_upload", "file_id": "f1"},
    ],
    "stop_reason": "tool_use",
    "usage": {
        "input_tokens": 10,
        "output_tokens": 5,
        "cache_read_input_tokens": 0,
        "cache_creation": {"ephemeral_5m_input_tokens": 0},
        "server_tool_use": {"web_search_requests": 1},
        "service_tier": "standard",
    },
    "container": None,
}


def test_response_with_every_block_type_round_trips():
    """Thinking (with signature), redacted thinking, tools, server tools and unknown blocks are kept."""
    response = C.structure(RESPONSE, AnthropicMessageResponse)

    kinds = [type(b) for b in response.content]
    assert kinds[:2] == [ThinkingBlock, RedactedThinkingBlock]
    assert response.content[0] == ThinkingBlock(thinking="Let me think", signature="EqQBCg==")
    assert response.content[-1] == UnknownContentBlock(
        type="container_upload", extra={"file_id": "f1"}
    )
    assert response.text == "Hi"
    assert [t.name for t in response.tool_uses] == ["get_weather"]
    assert C.unstructure(response) == RESPONSE


_text = st.text(max_size=20)
_block = st.one_of(
    st.builds(lambda t: {"type": "text", "text": t}, _text),
    st.builds(lambda t, s: {"type": "thinking", "thinking": t, "signature": s}, _text, _text),
    st.builds(lambda d: {"type": "redacted_thinking", "data": d}, _text),
    st.builds(
        lambda i, n, v: {"type": "tool_use", "id": i, "name": n, "input": {"v": v}},
        _text,
        _text,
        st.integers(),
    ),
    st.builds(
        lambda k, v: {"type": "x_" + k, "value": v}, st.text("abc", min_size=1, max_size=5), _text
    ),
)
_response = st.fixed_dictionaries(
    {
        "id": _text,
        "type": st.just("message"),
        "role": st.just("assistant"),
        "model": _text,
        "content": st.lists(_block, max_size=5),
        "usage": st.fixed_dictionaries(
            {"input_tokens": st.integers(0, 10**6), "output_tokens": st.integers(0, 10**6)}
        ),
    },
    optional={"stop_reason": st.sampled_from(["end_turn", "tool_use", "refusal", "new_reason"])},
)


@settings(max_examples=examples(150))
@given(_response)
def test_any_response_round_trips(data):
    """Any response built from known and unknown blocks structures and unstructures to itself."""
    assert C.unstructure(C.structure(data, AnthropicMessageResponse)) == data


# -- stream events -----------------------------------------------------------------------------


def test_ping_and_future_events_are_delivered_as_unknown_events():
    """`ping` and event types newer than the SDK parse as `UnknownStreamEvent`, data kept."""
    assert event_of({"type": "ping"}) == UnknownStreamEvent(type="ping")
    assert event_of({"type": "message_pause", "why": "x"}) == UnknownStreamEvent(
        type="message_pause", extra={"why": "x"}
    )


def test_unknown_deltas_and_block_starts_are_kept():
    """Unknown delta and block types inside known events do not fail the event."""
    delta = event_of(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "mood_delta", "m": 1}}
    )
    start = event_of(
        {"type": "content_block_start", "index": 1, "content_block": {"type": "gizmo"}}
    )

    assert delta.delta == UnknownDelta(type="mood_delta", extra={"m": 1})
    assert isinstance(start, RawContentBlockStartEvent)
    assert start.content_block == UnknownContentBlock(type="gizmo")


def _stream_of(blocks: list[tuple[dict[str, Any], list[dict[str, Any]]]], stop: str) -> list[Any]:
    events: list[dict[str, Any]] = [
        {
            "type": "message_start",
            "message": {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "model": "m",
                "content": [],
                "usage": {"input_tokens": 7, "output_tokens": 1},
            },
        },
        {"type": "ping"},
    ]
    for index, (start, deltas) in enumerate(blocks):
        events.append({"type": "content_block_start", "index": index, "content_block": start})
        events += [{"type": "content_block_delta", "index": index, "delta": d} for d in deltas]
        events.append({"type": "content_block_stop", "index": index})
    events.append(
        {"type": "message_delta", "delta": {"stop_reason": stop}, "usage": {"output_tokens": 42}}
    )
    events.append({"type": "message_stop"})
    return [event_of(e) for e in events]


def test_accumulator_builds_thinking_text_and_tool_input():
    """Deltas join into thinking (with signature), text and tool input; stop reason and usage apply."""
    events = _stream_of(
        [
            (
                {"type": "thinking", "thinking": "", "signature": ""},
                [
                    {"type": "thinking_delta", "thinking": "Let me "},
                    {"type": "thinking_delta", "thinking": "see."},
                    {"type": "signature_delta", "signature": "sig=="},
                ],
            ),
            (
                {"type": "text", "text": ""},
                [{"type": "text_delta", "text": "Hel"}, {"type": "text_delta", "text": "lo"}],
            ),
            (
                {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}},
                [
                    {"type": "input_json_delta", "partial_json": ""},
                    {"type": "input_json_delta", "partial_json": '{"city": "Par'},
                    {"type": "input_json_delta", "partial_json": 'is"}'},
                ],
            ),
        ],
        "tool_use",
    )

    message = accumulate_message(events)

    assert message.content == [
        ThinkingBlock(thinking="Let me see.", signature="sig=="),
        TextBlock(text="Hello"),
        ToolUseBlock(id="toolu_1", name="f", input={"city": "Paris"}),
    ]
    assert message.stop_reason == "tool_use"
    assert (message.usage.input_tokens, message.usage.output_tokens) == (7, 42)


def test_accumulator_tracks_text_and_done_while_streaming():
    """`text` grows with the deltas and `done` turns true at `message_stop`."""
    events = _stream_of(
        [({"type": "text", "text": ""}, [{"type": "text_delta", "text": "a b"}])], "end_turn"
    )
    acc = MessageAccumulator(session_id="s-1")

    for event in events[:-1]:
        acc.add(event)

    assert acc.text == "a b"
    assert acc.done is False
    acc.add(events[-1])
    assert acc.done is True
    assert acc.message.session_id == "s-1"


def test_accumulator_refuses_content_before_message_start():
    """A block event before `message_start` is a stream error, not a silent loss."""
    events = _stream_of([({"type": "text", "text": ""}, [])], "end_turn")

    with pytest.raises(SequrityStreamError, match="message_start"):
        accumulate_message(events[2:])


def test_accumulator_reports_broken_tool_input_json():
    """Tool input pieces that do not join into a JSON object raise a stream error naming the call."""
    events = _stream_of(
        [
            (
                {"type": "tool_use", "id": "toolu_9", "name": "f"},
                [{"type": "input_json_delta", "partial_json": '{"a": '}],
            )
        ],
        "tool_use",
    )

    with pytest.raises(SequrityStreamError, match="toolu_9"):
        accumulate_message(events)
