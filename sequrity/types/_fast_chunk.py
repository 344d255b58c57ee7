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
from ._slots import new as _new
from ._slots import slot_setters
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

# Every field of each class, in order (see `_slots`): instances are built field by field.
_d_role, _d_content, _d_refusal, _d_tool_calls, _d_function_call, _d_reasoning, _d_extra = (
    slot_setters(
        ChunkChoiceDelta,
        "role",
        "content",
        "refusal",
        "tool_calls",
        "function_call",
        "reasoning_content",
        "extra",
    )
)
_c_index, _c_delta, _c_finish, _c_logprobs, _c_extra = slot_setters(
    ChunkChoice, "index", "delta", "finish_reason", "logprobs", "extra"
)
(
    _k_id,
    _k_choices,
    _k_created,
    _k_model,
    _k_object,
    _k_tier,
    _k_fingerprint,
    _k_usage,
    _k_extra,
) = slot_setters(
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
    delta = _new(ChunkChoiceDelta)
    _d_role(delta, role)
    _d_content(delta, content)
    _d_refusal(delta, refusal)
    _d_tool_calls(delta, tool_calls)
    _d_function_call(delta, None)
    _d_reasoning(delta, reasoning)
    _d_extra(delta, extra)
    return delta


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
    choice = _new(ChunkChoice)
    _c_index(choice, index)
    _c_delta(choice, delta)
    _c_finish(choice, finish)
    _c_logprobs(choice, None)
    _c_extra(choice, EMPTY if _CHOICE_KEYS.issuperset(c) else _unknown(c, _CHOICE_KEYS))
    return choice


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
                            delta: ChunkChoiceDelta | None = _new(ChunkChoiceDelta)
                            _d_role(delta, None)
                            _d_content(delta, content)
                            _d_refusal(delta, None)
                            _d_tool_calls(delta, None)
                            _d_function_call(delta, None)
                            _d_reasoning(delta, None)
                            _d_extra(delta, EMPTY)
                        else:
                            delta = _delta(d)
                        if delta is not None:
                            choice = _new(ChunkChoice)
                            _c_index(choice, index)
                            _c_delta(choice, delta)
                            _c_finish(choice, finish)
                            _c_logprobs(choice, None)
                            _c_extra(choice, EMPTY)
                            chunk = _new(ChatCompletionChunk)
                            _k_id(chunk, chunk_id)
                            _k_choices(chunk, [choice])
                            _k_created(chunk, created)
                            _k_model(chunk, model)
                            _k_object(chunk, obj)
                            _k_tier(chunk, tier)
                            _k_fingerprint(chunk, fingerprint)
                            _k_usage(chunk, None)
                            _k_extra(
                                chunk, EMPTY if len(data) == 8 else _unknown(data, _CHUNK_KEYS)
                            )
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
    chunk = _new(ChatCompletionChunk)
    _k_id(chunk, chunk_id)
    _k_choices(chunk, choices)
    _k_created(chunk, created)
    _k_model(chunk, model)
    _k_object(chunk, obj)
    _k_tier(chunk, tier)
    _k_fingerprint(chunk, fingerprint)
    _k_usage(chunk, None)
    _k_extra(chunk, EMPTY if _CHUNK_KEYS.issuperset(data) else _unknown(data, _CHUNK_KEYS))
    return chunk
