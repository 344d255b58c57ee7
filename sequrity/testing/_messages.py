"""
The Messages routes (§3.2): body validation with the SDK's own schema, config headers, sessions, and
JSON or streamed ``message`` answers.

Scripts and responders see the request as a `ChatCall` in Chat Completions shape (``tool_use``
blocks are assistant ``tool_calls``, ``tool_result`` blocks tool messages; the raw body is
``call.body``), so the same ``emu.script`` steps drive both API styles. Single-LLM tool calls get
the ids ``toolu_emu_<n>`` and ``stop_reason: "tool_use"``; anything else ends the turn with
``"end_turn"``. Dual-LLM requests run the Chat engine of `_dual` (``tc-`` ids, policies, the JSON
result envelope as the text).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sequrity._converter import structure_or_raise
from sequrity._exceptions import SequrityValidationError
from sequrity.types.messages.request import AnthropicMessageRequest

from ._answers import answer_text
from ._chat import open_session
from ._completion import check_tool_names, prompt_tokens
from ._config import EffectiveConfig
from ._context import Context
from ._dual import run_dual
from ._errors import HttpError, ScriptError, validation_detail
from ._messages_build import build_message, chat_view_messages, chat_view_tools, message_events
from ._outcome import JsonOutcome, Outcome, StreamOutcome
from ._script import ChatCall, ErrorReply, Final, Reply, ToolCallSpec
from ._sessions import Session

__all__ = ["messages"]

_KINDS = ("features", "policy", "config")


def _normalize_body(body: dict[str, Any]) -> dict[str, Any]:
    """
    Accept ``schema_`` for ``output_config.format.schema`` (the official SDK's bug, §3.0).
    """
    output_config = body.get("output_config")
    if not isinstance(output_config, dict):
        return body
    fmt = output_config.get("format")
    if not isinstance(fmt, dict) or "schema_" not in fmt or "schema" in fmt:
        return body
    fmt = {k: v for k, v in fmt.items() if k != "schema_"} | {"schema": fmt["schema_"]}
    return {**body, "output_config": {**output_config, "format": fmt}}


def _validate(body: dict[str, Any]) -> None:
    try:
        structure_or_raise(body, AnthropicMessageRequest, "body")
    except SequrityValidationError as exc:
        raise HttpError(422, validation_detail(exc.errors)) from None


def _input(spec: ToolCallSpec) -> dict[str, Any]:
    if isinstance(spec.arguments, str):
        try:
            value = json.loads(spec.arguments)
        except ValueError:
            raise ScriptError(
                f"arguments of {spec.name!r} are not JSON: {spec.arguments!r}"
            ) from None
    else:
        value = dict(spec.arguments)
    if not isinstance(value, dict):
        raise ScriptError(f"arguments of {spec.name!r} must be a JSON object")
    return value


def _single(ctx: Context, call: ChatCall, session: Session) -> tuple[list[dict[str, Any]], str]:
    step = ctx.state.script.take(call)
    if step is None:
        return [{"type": "text", "text": answer_text(call.last_user_text)}], "end_turn"
    if isinstance(step, ErrorReply):
        raise HttpError(step.status, step.detail, step.headers)
    if isinstance(step, Reply):
        return [{"type": "text", "text": step.text}], "end_turn"
    if isinstance(step, Final):
        text = step.value if isinstance(step.value, str) else json.dumps(step.value)
        return [{"type": "text", "text": text}], "end_turn"
    check_tool_names(call, step.calls)
    blocks = [
        {
            "type": "tool_use",
            "id": f"toolu_emu_{ctx.state.next_number()}",
            "name": spec.name,
            "input": _input(spec),
        }
        for spec in step.calls
    ]
    return blocks, "tool_use"


def _dual(
    ctx: Context, call: ChatCall, session: Session, effective: EffectiveConfig
) -> tuple[list[dict[str, Any]], str]:
    completion = run_dual(ctx, call, session, effective)
    choice = completion["choices"][0]
    message = choice["message"]
    calls = message.get("tool_calls") or []
    if calls:
        blocks = [
            {
                "type": "tool_use",
                "id": c["id"],
                "name": c["function"]["name"],
                "input": json.loads(c["function"]["arguments"]),
            }
            for c in calls
        ]
        return blocks, "tool_use"
    return [{"type": "text", "text": message.get("content") or ""}], "end_turn"


async def messages(ctx: Context) -> Outcome:
    """
    Serve ``POST /control/{endpoint_type}[/anthropic]/v1/messages``.
    """
    body = _normalize_body(ctx.json_object())
    _validate(body)
    endpoint_type = str(ctx.route.params.get("endpoint_type", "chat"))
    raw: list[Mapping[str, Any]] = body["messages"]
    history = chat_view_messages(raw, body.get("system"))
    session, effective = open_session(ctx, history, endpoint_type)
    dual = endpoint_type == "lang-graph" or effective.agent_arch == "dual-llm"
    call = ChatCall(
        path=ctx.request.path,
        endpoint_type=endpoint_type,
        provider=ctx.route.params.get("provider"),
        session_id=session.id,
        dual=dual,
        model=body["model"],
        messages=history,
        tools=chat_view_tools(body.get("tools")),
        body=body,
        headers=ctx.request.headers,
    )
    if dual:
        blocks, stop_reason = _dual(ctx, call, session, effective)
    else:
        blocks, stop_reason = _single(ctx, call, session)
        if stop_reason == "end_turn":
            session.complete_turn()
    message = build_message(
        message_id=f"msg_emu_{ctx.state.next_number()}",
        model=body["model"],
        blocks=blocks,
        stop_reason=stop_reason,
        input_tokens=prompt_tokens(history),
    )
    session_header = {"X-Session-ID": session.id}
    if body.get("stream"):
        return StreamOutcome(
            events=tuple(message_events(message)), headers=session_header, done=False, named=True
        )
    return JsonOutcome(body=message, headers=session_header)
