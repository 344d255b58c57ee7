"""Tests for the Chat Completions wire models (`sequrity.types.chat_completion`) and their round trips."""

from __future__ import annotations

from typing import Any

import pytest

from sequrity import SequrityValidationError
from sequrity._converter import get_converter, structure_or_raise
from sequrity.types.chat_completion.request import (
    AssistantMessage,
    ChatCompletionRequest,
    ContentPartImage,
    ContentPartText,
    DeveloperMessage,
    FunctionDefinition,
    FunctionMessage,
    FunctionTool,
    ImageUrl,
    JsonSchema,
    ResponseFormatJsonObject,
    ResponseFormatJsonSchema,
    SystemMessage,
    ToolCall,
    ToolCallFunction,
    ToolMessage,
    UserMessage,
)
from sequrity.types.chat_completion.response import (
    ChatCompletionResponse,
    Choice,
    CompletionUsage,
    ResponseMessage,
)
from sequrity.types.chat_completion.stream import ChatCompletionChunk, ChunkChoice, ChunkChoiceDelta

C = get_converter()


def request_of(messages: list[Any], **fields: Any) -> ChatCompletionRequest:
    """Structure a request (as the resource does) from messages and extra fields."""
    return structure_or_raise(
        {"messages": messages, "model": "m", **fields}, ChatCompletionRequest, "request"
    )  # type: ignore[no-any-return]


def wire(obj: object) -> Any:
    """The JSON-ready form of a model."""
    return C.unstructure(obj)


# -- request: messages -------------------------------------------------------------------------

ALL_ROLES_AS_DICTS = [
    {"role": "developer", "content": "be terse"},
    {"role": "system", "content": [{"type": "text", "text": "sys"}]},
    {"role": "user", "content": "hi", "name": "ann"},
    {
        "role": "assistant",
        "tool_calls": [
            {"id": "tc-1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        ],
    },
    {"role": "tool", "content": "42", "tool_call_id": "tc-1"},
    {"role": "function", "content": None, "name": "f"},
]


def test_every_role_given_as_dicts_structures_to_its_class() -> None:
    """Each role becomes its message class."""
    request = request_of(ALL_ROLES_AS_DICTS)

    assert [type(m) for m in request.messages] == [
        DeveloperMessage,
        SystemMessage,
        UserMessage,
        AssistantMessage,
        ToolMessage,
        FunctionMessage,
    ]


def test_message_dicts_go_back_out_unchanged() -> None:
    """Message dicts are sent exactly as given, including the required `content: null` of a function message."""
    assert wire(request_of(ALL_ROLES_AS_DICTS))["messages"] == ALL_ROLES_AS_DICTS


def test_optional_none_message_keys_are_omitted() -> None:
    """An optional key given as None (`name: null`) is left out of the JSON."""
    assert wire(request_of([{"role": "user", "content": "hi", "name": None}]))["messages"] == [
        {"content": "hi", "role": "user"}
    ]


def test_typed_messages_are_accepted() -> None:
    """Typed message objects are used as they are."""
    typed = [
        SystemMessage(content="sys"),
        UserMessage(
            content=[
                ContentPartText(text="look"),
                ContentPartImage(image_url=ImageUrl(url="https://i")),
            ]
        ),
        AssistantMessage(
            tool_calls=[ToolCall(id="tc-1", function=ToolCallFunction(name="f", arguments="{}"))]
        ),
        ToolMessage(content="42", tool_call_id="tc-1"),
    ]

    assert request_of(typed).messages == typed


def test_typed_and_dict_messages_can_be_mixed() -> None:
    """A history mixing dicts and typed objects produces one consistent JSON list."""
    request = request_of([SystemMessage(content="sys"), {"role": "user", "content": "hi"}])

    assert wire(request)["messages"] == [
        {"content": "sys", "role": "system"},
        {"content": "hi", "role": "user"},
    ]


def test_unknown_keys_in_message_dicts_are_sent() -> None:
    """An unknown message key (e.g. `cache_control`) is kept and sent, not dropped."""
    msg = {"role": "user", "content": "hi", "cache_control": {"type": "ephemeral"}}

    assert wire(request_of([msg]))["messages"] == [msg]


def test_unknown_keys_in_typed_message_extra_are_sent() -> None:
    """`extra=` on a typed message adds keys to its JSON."""
    msg = UserMessage(content="hi", extra={"x_trace": 1})

    assert wire(msg) == {"content": "hi", "role": "user", "x_trace": 1}


def test_unknown_role_lists_allowed_roles_and_path() -> None:
    """An unknown role fails, listing the roles and naming the message's index."""
    with pytest.raises(SequrityValidationError) as info:
        request_of([{"role": "user", "content": "a"}, {"role": "bot", "content": "b"}])

    assert info.value.errors == [
        "unknown role 'bot'; expected one of 'developer', 'system', 'user', 'assistant', 'tool', "
        "'function' @ request.messages[1]"
    ]


def test_missing_role_lists_allowed_roles() -> None:
    """A message without a role fails, listing the roles."""
    with pytest.raises(SequrityValidationError) as info:
        request_of([{"content": "a"}])

    assert info.value.errors == [
        "missing 'role'; expected one of 'developer', 'system', 'user', 'assistant', 'tool', "
        "'function' @ request.messages[0]"
    ]


def test_unknown_content_part_type_lists_allowed_types_and_path() -> None:
    """An unknown content-part type fails, listing the part types with the full path."""
    with pytest.raises(SequrityValidationError) as info:
        request_of(
            [
                {
                    "role": "user",
                    "content": [{"type": "text", "text": "a"}, {"type": "video", "url": "v"}],
                }
            ]
        )

    assert info.value.errors == [
        "unknown type 'video'; expected one of 'text', 'image_url', 'input_audio', 'file', 'refusal' "
        "@ request.messages[0].content[1]"
    ]


def test_tool_message_without_call_id_is_refused() -> None:
    """A tool message needs `tool_call_id`; the error says which field is missing."""
    with pytest.raises(SequrityValidationError) as info:
        request_of([{"role": "tool", "content": "x"}])

    assert info.value.errors == ["required field missing @ request.messages[0].tool_call_id"]


def test_message_content_of_wrong_type_is_refused() -> None:
    """A number as content is refused, naming the content path."""
    with pytest.raises(SequrityValidationError) as info:
        request_of([{"role": "user", "content": 3}])

    assert info.value.errors == [
        "expected a string or a list, got int @ request.messages[0].content"
    ]


def test_reasoning_effort_outside_the_allowed_values_is_refused() -> None:
    """`reasoning_effort` is a closed set; an unknown value lists the allowed ones."""
    with pytest.raises(SequrityValidationError) as info:
        request_of([{"role": "user", "content": "x"}], reasoning_effort="max")

    assert info.value.errors == [
        "expected one of 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', got 'max' @ request.reasoning_effort"
    ]


# -- request: tools and response formats -------------------------------------------------------

TOOL_DICT = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "d",
        "parameters": {"type": "object"},
        "strict": True,
    },
}


