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

_CHUNK_KEYS = frozenset({"id", "object", "created", "model", "choices", "system_fingerprint"})
_CHOICE_KEYS = frozenset({"index", "delta", "finish_reason"})
_DELTA_KEYS = frozenset({"role", "content"})
_OPT_STR = (str, type(None))


def fast_chunk(data: Any) -> ChatCompletionChunk | None:
    """
    Decode `data` (a parsed JSON value) when it is a plain text-delta chunk, else return `None`.
    """
    if type(data) is not dict or not _CHUNK_KEYS.issuperset(data):
        return None
    chunk_id = data.get("id")
    created = data.get("created")
    model = data.get("model")
    obj = data.get("object", "chat.completion.chunk")
    fingerprint = data.get("system_fingerprint")
    raw_choices = data.get("choices")
    if (
        type(chunk_id) is not str
        or type(created) is not int
        or type(model) is not str
        or type(obj) is not str
        or type(fingerprint) not in _OPT_STR
        or type(raw_choices) is not list
    ):
        return None
    choices = []
    for c in raw_choices:
        if type(c) is not dict or not _CHOICE_KEYS.issuperset(c):
            return None
        index = c.get("index")
        finish = c.get("finish_reason")
        d = c.get("delta", EMPTY)
        if type(index) is not int or type(finish) not in _OPT_STR:
            return None
        if d is EMPTY:
            delta = ChunkChoiceDelta()
        else:
            if type(d) is not dict or not _DELTA_KEYS.issuperset(d):
                return None
            role = d.get("role")
            content = d.get("content")
            if type(role) not in _OPT_STR or type(content) not in _OPT_STR:
                return None
            delta = ChunkChoiceDelta(role=role, content=content)
        choices.append(ChunkChoice(index=index, delta=delta, finish_reason=finish))
    return ChatCompletionChunk(
        id=chunk_id,
        choices=choices,
        created=created,
        model=model,
        object=obj,
        system_fingerprint=fingerprint,
    )
