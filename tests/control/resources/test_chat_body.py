"""Tests for the pure parts of the chat resource: `build_chat_body` and `decode_chat_chunk`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from sequrity import SequrityStreamError, SequrityValidationError
from sequrity._core._sse import ServerSentEvent
from sequrity.control.resources.chat import build_chat_body, decode_chat_chunk
from sequrity.types.chat_completion.request import (
    FunctionDefinition,
    FunctionTool,
    JsonSchema,
    ResponseFormatJsonSchema,
    SystemMessage,
    UserMessage,
)
from sequrity.types.chat_completion.stream import ChatCompletionChunk

USER = {"role": "user", "content": "What is 2+2?"}
NO_PARAMS: dict[str, Any] = {
    "temperature": None,
    "top_p": None,
    "tools": None,
    "stream": None,
    "seed": None,
    "reasoning_effort": None,
    "response_format": None,
    "tool_choice": None,
    "max_completion_tokens": None,
    "stop": None,
}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def body(
    messages: Any = (USER,),
    model: str = "openai/gpt-5-mini",
    extra_body: Mapping[str, Any] | None = None,
    **params: Any,
) -> Any:
    """Build a chat body and decode it back to JSON."""
    return json.loads(
        build_chat_body(
            messages if not isinstance(messages, tuple) else list(messages),
            model,
            {**NO_PARAMS, **params},
            extra_body,
        )
    )


def test_minimal_body_has_only_messages_and_model() -> None:
    """With every optional parameter None, only `messages` and `model` are sent."""
    assert body() == {"messages": [USER], "model": "openai/gpt-5-mini"}


def test_body_is_compact_utf8_json() -> None:
    """The body bytes are compact JSON with non-ASCII kept as UTF-8."""
    raw = build_chat_body([{"role": "user", "content": "héllo"}], "m", NO_PARAMS, None)

    assert json.loads(raw) == {"messages": [{"content": "héllo", "role": "user"}], "model": "m"}
    assert "héllo".encode() in raw
    assert b", " not in raw
    assert b": " not in raw


def test_given_parameters_become_body_keys() -> None:
    """Each non-None parameter appears under its OpenAI name."""
    result = body(
        temperature=0.2,
        top_p=0.9,
        stream=True,
        seed=7,
        reasoning_effort="low",
        tool_choice="auto",
        max_completion_tokens=100,
        stop=["\n\n"],
    )

    assert result == {
        "messages": [USER],
        "model": "openai/gpt-5-mini",
        "temperature": 0.2,
        "top_p": 0.9,
        "stream": True,
        "seed": 7,
        "reasoning_effort": "low",
        "tool_choice": "auto",
        "max_completion_tokens": 100,
        "stop": ["\n\n"],
    }


def test_stream_false_is_sent() -> None:
    """An explicit `stream=False` is sent (only None is dropped)."""
    assert body(stream=False)["stream"] is False


def test_dual_llm_model_pair_is_sent_verbatim() -> None:
    """A `planner,quarantined` model string goes out unchanged."""
    assert body(model="openai/gpt-5,openai/gpt-5-mini")["model"] == "openai/gpt-5,openai/gpt-5-mini"


def test_extra_body_adds_top_level_keys() -> None:
    """`extra_body` keys the SDK does not model are added to the body."""
    result = body(extra_body={"logprobs": True, "provider": {"order": ["openai"]}})

    assert (result["logprobs"], result["provider"]) == (True, {"order": ["openai"]})


def test_extra_body_wins_over_modelled_parameters() -> None:
    """An `extra_body` key replaces the value the SDK built for it."""
    assert body(temperature=0.5, extra_body={"temperature": 1.5})["temperature"] == 1.5


def test_extra_body_that_is_not_json_is_refused() -> None:
    """A NaN in extra_body is refused before anything is sent."""
    with pytest.raises(SequrityValidationError, match="cannot be sent as JSON"):
        body(extra_body={"x": float("nan")})


@pytest.mark.parametrize(
    ("messages", "params"),
    [
        ([{"role": [], "content": "hi"}], {}),
        ([{"role": "user", "content": "hi"}], {"reasoning_effort": ["high"]}),
    ],
)
def test_unhashable_role_or_effort_is_a_validation_error(
    messages: list[Any], params: dict[str, Any]
) -> None:
    """A list where a role or reasoning effort belongs is refused, never a TypeError."""
    with pytest.raises(SequrityValidationError):
        build_chat_body(messages, "m", params, None)


def test_empty_messages_are_refused() -> None:
    """An empty conversation is refused with a clear message."""
    with pytest.raises(SequrityValidationError) as info:
        build_chat_body([], "m", NO_PARAMS, None)

    assert str(info.value) == "messages must not be empty"


@pytest.mark.parametrize(
    "messages", ["Hello", b"Hello", {"role": "user", "content": "Hello"}, 42, None]
)
def test_messages_that_are_not_a_list_are_refused(messages: Any) -> None:
    """A bare string, bytes, a single dict or a non-iterable is refused, not iterated."""
    with pytest.raises(SequrityValidationError) as info:
        build_chat_body(messages, "m", NO_PARAMS, None)

    assert str(info.value) == "messages must be a list of messages (dicts or typed message objects)"


def test_messages_may_be_any_iterable() -> None:
    """A tuple or generator of messages is accepted."""
    raw = build_chat_body((m for m in [USER]), "m", NO_PARAMS, None)

    assert json.loads(raw)["messages"] == [USER]


def test_typed_and_dict_messages_are_mixed() -> None:
    """Typed message objects and dicts can be mixed in one conversation."""
    result = body(
        [SystemMessage(content="Be brief."), USER, UserMessage(content="again", name="ann")]
    )

    assert result["messages"] == [
        {"content": "Be brief.", "role": "system"},
        USER,
        {"content": "again", "name": "ann", "role": "user"},
    ]


def test_unknown_message_keys_are_sent() -> None:
    """Unknown keys of a message dict are sent, not silently dropped."""
    msg = {**USER, "cache_control": {"type": "ephemeral"}}

    assert body([msg])["messages"] == [msg]


def test_invalid_message_names_the_field() -> None:
    """A bad role is refused and the error names the path and the allowed roles."""
    with pytest.raises(SequrityValidationError) as info:
        build_chat_body([{"role": "human", "content": "x"}], "m", NO_PARAMS, None)

    assert info.value.errors == [
        "unknown role 'human'; expected one of 'developer', 'system', 'user', 'assistant', 'tool', "
        "'function' @ request.messages[0]"
    ]


def test_model_must_be_a_string() -> None:
    """A non-string model is refused, naming `request.model`."""
    with pytest.raises(SequrityValidationError) as info:
        build_chat_body([USER], 5, NO_PARAMS, None)  # type: ignore[arg-type]

    assert info.value.errors == ["expected a string, got int @ request.model"]


def test_invalid_temperature_type_is_refused() -> None:
    """A string temperature is refused, not converted."""
    with pytest.raises(SequrityValidationError) as info:
        body(temperature="0.5")

    assert info.value.errors == ["expected a number, got str @ request.temperature"]


def test_tools_as_dicts_are_sent() -> None:
    """Tool dicts are validated and sent unchanged."""
    assert body(tools=[WEATHER_TOOL])["tools"] == [WEATHER_TOOL]


def test_typed_tools_are_sent_like_dicts() -> None:
    """A FunctionTool object gives the same JSON as the equivalent dict."""
    typed = FunctionTool(
        function=FunctionDefinition(
            name="get_weather",
            description="Weather for a city",
            parameters={
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        )
    )

    assert body(tools=[typed])["tools"] == [WEATHER_TOOL]


def test_tool_with_a_wrong_type_is_refused() -> None:
    """Only function tools exist; another type is refused with the allowed value."""
    with pytest.raises(SequrityValidationError) as info:
        body(tools=[{**WEATHER_TOOL, "type": "retrieval"}])

    assert info.value.errors == [
        "expected one of 'function', got 'retrieval' @ request.tools[0].type"
    ]


def test_response_format_dict_goes_out_with_schema_key() -> None:
    """A json_schema response format dict is sent with `schema`, not `schema_`."""
    fmt = {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": True},
    }

    assert body(response_format=fmt)["response_format"] == fmt


def test_typed_response_format_goes_out_with_schema_key() -> None:
    """A typed ResponseFormatJsonSchema is sent with `schema`, like the dict form."""
    fmt = ResponseFormatJsonSchema(
        json_schema=JsonSchema(name="answer", schema_={"type": "object"}, strict=True)
    )

    assert body(response_format=fmt)["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": True},
    }


# -- decode_chat_chunk ---------------------------------------------------------------------------


class FakeStream:
    """The one method of AsyncStream that decode_chat_chunk uses."""

    def in_band_error(self, data: Mapping[str, Any], raw: str) -> SequrityStreamError:
        """Build the stream error the way AsyncStream does (message from `error.message`)."""
        err = data.get("error", data)
        message = err.get("message") if isinstance(err, Mapping) else str(err)
        return SequrityStreamError(
            f"the server reported an error in the stream: {message}", body=raw
        )


def decode(data: str) -> ChatCompletionChunk | None:
    """Decode one SSE data payload with the fake stream."""
    return decode_chat_chunk(FakeStream(), ServerSentEvent(data=data))  # type: ignore[arg-type]


def test_decodes_a_chunk() -> None:
    """A chunk event becomes a ChatCompletionChunk with its delta content."""
    chunk = decode(
        '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
        '"choices":[{"index":0,"delta":{"content":"Hel"}}]}'
    )

    assert chunk is not None
    assert (chunk.id, chunk.choices[0].delta.content) == ("c1", "Hel")


def test_in_band_error_event_raises_a_stream_error() -> None:
    """An `{"error": ...}` event raises SequrityStreamError with the server's message."""
    raw = '{"error":{"message":"upstream overloaded","code":503}}'

    with pytest.raises(SequrityStreamError) as info:
        decode(raw)

    assert (str(info.value), info.value.body) == (
        "[200] the server reported an error in the stream: upstream overloaded",
        raw,
    )


def test_error_key_next_to_choices_is_a_normal_chunk() -> None:
    """A chunk that has `choices` is decoded even if it also has an `error` key."""
    chunk = decode('{"id":"c","created":1,"model":"m","choices":[],"error":null}')

    assert chunk is not None
    assert chunk.extra == {"error": None}


def test_non_object_event_is_refused() -> None:
    """A JSON array event is not a chunk."""
    with pytest.raises(ValueError, match="expected a JSON object, got list"):
        decode("[1, 2]")


def test_non_json_event_is_refused() -> None:
    """Garbage data raises a JSON decoding error."""
    with pytest.raises(json.JSONDecodeError):
        decode("not json")