def test_tool_dict_and_typed_tool_give_the_same_json() -> None:
    """A tool given as a dict and as FunctionTool serialise identically."""
    typed = FunctionTool(
        function=FunctionDefinition(
            name="get_weather", description="d", parameters={"type": "object"}, strict=True
        )
    )

    assert wire(request_of([{"role": "user", "content": "x"}], tools=[typed]))["tools"] == [
        TOOL_DICT
    ]
    assert wire(request_of([{"role": "user", "content": "x"}], tools=[TOOL_DICT]))["tools"] == [
        TOOL_DICT
    ]


def test_response_format_dict_sends_schema_key() -> None:
    """A json_schema response format dict goes out with `schema` (not `schema_`)."""
    fmt = {
        "type": "json_schema",
        "json_schema": {"name": "r", "schema": {"type": "object"}, "strict": True},
    }

    assert (
        wire(request_of([{"role": "user", "content": "x"}], response_format=fmt))["response_format"]
        == fmt
    )


def test_typed_response_format_is_accepted() -> None:
    """A typed response format serialises to its JSON form."""
    request = request_of(
        [{"role": "user", "content": "x"}], response_format=ResponseFormatJsonObject()
    )

    assert wire(request)["response_format"] == {"type": "json_object"}


def test_unknown_response_format_type_lists_allowed() -> None:
    """An unknown response-format type lists text, json_object, json_schema."""
    with pytest.raises(SequrityValidationError) as info:
        request_of([{"role": "user", "content": "x"}], response_format={"type": "xml"})

    assert info.value.errors == [
        "unknown type 'xml'; expected one of 'text', 'json_object', 'json_schema' @ request.response_format"
    ]


def test_unknown_keys_in_json_schema_dict_are_not_dropped() -> None:
    """An unknown key inside `response_format.json_schema` is sent back, never silently lost."""
    fmt = {"type": "json_schema", "json_schema": {"name": "r", "schema": {}, "x_vendor": 1}}

    assert (
        wire(request_of([{"role": "user", "content": "x"}], response_format=fmt))["response_format"]
        == fmt
    )


@pytest.mark.parametrize("kind", ["text", "json_object"])
def test_response_format_dicts_structure_by_type(kind: str) -> None:
    """`{"type": "text"}` and `{"type": "json_object"}` dicts are accepted and sent back unchanged."""
    request = request_of([{"role": "user", "content": "x"}], response_format={"type": kind})

    assert wire(request)["response_format"] == {"type": kind}


