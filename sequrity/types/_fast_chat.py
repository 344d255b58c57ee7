"""
Shortcuts for the two hottest chat shapes: a plain request body (text messages, scalar options) and
a plain completion (text answer, usage). Each builds exactly what the converter builds, and returns
`None` for any other shape so the caller falls back to the converter, which validates everything and
explains failures. Hypothesis tests check the equivalence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._converter import EMPTY
from ._slots import OPT_STR as _OPT_STR
from ._slots import builder
from ._slots import new as _new
from ._slots import unknown_keys as _unknown
from .chat_completion.response import (
    ChatCompletionResponse,
    Choice,
    CompletionUsage,
    ResponseMessage,
)

__all__ = ["fast_body", "fast_completion"]

_ROLES = frozenset({"system", "user", "assistant", "developer"})
_MESSAGE_KEYS = frozenset({"role", "content", "name"})
_EFFORTS = frozenset({"none", "minimal", "low", "medium", "high", "xhigh"})
_NUMBER = (int, float)


def _plain_message(m: Any) -> bool:
    if type(m) is not dict or not _MESSAGE_KEYS.issuperset(m):
        return False
    role = m.get("role")
    if type(role) is not str or role not in _ROLES or type(m.get("content")) is not str:
        return False
    name = m.get("name", "")
    return type(name) is str


def fast_body(messages: list[Any], model: Any, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """
    The JSON body for text-only dict messages and scalar options, or `None` to use the converter.
    """
    if type(model) is not str or not messages:
        return None
    for m in messages:
        if not _plain_message(m):
            return None
    body: dict[str, Any] = {"messages": messages, "model": model}
    for key, value in params.items():
        if value is None:
            continue
        kind = type(value)
        if key in ("temperature", "top_p"):
            if kind not in _NUMBER:
                return None
            value = float(value)
        elif key in ("seed", "max_completion_tokens"):
            if kind is not int:
                return None
        elif key == "stream":
            if kind is not bool:
                return None
        elif key == "reasoning_effort":
            if kind is not str or value not in _EFFORTS:
                return None
        elif key == "stop":
            if kind is not str:
                return None
        else:  # tools, response_format, tool_choice: the converter's job
            return None
        body[key] = value
    return body


_RESPONSE_KEYS = frozenset(
    {
        "id",
        "object",
        "created",
        "model",
        "choices",
        "usage",
        "system_fingerprint",
        "service_tier",
        "session_id",
        "request_id",
    }
)
_CHOICE_KEYS = frozenset({"index", "finish_reason", "message", "logprobs"})
_MESSAGE_OUT_KEYS = frozenset(
    {"role", "content", "refusal", "annotations", "audio", "function_call", "tool_calls"}
)

# The builders of the four classes (see `_slots`): every field is stored, in this order.
_UsageBuilder = builder(
    CompletionUsage, "completion_tokens", "prompt_tokens", "total_tokens", "extra"
)
_MessageBuilder = builder(
    ResponseMessage,
    "role",
    "content",
    "refusal",
    "annotations",
    "audio",
    "function_call",
    "tool_calls",
    "extra",
)
_ChoiceBuilder = builder(Choice, "finish_reason", "index", "message", "logprobs", "extra")
_ResponseBuilder = builder(
    ChatCompletionResponse,
    "id",
    "choices",
    "created",
    "model",
    "object",
    "usage",
    "service_tier",
    "system_fingerprint",
    "session_id",
    "request_id",
    "extra",
)


def _message(m: Any) -> ResponseMessage | None:
    if type(m) is not dict:
        return None
    get = m.get
    role, content, refusal = get("role", "assistant"), get("content"), get("refusal")
    if type(role) is not str or role != "assistant" or type(content) not in _OPT_STR:
        return None
    if type(refusal) not in _OPT_STR:
        return None
    # Providers send the optional parts as null (or, for lists, empty): the converter's values.
    annotations, tool_calls = get("annotations"), get("tool_calls")
    if annotations is not None and (type(annotations) is not list or annotations):
        return None
    if tool_calls is not None and (type(tool_calls) is not list or tool_calls):
        return None
    if get("audio") is not None or get("function_call") is not None:
        return None
    message = _new(_MessageBuilder)
    message.role = "assistant"
    message.content = content
    message.refusal = refusal
    message.annotations = annotations
    message.audio = None
    message.function_call = None
    message.tool_calls = tool_calls
    message.extra = EMPTY if _MESSAGE_OUT_KEYS.issuperset(m) else _unknown(m, _MESSAGE_OUT_KEYS)
    message.__class__ = ResponseMessage
    built: ResponseMessage = message
    return built


def _usage(u: Any) -> CompletionUsage | None:
    if type(u) is not dict:
        return None
    ct, pt, tt = u.get("completion_tokens"), u.get("prompt_tokens"), u.get("total_tokens")
    if type(ct) is not int or type(pt) is not int or type(tt) is not int:
        return None
    usage = _new(_UsageBuilder)
    usage.completion_tokens = ct
    usage.prompt_tokens = pt
    usage.total_tokens = tt
    if len(u) == 3:  # the three counts alone
        usage.extra = EMPTY
    else:  # usage details: every key but the three counts (a copy is cheaper than a filter)
        extra = u.copy()
        del extra["completion_tokens"], extra["prompt_tokens"], extra["total_tokens"]
        usage.extra = extra
    usage.__class__ = CompletionUsage
    built: CompletionUsage = usage
    return built


def _choice(c: Any) -> Choice | None:
    if type(c) is not dict or c.get("logprobs") is not None:
        return None
    index, finish = c.get("index"), c.get("finish_reason", 0)
    if type(index) is not int or type(finish) not in _OPT_STR:
        return None
    message = _message(c.get("message"))
    if message is None:
        return None
    choice = _new(_ChoiceBuilder)
    choice.finish_reason = finish
    choice.index = index
    choice.message = message
    choice.logprobs = None
    choice.extra = EMPTY if _CHOICE_KEYS.issuperset(c) else _unknown(c, _CHOICE_KEYS)
    choice.__class__ = Choice
    built: Choice = choice
    return built


def fast_completion(data: Any) -> ChatCompletionResponse | None:
    """
    Decode a text-answer completion (with `session_id`/`request_id` injected), else `None`.

    Optional parts sent as ``null`` (``refusal``, ``logprobs``, ``tool_calls``, ``audio``...),
    empty ``annotations`` and ``tool_calls``, usage details and unknown keys (kept in ``extra``)
    are the common shapes of OpenAI-compatible providers and are taken here too.
    """
    if type(data) is not dict:
        return None
    get = data.get
    rid, created, model = get("id"), get("created"), get("model")
    obj = get("object", "chat.completion")
    if type(rid) is not str or type(created) is not int or type(model) is not str:
        return None
    if type(obj) is not str:
        return None
    tier, fingerprint = get("service_tier"), get("system_fingerprint")
    sid, request_id = get("session_id"), get("request_id")
    if (
        type(tier) not in _OPT_STR
        or type(fingerprint) not in _OPT_STR
        or type(sid) not in _OPT_STR
        or type(request_id) not in _OPT_STR
    ):
        return None
    raw_choices = get("choices")
    if type(raw_choices) is not list:
        return None
    choices = []
    for c in raw_choices:
        choice = _choice(c)
        if choice is None:
            return None
        choices.append(choice)
    raw_usage = get("usage")
    usage = None
    if raw_usage is not None:
        usage = _usage(raw_usage)
        if usage is None:
            return None
    response = _new(_ResponseBuilder)
    response.id = rid
    response.choices = choices
    response.created = created
    response.model = model
    response.object = obj
    response.usage = usage
    response.service_tier = tier
    response.system_fingerprint = fingerprint
    response.session_id = sid
    response.request_id = request_id
    response.extra = EMPTY if _RESPONSE_KEYS.issuperset(data) else _unknown(data, _RESPONSE_KEYS)
    response.__class__ = ChatCompletionResponse
    built: ChatCompletionResponse = response
    return built
