"""
The Chat Completions routes (§3.1): body validation with the SDK's own schema, config headers,
session resolution (§4.2), the single-LLM responder, and JSON or streamed answers.

Single-LLM mode answers with the next scripted step (see `_script`) or, without one, with the
built-in rules of `_answers` applied to the last user message. Scripted tool calls get the ids
``call_<n>``. Every final answer (anything but tool calls) completes a turn of the session.
An ``X-Session-ID`` (or ``tc-`` id) naming a session this emulator did not create, or one that
expired after ``fsm.max_n_turns`` turns, is answered ``404 {"detail": "Session not found..."}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sequrity._converter import structure_or_raise
from sequrity._exceptions import SequrityValidationError
from sequrity.control._tool_ids import session_id_from_tool_call_id
from sequrity.types.chat_completion.request import ChatCompletionRequest

from ._answers import answer_text
from ._completion import build_completion, check_tool_names, prompt_tokens
from ._config import EffectiveConfig, parse_config_headers
from ._context import Context
from ._dual import policy_settings, run_dual
from ._errors import HttpError, validation_detail
from ._header_check import check_header
from ._outcome import JsonOutcome, Outcome, StreamOutcome
from ._script import ChatCall, ErrorReply, Final, Reply
from ._sessions import Session
from ._sse import completion_chunks

__all__ = ["chat_completions", "find_session"]

_KINDS = ("features", "policy", "config")

_JSON_SCHEMA_KEYS = frozenset({"name", "description", "schema", "strict"})


def _normalize_body(body: dict[str, Any]) -> dict[str, Any]:
    """
    Accept ``schema_`` for ``schema`` (the official SDK's bug, §3.0) and refuse unknown keys in
    ``response_format.json_schema`` (extra-forbid on the real server).
    """
    response_format = body.get("response_format")
    if not isinstance(response_format, dict):
        return body
    schema = response_format.get("json_schema")
    if not isinstance(schema, dict):
        return body
    schema = dict(schema)
    if "schema_" in schema and "schema" not in schema:
        schema["schema"] = schema.pop("schema_")
    unknown = sorted(set(schema) - _JSON_SCHEMA_KEYS)
    if unknown:
        raise HttpError(
            422,
            [
                {
                    "type": "extra_forbidden",
                    "loc": ["body", "response_format", "json_schema", key],
                    "msg": "Extra inputs are not permitted",
                }
                for key in unknown
            ],
        )
    return {**body, "response_format": {**response_format, "json_schema": schema}}


def _validate(body: dict[str, Any]) -> None:
    try:
        structure_or_raise(body, ChatCompletionRequest, "body")
    except SequrityValidationError as exc:
        raise HttpError(422, validation_detail(exc.errors)) from None


def _tool_call_ids(messages: Sequence[Mapping[str, Any]]) -> list[str]:
    ids: list[str] = []
    for message in messages:
        if message.get("role") == "tool" and isinstance(message.get("tool_call_id"), str):
            ids.append(message["tool_call_id"])
        for call in message.get("tool_calls") or ():
            if isinstance(call, Mapping) and isinstance(call.get("id"), str):
                ids.append(call["id"])
    return ids


def _checked(session: Session | None, session_id: str) -> Session:
    if session is None:
        raise HttpError(404, "Session not found")
    if session.expired:
        raise HttpError(
            404,
            f"Session not found: session {session_id} expired after reaching "
            f"max_n_turns={session.max_n_turns}",
        )
    return session


def find_session(ctx: Context, messages: Sequence[Mapping[str, Any]]) -> Session | None:
    """
    Find the session of a request: ``X-Session-ID``, else the ``tc-`` ids of the history
    (``id[3:39]``, latest first); `None` means a new session is needed.

    Raises:
        HttpError: ``404 Session not found`` for an id the emulator does not know or that expired.
    """
    store = ctx.state.sessions
    sent = ctx.request.headers.get("X-Session-ID")
    if sent is not None and sent.strip():
        return _checked(store.get(sent.strip()), sent.strip())
    for call_id in reversed(_tool_call_ids(messages)):
        session_id = session_id_from_tool_call_id(call_id)
        if session_id is not None:
            return _checked(store.get(session_id), session_id)
    return None


def _single(ctx: Context, call: ChatCall, session: Session) -> dict[str, Any]:
    step = ctx.state.script.take(call)
    tool_calls: list[dict[str, Any]] | None = None
    content: str | None
    if step is None:
        content = answer_text(call.last_user_text)
    elif isinstance(step, ErrorReply):
        raise HttpError(step.status, step.detail, step.headers)
    elif isinstance(step, Reply):
        content = step.text
    elif isinstance(step, Final):
        content = step.value if isinstance(step.value, str) else json.dumps(step.value)
    else:
        check_tool_names(call, step.calls)
        content = None
        tool_calls = [
            {
                "id": f"call_{ctx.state.next_number()}",
                "type": "function",
                "function": {"name": spec.name, "arguments": spec.arguments_json()},
            }
            for spec in step.calls
        ]
    finish_reason = "tool_calls" if tool_calls else "stop"
    if finish_reason == "stop":
        session.complete_turn()
    return build_completion(
        completion_id=f"chatcmpl-emu-{ctx.state.next_number()}",
        model=call.model,
        content=content,
        tool_calls=tool_calls,
        finish_reason=finish_reason,
        prompt=prompt_tokens(call.messages),
    )


def open_session(
    ctx: Context,
    history: Sequence[Mapping[str, Any]],
    endpoint_type: str,
    *,
    fallback: Session | None = None,
) -> tuple[Session, EffectiveConfig]:
    """
    The session a request belongs to (from ``X-Session-ID``, else ``tc-`` ids in `history`, else
    `fallback`, else a new one) and its effective configuration: each configuration header the
    request sends replaces the one stored with the session. Shared by every API style.
    """
    engine = ctx.state.policy
    headers = parse_config_headers(
        ctx.request.headers, lambda kind, text: check_header(kind, text, engine)
    )
    found = find_session(ctx, history)
    if found is None:
        found = fallback
    stored = [getattr(found, name) if found is not None else {} for name in _KINDS]
    given = [getattr(headers, name) for name in _KINDS]
    features, policy, config = (
        g if g is not None else s for g, s in zip(given, stored, strict=True)
    )
    effective = EffectiveConfig(features=features, policy=policy, config=config)
    ctx.state.policy.prepare(policy_settings(effective))
    session = found if found is not None else ctx.state.sessions.create(endpoint_type)
    session.features, session.policy, session.config = dict(features), dict(policy), dict(config)
    session.max_n_turns = effective.max_n_turns
    session.requests += 1
    return session, effective


async def chat_completions(ctx: Context) -> Outcome:
    """
    Serve ``POST .../v1/chat/completions`` (current and legacy paths).
    """
    body = _normalize_body(ctx.json_object())
    _validate(body)
    endpoint_type = str(ctx.route.params.get("endpoint_type", "chat"))
    messages: list[Mapping[str, Any]] = body["messages"]
    session, effective = open_session(ctx, messages, endpoint_type)
    dual = endpoint_type == "lang-graph" or effective.agent_arch == "dual-llm"
    call = ChatCall(
        path=ctx.request.path,
        endpoint_type=endpoint_type,
        provider=ctx.route.params.get("provider"),
        session_id=session.id,
        dual=dual,
        model=body["model"],
        messages=messages,
        tools=body.get("tools") or [],
        body=body,
        headers=ctx.request.headers,
    )
    completion = run_dual(ctx, call, session, effective) if dual else _single(ctx, call, session)
    session_header = {"X-Session-ID": session.id}
    if body.get("stream"):
        options = body.get("stream_options") or {}
        chunks = completion_chunks(completion, include_usage=options.get("include_usage") is True)
        return StreamOutcome(events=tuple(chunks), headers=session_header)
    return JsonOutcome(body=completion, headers=session_header)