def test_typed_json_schema_round_trips() -> None:
    """A typed JSON schema format structures back from its own JSON."""
    fmt = ResponseFormatJsonSchema(
        json_schema=JsonSchema(name="r", description="d", schema_={"type": "object"})
    )

    assert C.structure(wire(fmt), ResponseFormatJsonSchema) == fmt


# -- response ----------------------------------------------------------------------------------

RESPONSE = {
    "id": "7f4f6398-f72d-11f0-b822-0f87f79310f1",
    "object": "chat.completion",
    "created": 1769000000,
    "model": "openai/gpt-5-mini",
    "choices": [
        {
            "index": 0,
            "finish_reason": "tool_calls",
            "message": {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "tc-abc-1",
                        "type": "function",
                        "function": {"name": "f", "arguments": '{"x": 1}'},
                    }
                ],
            },
        }
    ],
    "usage": {"completion_tokens": 5, "prompt_tokens": 7, "total_tokens": 12},
    "provider": "OpenAI",
}


def test_response_structures_with_typed_parts() -> None:
    """A realistic response becomes typed objects with the tool call reachable."""
    response = C.structure(RESPONSE, ChatCompletionResponse)

    assert (
        response.choices[0].finish_reason,
        response.choices[0].message.tool_calls[0].function.arguments,  # type: ignore[index]
        response.usage,
        response.extra,
    ) == (
        "tool_calls",
        '{"x": 1}',
        CompletionUsage(completion_tokens=5, prompt_tokens=7, total_tokens=12),
        {"provider": "OpenAI"},
    )


def test_response_content_is_the_first_choice_text() -> None:
    """`response.content` is the first choice's message content."""
    data = {
        **RESPONSE,
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}
        ],
    }

    assert C.structure(data, ChatCompletionResponse).content == "hi"


def test_response_content_without_choices_is_none() -> None:
    """A response with no choices has no content (instead of raising IndexError)."""
    assert C.structure({**RESPONSE, "choices": []}, ChatCompletionResponse).content is None


def test_response_session_and_request_ids_default_to_none() -> None:
    """Without injected headers, session_id and request_id are None."""
    response = C.structure(RESPONSE, ChatCompletionResponse)

    assert (response.session_id, response.request_id) == (None, None)


def test_error_finish_reason_is_accepted() -> None:
    """OpenRouter's `finish_reason: "error"` parses (it is an open string)."""
    choice = C.structure(
        {"index": 0, "finish_reason": "error", "message": {"role": "assistant"}}, Choice
    )

    assert choice.finish_reason == "error"


def test_response_message_refuses_a_non_assistant_role() -> None:
    """A response message role must be `assistant`."""
    with pytest.raises(SequrityValidationError) as info:
        structure_or_raise({"role": "tool"}, ResponseMessage, "message")

    assert info.value.errors == ["expected one of 'assistant', got 'tool' @ message.role"]


def test_response_refuses_string_token_counts() -> None:
    """Usage counts must be integers; a string is refused, not converted."""
    with pytest.raises(SequrityValidationError) as info:
        structure_or_raise(
            {"completion_tokens": "5", "prompt_tokens": 1, "total_tokens": 6},
            CompletionUsage,
            "usage",
        )

    assert info.value.errors == ["expected an integer, got str @ usage.completion_tokens"]


# -- stream chunks -----------------------------------------------------------------------------


def test_chunk_without_delta_gets_an_empty_delta() -> None:
    """A chunk choice with no `delta` key has an empty delta object."""
    chunk = C.structure(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0}],
        },
        ChatCompletionChunk,
    )

    assert chunk.choices == [ChunkChoice(index=0, delta=ChunkChoiceDelta())]


def test_chunk_with_error_finish_reason_is_accepted() -> None:
    """`finish_reason: "error"` in a stream chunk parses instead of breaking the stream."""
    data = {
        "id": "c",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {}, "finish_reason": "error"}],
    }

    assert C.structure(data, ChatCompletionChunk).choices[0].finish_reason == "error"


def test_chunk_keeps_reasoning_content_and_unknown_delta_keys() -> None:
    """Provider extensions in the delta are kept: reasoning_content typed, others in extra."""
    data = {
        "id": "c",
        "created": 1,
        "model": "m",
        "choices": [
            {"index": 0, "delta": {"reasoning_content": "think", "reasoning_details": [1]}}
        ],
    }

    delta = C.structure(data, ChatCompletionChunk).choices[0].delta

    assert (delta.reasoning_content, delta.extra) == ("think", {"reasoning_details": [1]})
