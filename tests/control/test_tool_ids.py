"""Tests for dual-LLM tool-call ids in `sequrity.control._tool_ids`."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sequrity._exceptions import SequrityValidationError
from sequrity.control._tool_ids import make_tool_call_id, session_id_from_tool_call_id

SPEC_ID = "tc-9653dc47-fb18-11f0-b0ee-7d965b6bbd63-9aa3fb07-fb18-11f0-b66c-7d965b6bbd63"
SPEC_SESSION = "9653dc47-fb18-11f0-b0ee-7d965b6bbd63"


def test_extracts_the_session_from_the_spec_example() -> None:
    """The spec's example id yields the session uuid, without the tc- prefix."""
    assert session_id_from_tool_call_id(SPEC_ID) == SPEC_SESSION


def test_result_equals_the_servers_slice() -> None:
    """The session id is exactly the slice [3:39] the server uses."""
    assert session_id_from_tool_call_id(SPEC_ID) == SPEC_ID[3:39]


def test_accepts_upper_case_hex_and_any_call_id() -> None:
    """Upper-case hex digits and a call part that is not a uuid are accepted."""
    session = SPEC_SESSION.upper()

    assert session_id_from_tool_call_id(f"tc-{session}-call-7") == session


@pytest.mark.parametrize(
    "tool_call_id",
    [
        "",
        "tc-",
        "call_abc123",  # an OpenAI id from single-LLM mode
        "toolu_01A09q90qw90lq917835lq9",  # an Anthropic id
        f"tc-{SPEC_SESSION}",  # no call part
        f"tc-{SPEC_SESSION}-",  # empty call part
        f"tc-{SPEC_SESSION}x9aa3fb07",  # no dash after the session
        f"TC-{SPEC_SESSION}-9aa3fb07",  # wrong prefix case
        f"xx-{SPEC_SESSION}-9aa3fb07",
        f"tc-{SPEC_SESSION[:-1]}g-9aa3fb07",  # not hex
        f"tc-{SPEC_SESSION.replace('-', '_')}-9aa3fb07",  # wrong separators
        f" tc-{SPEC_SESSION}-9aa3fb07",  # leading space
    ],
)
def test_returns_none_for_other_shapes(tool_call_id: str) -> None:
    """Ids that do not have the tc-<uuid>-<call> shape carry no session."""
    assert session_id_from_tool_call_id(tool_call_id) is None


@pytest.mark.parametrize("value", [None, 42, b"tc-", ["tc-"]])
def test_returns_none_for_non_strings(value: object) -> None:
    """Values that are not strings give None instead of raising."""
    assert session_id_from_tool_call_id(value) is None  # type: ignore[arg-type]


def test_make_tool_call_id_builds_the_wire_form() -> None:
    """make_tool_call_id joins prefix, session and call id with dashes."""
    assert make_tool_call_id(SPEC_SESSION, "9aa3fb07-fb18-11f0-b66c-7d965b6bbd63") == SPEC_ID


@pytest.mark.parametrize(
    ("session_id", "call_id"),
    [("not-a-uuid", "c"), (SPEC_SESSION + "0", "c"), ("", "c"), (SPEC_SESSION, "")],
)
def test_make_tool_call_id_refuses_ids_that_would_not_round_trip(
    session_id: str, call_id: str
) -> None:
    """A session that is not a uuid, or an empty call id, is refused."""
    with pytest.raises(SequrityValidationError):
        make_tool_call_id(session_id, call_id)


@given(session=st.uuids(), call_id=st.text(min_size=1))
def test_made_ids_give_back_their_session(session: uuid.UUID, call_id: str) -> None:
    """Every id made from a uuid session and any call id yields that session again."""
    tool_call_id = make_tool_call_id(str(session), call_id)

    assert session_id_from_tool_call_id(tool_call_id) == str(session)


@given(text=st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    """Any string gives a 36-character session or None, never an exception."""
    result = session_id_from_tool_call_id(text)

    assert result is None or result == text[3:39]
