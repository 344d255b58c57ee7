"""Tests for `sequrity.integrations._responses_unwrap`: envelopes in Responses answers and streams."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sequrity.control import PolicyViolationError
from sequrity.integrations._responses_unwrap import StreamUnwrapper, unwrap_response

ANSWER = json.dumps({"status": "success", "final_return_value": {"value": "Sunny"}})
DENIED = json.dumps(
    {"status": "failure", "error": {"code": "PolicyViolation", "message": "send is denied"}}
)


def message(text: str) -> dict[str, Any]:
    """A `message` output item with one `output_text` part."""
    return {
        "type": "message",
        "id": "msg_1",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def test_a_response_gets_the_value_in_its_message_and_output_text() -> None:
    """Each message part and `output_text` carry the unwrapped value; other items are kept."""
    call = {"type": "function_call", "call_id": "tc-1", "name": "f", "arguments": "{}"}
    response = {"id": "resp_1", "output": [call, message(ANSWER)], "output_text": ANSWER}

    unwrapped = unwrap_response(response, "s")

    assert (
        unwrapped["output"][0],
        unwrapped["output"][1]["content"][0]["text"],
        unwrapped["output_text"],
    ) == (call, "Sunny", "Sunny")


def test_a_failed_response_raises() -> None:
    """A failure envelope in the message raises `PolicyViolationError` with the session."""
    with pytest.raises(PolicyViolationError) as caught:
        unwrap_response({"status": "failed", "output": [message(DENIED)]}, "s-9")

    assert caught.value.session_id == "s-9"


def text_events(text: str, pieces: int = 3) -> list[dict[str, Any]]:
    """The text events of one message part, its deltas cut in `pieces`."""
    head = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    size = max(1, len(text) // pieces + 1)
    deltas = [
        {**head, "type": "response.output_text.delta", "delta": text[i : i + size]}
        for i in range(0, len(text), size)
    ]
    return [*deltas, {**head, "type": "response.output_text.done", "text": text}]


def run(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All events the unwrapper passes on."""
    unwrapper = StreamUnwrapper("s")
    return [out for event in events for out in unwrapper.process(event)]


def test_a_streamed_envelope_becomes_one_delta_with_the_value() -> None:
    """Envelope deltas are held back; the value goes out as one delta before `done`."""
    out = run(text_events(ANSWER))

    assert [(e["type"], e.get("delta", e.get("text"))) for e in out] == [
        ("response.output_text.delta", "Sunny"),
        ("response.output_text.done", "Sunny"),
    ]


def test_plain_streamed_text_is_passed_on_as_it_comes() -> None:
    """Ordinary text deltas go out unchanged, one for one."""
    events = text_events("It is sunny today", pieces=3)

    assert run(events) == events


def test_later_events_repeat_the_unwrapped_text() -> None:
    """`content_part.done`, `output_item.done` and `response.completed` carry the value."""
    part = {"type": "output_text", "text": ANSWER, "annotations": []}
    later = [
        {"type": "response.content_part.done", "item_id": "msg_1", "part": part},
        {"type": "response.output_item.done", "item": message(ANSWER)},
        {"type": "response.completed", "response": {"output": [message(ANSWER)]}},
        {"type": "response.in_progress", "response": {"output": []}},
    ]

    out = run(later)

    assert (
        out[0]["part"]["text"],
        out[1]["item"]["content"][0]["text"],
        out[2]["response"]["output"][0]["content"][0]["text"],
        out[3],
    ) == ("Sunny", "Sunny", "Sunny", later[3])


def test_a_streamed_denial_raises_at_the_end_of_its_text() -> None:
    """The failure envelope raises at `output_text.done`, before any of its text was shown."""
    unwrapper = StreamUnwrapper("s")
    *deltas, done = text_events(DENIED)
    shown = [out for event in deltas for out in unwrapper.process(event)]

    with pytest.raises(PolicyViolationError):
        unwrapper.process(done)
    assert shown == []
