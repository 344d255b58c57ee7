"""
A shortcut decoder for the common chat-stream chunk (text deltas), the per-event hot path of every
chat stream. It builds exactly what the converter builds, and returns `None` for any other shape so
the caller falls back to the converter (which validates everything and explains failures).
"""

from __future__ import annotations

from typing import Any

from .._converter import EMPTY
from .chat_completion.stream import ChatCompletionChunk, ChunkChoice, ChunkChoiceDelta

__all__ = ["fast_chunk"]

_CHUNK_KEYS = frozenset(
    {"id", "object", "created", "model", "choices", "service_tier", "system_fingerprint", "usage"}
)
_CHOICE_KEYS = frozenset({"index", "delta", "finish_reason", "logprobs"})
_DELTA_KEYS = frozenset(
    {"role", "content", "refusal", "tool_calls", "function_call", "reasoning_content"}
)
_OPT_STR = (str, type(None))
_NO_DELTA = ChunkChoiceDelta()


def _unknown(data: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The keys of `data` its class does not declare: the converter keeps them in `extra`."""
    return {k: v for k, v in data.items() if k not in known}


def _delta(d: Any) -> ChunkChoiceDelta | None:
    if type(d) is not dict:
        return None
    if not d:
        return _NO_DELTA  # the last chunk's empty delta: immutable, so shared
    get = d.get
    role, content, refusal = get("role"), get("content"), get("refusal")
    reasoning, tool_calls = get("reasoning_content"), get("tool_calls")
    if (
        type(role) not in _OPT_STR
        or type(content) not in _OPT_STR
        or type(refusal) not in _OPT_STR
        or type(reasoning) not in _OPT_STR
        or get("function_call") is not None
    ):
        return None
    if tool_calls is not None and (type(tool_calls) is not list or tool_calls):
        return None
    if _DELTA_KEYS.issuperset(d):
        return ChunkChoiceDelta(
            role=role,
            content=content,
            refusal=refusal,
            tool_calls=tool_calls,
            reasoning_content=reasoning,
        )
    return ChunkChoiceDelta(
        role=role,
        content=content,
        refusal=refusal,
        tool_calls=tool_calls,
        reasoning_content=reasoning,
        extra=_unknown(d, _DELTA_KEYS),
    )


def _choice(c: Any) -> ChunkChoice | None:
    if type(c) is not dict or c.get("logprobs") is not None:
        return None
    index, finish, d = c.get("index"), c.get("finish_reason"), c.get("delta", EMPTY)
    if type(index) is not int or type(finish) not in _OPT_STR:
        return None
    delta = _NO_DELTA if d is EMPTY else _delta(d)
    if delta is None:
        return None
    if _CHOICE_KEYS.issuperset(c):
        return ChunkChoice(index=index, delta=delta, finish_reason=finish)
    return ChunkChoice(
        index=index, delta=delta, finish_reason=finish, extra=_unknown(c, _CHOICE_KEYS)
    )


def fast_chunk(data: Any) -> ChatCompletionChunk | None:
    """
    Decode `data` (a parsed JSON value) when it is a plain text-delta chunk, else return `None`.

    Optional parts sent as ``null`` (``logprobs``, ``usage``, ``refusal``...), an empty
    ``tool_calls`` and unknown keys (kept in ``extra``) are the common shapes of OpenAI-compatible
    providers and are taken here too.
    """
    if type(data) is not dict:
        return None
    get = data.get
    chunk_id, created, model = get("id"), get("created"), get("model")
    obj = get("object", "chat.completion.chunk")
    fingerprint, tier = get("system_fingerprint"), get("service_tier")
    raw_choices = get("choices")
    if (
        type(chunk_id) is not str
        or type(created) is not int
        or type(model) is not str
        or type(obj) is not str
        or type(fingerprint) not in _OPT_STR
        or type(tier) not in _OPT_STR
        or type(raw_choices) is not list
        or get("usage") is not None
    ):
        return None
    choices = []
    for c in raw_choices:
        choice = _choice(c)
        if choice is None:
            return None
        choices.append(choice)
    chunk = ChatCompletionChunk(
        id=chunk_id,
        choices=choices,
        created=created,
        model=model,
        object=obj,
        service_tier=tier,
        system_fingerprint=fingerprint,
    )
    if not _CHUNK_KEYS.issuperset(data):
        # Set after construction, as the converter does (the instances are frozen).
        object.__setattr__(chunk, "extra", _unknown(data, _CHUNK_KEYS))
    return chunk
