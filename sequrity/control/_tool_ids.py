"""
Dual-LLM tool-call ids, ``tc-<session uuid>-<call uuid>``, and the session id they carry.
"""

from __future__ import annotations

import re

from sequrity._exceptions import SequrityValidationError

__all__ = ["make_tool_call_id", "session_id_from_tool_call_id"]

_PREFIX = "tc-"
_UUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
_SESSION_ID = re.compile(_UUID)
# The prefix, the 36-character session uuid and the dash that ends it; a non-empty call id follows.
_TOOL_CALL_ID_HEAD = re.compile(f"tc-{_UUID}-")
_HEAD_LENGTH = len(_PREFIX) + 36 + 1


def session_id_from_tool_call_id(tool_call_id: str) -> str | None:
    """
    Extract the session id from a dual-LLM tool-call id.

    The server finds the session of a follow-up request from these ids (``tool_call_id[3:39]``),
    so this is how a caller can tell which session a tool call belongs to.

    Args:
        tool_call_id: A tool-call id as received in an assistant message.

    Returns:
        The 36-character session uuid when the id has the shape ``tc-<uuid>-<call id>``, else
        `None` (for example for provider ids in single-LLM mode). Never raises, whatever it is
        given.

    Example:
        >>> session_id_from_tool_call_id(
        ...     "tc-9653dc47-fb18-11f0-b0ee-7d965b6bbd63-9aa3fb07-fb18-11f0-b66c-7d965b6bbd63"
        ... )
        '9653dc47-fb18-11f0-b0ee-7d965b6bbd63'
    """
    if (
        isinstance(tool_call_id, str)
        and len(tool_call_id) > _HEAD_LENGTH
        and _TOOL_CALL_ID_HEAD.match(tool_call_id) is not None
    ):
        return tool_call_id[len(_PREFIX) : _HEAD_LENGTH - 1]
    return None


def make_tool_call_id(session_id: str, call_id: str) -> str:
    """
    Build the dual-LLM tool-call id for one call in a session.

    Args:
        session_id: The session uuid, in its 36-character text form.
        call_id: The id of this call within the session (the server uses a uuid); not empty.

    Returns:
        ``tc-<session_id>-<call_id>``, from which `session_id_from_tool_call_id` gives back
        `session_id`.

    Raises:
        SequrityValidationError: `session_id` is not a 36-character uuid, or `call_id` is empty.
    """
    if not _SESSION_ID.fullmatch(session_id):
        raise SequrityValidationError(
            f"session_id must be a uuid such as '9653dc47-fb18-11f0-b0ee-7d965b6bbd63', "
            f"got {session_id!r}"
        )
    if not call_id:
        raise SequrityValidationError("call_id must not be empty")
    return f"{_PREFIX}{session_id}-{call_id}"
