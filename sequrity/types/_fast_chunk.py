"""
A shortcut decoder for the common chat-stream chunk (text deltas), the per-event hot path of every
chat stream. It builds exactly what the converter builds, and returns `None` for any other shape so
the caller falls back to the converter (which validates everything and explains failures).
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from .._converter import EMPTY
from ._slots import OPT_STR as _OPT_STR
from ._slots import builder
from ._slots import new as _new
from ._slots import unknown_keys as _unknown
from .chat_completion.stream import ChatCompletionChunk, ChunkChoice, ChunkChoiceDelta

__all__ = ["fast_chunk", "fast_chunks"]

_CHUNK_KEYS = frozenset(
    {"id", "object", "created", "model", "choices", "service_tier", "system_fingerprint", "usage"}
)
_CHOICE_KEYS = frozenset({"index", "delta", "finish_reason", "logprobs"})
_DELTA_KEYS = frozenset(
    {"role", "content", "refusal", "tool_calls", "function_call", "reasoning_content"}
)
_NO_DELTA = ChunkChoiceDelta()
# The shape OpenAI and most compatible providers send for every chunk: all these keys, no other.
_chunk_parts = itemgetter(
    "id", "created", "model", "object", "service_tier", "system_fingerprint", "choices", "usage"
)
_choice_parts = itemgetter("index", "delta", "finish_reason", "logprobs")
_ABSENT = object()

# The builders of the three classes (see `_slots`): every field is stored, in this order.
_DeltaBuilder = builder(
    ChunkChoiceDelta,
    "role",
    "content",
    "refusal",
    "tool_calls",
    "function_call",
    "reasoning_content",
    "extra",
)
_ChoiceBuilder = builder(ChunkChoice, "index", "delta", "finish_reason", "logprobs", "extra")
_ChunkBuilder = builder(
    ChatCompletionChunk,
    "id",
    "choices",
    "created",
    "model",
    "object",
    "service_tier",
    "system_fingerprint",
    "usage",
    "extra",
)


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
    extra = EMPTY if _DELTA_KEYS.issuperset(d) else _unknown(d, _DELTA_KEYS)
    return _make_delta(role, content, refusal, tool_calls, reasoning, extra)


def _make_delta(
    role: str | None,
    content: str | None,
    refusal: str | None,
    tool_calls: list[Any] | None,
    reasoning: str | None,
    extra: Mapping[str, Any],
) -> ChunkChoiceDelta:
    delta = _new(_DeltaBuilder)
    delta.role = role
    delta.content = content
    delta.refusal = refusal
    delta.tool_calls = tool_calls
    delta.function_call = None
    delta.reasoning_content = reasoning
    delta.extra = extra
    delta.__class__ = ChunkChoiceDelta
    built: ChunkChoiceDelta = delta
    return built


def _choice(c: Any) -> ChunkChoice | None:
    if type(c) is not dict or c.get("logprobs") is not None:
        return None
    index, finish, d = c.get("index"), c.get("finish_reason"), c.get("delta", EMPTY)
    if type(index) is not int or type(finish) not in _OPT_STR:
        return None
    if d is EMPTY:
        delta: ChunkChoiceDelta | None = _NO_DELTA
    elif type(d) is dict and len(d) == 1 and type(d.get("content")) is str:
        delta = _make_delta(None, d["content"], None, None, None, EMPTY)  # a text chunk
    else:
        delta = _delta(d)
        if delta is None:
            return None
    choice = _new(_ChoiceBuilder)
    choice.index = index
    choice.delta = delta
    choice.finish_reason = finish
    choice.logprobs = None
    choice.extra = EMPTY if _CHOICE_KEYS.issuperset(c) else _unknown(c, _CHOICE_KEYS)
    choice.__class__ = ChunkChoice
    built: ChunkChoice = choice
    return built


def fast_chunk(data: Any) -> ChatCompletionChunk | None:
    """
    Decode `data` (a parsed JSON value) when it is a plain text-delta chunk, else return `None`.

    Optional parts sent as ``null`` (``logprobs``, ``usage``, ``refusal``...), an empty
    ``tool_calls`` and unknown keys (kept in ``extra``) are the common shapes of OpenAI-compatible
    providers and are taken here too.
    """
    chunks = fast_chunks([data])
    return chunks[0] if chunks else None


def fast_chunks(values: list[Any]) -> list[ChatCompletionChunk]:
    """
    `fast_chunk` of each of `values`, in order, up to the first it declines: the chunks of the
    longest prefix of `values` it takes (all of them, usually).

    One call per network read rather than per event: the usual chunk (every key OpenAI sends, one
    choice, a text delta) is checked and built here, in the loop; any other shape goes through
    `_any_chunk`.
    """
    chunks: list[ChatCompletionChunk] = []
    append = chunks.append
    for data in values:
        if type(data) is dict and len(data) >= 8 and data.get("usage", _ABSENT) is None:
            # The usual keys, `usage` among them (and perhaps unknown ones, such as OpenAI's
            # `obfuscation`), unless an unknown key replaces a usual one.
            try:
                chunk_id, created, model, obj, tier, fingerprint, choices, usage = _chunk_parts(
                    data
                )
            except KeyError:  # a key replaced by another: not the usual shape
                chunk_id = None
            if (
                type(chunk_id) is str
                and type(created) is int
                and type(model) is str
                and type(obj) is str
                and type(tier) in _OPT_STR
                and type(fingerprint) in _OPT_STR
                and usage is None
                and type(choices) is list
                and len(choices) == 1
            ):
                c = choices[0]
                if type(c) is dict and len(c) == 4 and c.get("logprobs", _ABSENT) is None:
                    try:
                        index, d, finish, logprobs = _choice_parts(c)
                    except KeyError:
                        index = None
                    if (
                        type(index) is int
                        and type(finish) in _OPT_STR
                        and logprobs is None
                        and type(d) is dict
                    ):
                        if len(d) == 1 and type(content := d.get("content")) is str:
                            # Nearly every event of a stream: `_make_delta`, inlined (hot).
                            delta: Any = _new(_DeltaBuilder)
                            delta.role = None
                            delta.content = content
                            delta.refusal = None
                            delta.tool_calls = None
                            delta.function_call = None
                            delta.reasoning_content = None
                            delta.extra = EMPTY
                            delta.__class__ = ChunkChoiceDelta
                        else:
                            delta = _delta(d)
                        if delta is not None:
                            choice = _new(_ChoiceBuilder)
                            choice.index = index
                            choice.delta = delta
                            choice.finish_reason = finish
                            choice.logprobs = None
                            choice.extra = EMPTY
                            choice.__class__ = ChunkChoice
                            chunk = _new(_ChunkBuilder)
                            chunk.id = chunk_id
                            chunk.choices = [choice]
                            chunk.created = created
                            chunk.model = model
                            chunk.object = obj
                            chunk.service_tier = tier
                            chunk.system_fingerprint = fingerprint
                            chunk.usage = None
                            chunk.extra = EMPTY if len(data) == 8 else _unknown(data, _CHUNK_KEYS)
                            chunk.__class__ = ChatCompletionChunk
                            append(chunk)
                            continue
        found = _any_chunk(data)
        if found is None:
            break
        append(found)
    return chunks


def _any_chunk(data: Any) -> ChatCompletionChunk | None:
    """`fast_chunk` for any shape it takes (`fast_chunks` tries the usual one first)."""
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
    chunk = _new(_ChunkBuilder)
    chunk.id = chunk_id
    chunk.choices = choices
    chunk.created = created
    chunk.model = model
    chunk.object = obj
    chunk.service_tier = tier
    chunk.system_fingerprint = fingerprint
    chunk.usage = None
    chunk.extra = EMPTY if _CHUNK_KEYS.issuperset(data) else _unknown(data, _CHUNK_KEYS)
    chunk.__class__ = ChatCompletionChunk
    built: ChatCompletionChunk = chunk
    return built
