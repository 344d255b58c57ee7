"""
Shortcuts for the two hottest chat shapes: a plain request body (text messages, scalar options) and
a plain completion (text answer, usage). Each builds exactly what the converter builds, and returns
`None` for any other shape so the caller falls back to the converter, which validates everything and
explains failures. Hypothesis tests check the equivalence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    {"id", "object", "created", "model", "choices", "usage", "system_fingerprint", "service_tier"}
)
_CHOICE_KEYS = frozenset({"index", "finish_reason", "message", "logprobs"})
_MESSAGE_OUT_KEYS = frozenset({"role", "content", "refusal"})
_USAGE_KEYS = frozenset({"completion_tokens", "prompt_tokens", "total_tokens"})
_OPT_STR = (str, type(None))


def fast_completion(data: Any) -> ChatCompletionResponse | None:
    """
    Decode a text-answer completion (with `session_id`/`request_id` injected), else `None`.
    """
    if type(data) is not dict:
        return None
    extra_ok = _RESPONSE_KEYS | {"session_id", "request_id"}
    if not extra_ok.issuperset(data):
        return None
    rid, created, model = data.get("id"), data.get("created"), data.get("model")
    obj = data.get("object", "chat.completion")
    if type(rid) is not str or type(created) is not int or type(model) is not str:
        return None
    if type(obj) is not str:
        return None
    for key in ("system_fingerprint", "service_tier", "session_id", "request_id"):
        if type(data.get(key)) not in _OPT_STR:
            return None
    raw_choices = data.get("choices")
    if type(raw_choices) is not list:
        return None
    choices = []
    for c in raw_choices:
        if type(c) is not dict or not _CHOICE_KEYS.issuperset(c) or c.get("logprobs") is not None:
            return None
        index, finish, m = c.get("index"), c.get("finish_reason", 0), c.get("message")
        if type(index) is not int or type(finish) not in _OPT_STR:
            return None
        if type(m) is not dict or not _MESSAGE_OUT_KEYS.issuperset(m):
            return None
        role = m.get("role", "assistant")
        content, refusal = m.get("content"), m.get("refusal")
        if role != "assistant" or type(content) not in _OPT_STR or type(refusal) not in _OPT_STR:
            return None
        message = ResponseMessage(content=content, refusal=refusal)
        choices.append(Choice(finish_reason=finish, index=index, message=message))
    raw_usage = data.get("usage")
    usage = None
    if raw_usage is not None:
        if type(raw_usage) is not dict or not _USAGE_KEYS.issuperset(raw_usage):
            return None
        ct, pt, tt = (
            raw_usage.get(k) for k in ("completion_tokens", "prompt_tokens", "total_tokens")
        )
        if type(ct) is not int or type(pt) is not int or type(tt) is not int:
            return None
        usage = CompletionUsage(completion_tokens=ct, prompt_tokens=pt, total_tokens=tt)
    return ChatCompletionResponse(
        id=rid,
        choices=choices,
        created=created,
        model=model,
        object=obj,
        usage=usage,
        service_tier=data.get("service_tier"),
        system_fingerprint=data.get("system_fingerprint"),
        session_id=data.get("session_id"),
        request_id=data.get("request_id"),
    )
