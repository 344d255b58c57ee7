"""Tests for `sequrity.integrations._results`: envelopes to answers, held-back streams, sessions."""

from __future__ import annotations

import copy
import itertools
import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sequrity.control import PolicyViolationError
from sequrity.integrations._results import (
    EnvelopeBuffer,
    SessionSlot,
    envelope_of,
    session_from_headers,
    unwrap_text,
    value_text,
)


def envelope(value: object, status: str = "success", error: dict[str, str] | None = None) -> str:
    """The JSON text of a Dual-LLM result envelope."""
    data: dict[str, object] = {"status": status, "final_return_value": {"value": value}}
    if error is not None:
        data["error"] = error
    return json.dumps(data)


DENIED = envelope(
    None, "failure", {"code": "PolicyViolation", "message": "Tool call to 'x' is denied."}
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (envelope("Paris"), "Paris"),
        (envelope(4), "4"),
        (envelope({"a": [1, "é"]}), '{"a": [1, "é"]}'),
        (envelope(None), ""),
        ("  " + envelope("padded"), "padded"),
    ],
)
def test_a_success_envelope_becomes_the_text_of_its_value(text: str, expected: str) -> None:
    """Strings stay as they are, other values become JSON, `None` becomes empty text."""
    shown, found = unwrap_text(text, session_id=None)

    assert (shown, found is not None and found.is_success) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "plain answer",
        '{"answer": 42}',
        '{"status": "success"}',
        '{"status": "pending", "final_return_value": null}',
        "{not json",
        "",
        None,
    ],
)
def test_text_that_is_not_an_envelope_is_left_alone(text: str | None) -> None:
    """Plain text, other JSON objects and broken JSON are the answer as they are."""
    assert (unwrap_text(text, session_id=None), envelope_of(text)) == ((text, None), None)


def test_a_failure_envelope_raises_with_the_session() -> None:
    """A denial raises `PolicyViolationError` carrying the envelope and the session id."""
    with pytest.raises(PolicyViolationError, match="is denied") as caught:
        unwrap_text(DENIED, session_id="s-1")

    assert (caught.value.session_id, caught.value.code) == ("s-1", "PolicyViolation")


def test_value_text_of_a_list_is_json() -> None:
    """Lists are JSON text, not Python reprs."""
    assert value_text(["a", 1, None]) == '["a", 1, null]'


def feed_all(pieces: list[str]) -> tuple[str, str]:
    """Feed `pieces` through a fresh buffer: (text shown while streaming, text at the end)."""
    buffer = EnvelopeBuffer()
    shown = "".join(buffer.feed(piece) for piece in pieces)
    rest, _ = buffer.finish(session_id="s")
    return shown, rest


def test_plain_text_passes_through_as_it_streams() -> None:
    """Text that does not start with `{` is shown at once, delta by delta."""
    buffer = EnvelopeBuffer()

    assert [buffer.feed(p) for p in ["  ", "Hello", " world"]] == ["", "  Hello", " world"]


def test_an_envelope_is_held_back_then_given_unwrapped() -> None:
    """An envelope streamed in pieces shows nothing until the end, then only its value."""
    text = envelope("The answer is 97")

    assert feed_all([text[:5], text[5:20], text[20:]]) == ("", "The answer is 97")


def test_held_back_json_that_is_no_envelope_comes_out_unchanged() -> None:
    """JSON the model wrote itself is shown as it is, at the end."""
    assert feed_all(['{"a"', ": 1}"]) == ("", '{"a": 1}')


def test_a_streamed_denial_raises_at_the_end() -> None:
    """A failure envelope in a stream raises when the stream ends."""
    buffer = EnvelopeBuffer()
    buffer.feed(DENIED)

    with pytest.raises(PolicyViolationError):
        buffer.finish(session_id="s")


@given(
    text=st.one_of(
        st.text(max_size=40), st.text(max_size=20).map(envelope), st.integers().map(envelope)
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=80), max_size=6),
)
def test_any_split_of_a_text_shows_what_the_whole_text_shows(text: str, cuts: list[int]) -> None:
    """However a text is split into deltas, the shown text equals unwrapping the whole text."""
    bounds = sorted({0, len(text), *(c for c in cuts if c < len(text))})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]

    shown, rest = feed_all(pieces)

    assert shown + rest == (unwrap_text(text, session_id=None)[0] or "")


def test_the_session_header_is_found_in_any_case() -> None:
    """`x-session-id`, `X-Session-ID`... all name the session; blank values do not."""
    assert (
        session_from_headers({"x-session-id": " s-1 "}),
        session_from_headers({"X-SESSION-ID": "s-2", "Other": "x"}),
        session_from_headers({"X-Session-ID": "  "}),
        session_from_headers(None),
    ) == ("s-1", "s-2", None, None)


def test_the_first_session_wins_and_a_set_id_is_never_overwritten() -> None:
    """A slot takes an answer's session only if it still holds what the call sent."""
    slot = SessionSlot()
    slot.offer(None, "first")
    slot.offer(None, "second")  # a concurrent call that also started without a session
    after_race = slot.id
    slot.set("chosen")
    slot.offer("first", "late")  # a call that started before set() ends afterwards

    assert (after_race, slot.id) == ("first", "chosen")


def test_a_slot_pickles_and_copies_with_its_session() -> None:
    """Models holding a slot can be pickled and deep-copied; the copy holds the same session."""
    slot = SessionSlot("s-1")

    copies = [pickle.loads(pickle.dumps(slot)), copy.deepcopy(slot), copy.copy(slot)]

    assert [c.id for c in copies] == ["s-1", "s-1", "s-1"]
