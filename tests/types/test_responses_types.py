"""Responses API models: round trips, unknown items and events kept, output_text, accumulation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sequrity._converter import get_converter, structure_fast
from sequrity.types.responses import (
    ComputerCallOutputParam,
    FunctionCallOutputParam,
    ImageGenerationCall,
    InputMessageParam,
    McpCall,
    McpToolParam,
    OpenAiResponseStreamEvent,
    ResponseAccumulator,
    ResponsesRequest,
    ResponsesResponse,
    ResponseTextDeltaEvent,
    UnknownItem,
    UnknownStreamEvent,
    WebSearchActionSearch,
    WebSearchToolCall,
    WebSearchToolParam,
)

RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1,
    "model": "m",
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
    "status": "completed",
    "output": [
        {"type": "reasoning", "id": "rs_1", "summary": []},
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "status": "completed",
            "content": [
                {"type": "output_text", "text": "Hello ", "annotations": []},
                {"type": "refusal", "refusal": "no"},
            ],
        },
        {"type": "hologram_call", "id": "hc_1", "status": "completed", "x": 1},
        {
            "type": "message",
            "id": "msg_2",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": "world", "annotations": []}],
        },
    ],
}


def test_request_items_are_typed_and_unknown_ones_kept():
    """Known input items become typed objects; other objects are kept whole."""
    data = {
        "model": "m",
        "input": [
            {"role": "user", "content": "hi"},
            {"type": "function_call_output", "call_id": "c1", "output": "ok"},
            {"type": "computer_call_output", "call_id": "c2", "output": {"x": 1}},
            {"type": "hologram_call_output", "call_id": "c3", "output": "ok"},
        ],
    }

    request = get_converter().structure(data, ResponsesRequest)

    assert isinstance(request.input[0], InputMessageParam)
    assert isinstance(request.input[1], FunctionCallOutputParam)
    assert request.input[2] == ComputerCallOutputParam(call_id="c2", output={"x": 1})
    assert request.input[3] == UnknownItem(
        type="hologram_call_output", extra={"call_id": "c3", "output": "ok"}
    )
    assert get_converter().unstructure(request) == data


def test_response_output_text_concatenates_every_message():
    """output_text joins every output_text part of every message item; unknown items are kept."""
    response = structure_fast(RESPONSE, ResponsesResponse)

    assert response.output_text == "Hello world"
    assert response.output[2] == UnknownItem(
        type="hologram_call", extra={"id": "hc_1", "status": "completed", "x": 1}
    )
    assert get_converter().unstructure(response)["output"] == RESPONSE["output"]


def test_unknown_stream_event_is_delivered_generically():
    """An event type the SDK does not model arrives as UnknownStreamEvent with every key."""
    data = {"type": "response.refusal.delta", "sequence_number": 4, "delta": "no"}

    event = structure_fast(data, OpenAiResponseStreamEvent)  # type: ignore[arg-type]

    assert event == UnknownStreamEvent(
        type="response.refusal.delta", sequence_number=4, extra={"delta": "no"}
    )


def test_accumulator_assembles_text_without_terminal_event():
    """Deltas alone are assembled into a response when no terminal event arrived."""
    acc = ResponseAccumulator()
    for n, piece in enumerate(["Hel", "lo"]):
        acc.add(
            ResponseTextDeltaEvent(
                sequence_number=n, item_id="m", output_index=0, content_index=0, delta=piece
            )
        )

    assert acc.output_text == "Hello"
    assert acc.response is not None
    assert acc.response.output_text == "Hello"
    assert not acc.finished


_text = st.text(max_size=20)
_item = st.one_of(
    st.builds(lambda t: {"role": "user", "content": t}, _text),
    st.builds(
        lambda c, o: {"type": "function_call_output", "call_id": c, "output": o}, _text, _text
    ),
    st.builds(
        lambda c, n, a: {"type": "function_call", "call_id": c, "name": n, "arguments": a},
        _text,
        _text,
        _text,
    ),
    st.builds(lambda i: {"id": i}, _text),
    st.builds(lambda k, v: {"type": "x_" + k, "v": v}, _text, st.integers()),
)


@given(st.lists(_item, min_size=1, max_size=5), st.one_of(st.none(), _text))
def test_request_round_trip(items, instructions):
    """Any mix of known and unknown input items survives structure then unstructure unchanged."""
    data = {"model": "m", "input": items}
    if instructions is not None:
        data["instructions"] = instructions

    converter = get_converter()

    assert converter.unstructure(converter.structure(data, ResponsesRequest)) == data


def test_builtin_tool_items_are_typed_and_round_trip():
    """Built-in tool output items become their classes and go back to the same JSON."""
    items = [
        {
            "type": "web_search_call",
            "id": "w",
            "status": "completed",
            "action": {"type": "search", "query": "q"},
        },
        {"type": "mcp_call", "id": "m", "arguments": "{}", "name": "n", "server_label": "s"},
        {"type": "image_generation_call", "id": "i", "status": "completed", "result": "aGk="},
    ]
    data = {**RESPONSE, "output": items}

    response = structure_fast(data, ResponsesResponse)

    assert [type(item) for item in response.output] == [
        WebSearchToolCall,
        McpCall,
        ImageGenerationCall,
    ]
    assert response.output[0].action == WebSearchActionSearch(query="q")
    assert get_converter().unstructure(response)["output"] == items


def test_builtin_item_that_does_not_fit_is_kept_whole():
    """A computer call with an unknown action falls back to UnknownItem, every key kept."""
    item = {
        "type": "computer_call",
        "id": "c",
        "call_id": "cc",
        "status": "completed",
        "action": {"type": "teleport"},
    }

    response = structure_fast({**RESPONSE, "output": [item]}, ResponsesResponse)

    assert response.output == [
        UnknownItem(type="computer_call", extra={k: v for k, v in item.items() if k != "type"})
    ]


def test_builtin_tools_are_typed_in_requests():
    """Built-in tools of a request become their classes; their unmodelled options stay in extra."""
    data = {
        "model": "m",
        "input": "hi",
        "tools": [
            {"type": "web_search", "filters": {"a": 1}},
            {"type": "mcp", "server_label": "s"},
        ],
    }

    request = get_converter().structure(data, ResponsesRequest)

    assert request.tools == [
        WebSearchToolParam(extra={"filters": {"a": 1}}),
        McpToolParam(server_label="s"),
    ]
    assert get_converter().unstructure(request) == data
