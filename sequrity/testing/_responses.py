"""
The Responses routes (§3.3, §5.3): body validation with the SDK's request model, the same
single-LLM answers, ``emu.script`` steps and Dual-LLM engine as chat, JSON or streamed answers.

The request is translated into the equivalent chat history (input items -> messages,
``function_call_output`` -> tool messages) and served by the chat machinery; the resulting
completion becomes a ``response`` with ``message`` and ``function_call`` items. Every response is
stored by id, so ``previous_response_id`` continues a conversation with only the new items; an
unknown id is ``404``. A Dual-LLM ``status: "failure"`` (a policy denial) gives
``status: "failed"``, an ``error``, and a message whose text is the result envelope.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from sequrity._converter import structure_or_raise
from sequrity._exceptions import SequrityValidationError
from sequrity.control._urls import API_PROVIDERS, ENDPOINT_TYPES, RESPONSES
from sequrity.types.responses.request import ResponsesRequest

from ._answers import message_text
from ._chat import _single, open_session
from ._context import Context, EmulatorState, RouteSpec
from ._dual import run_dual
from ._errors import HttpError, validation_detail
from ._outcome import JsonOutcome, Outcome, StreamOutcome
from ._responses_events import response_events
from ._script import ChatCall

__all__ = ["responses_create", "responses_routes"]

_KINDS = ("features", "policy", "config")


@attrs.frozen
class _Stored:
    session_id: str
    messages: tuple[Mapping[str, Any], ...]


class _Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_id: dict[str, _Stored] = {}


#: Stored responses per emulator (an `EmulatorState` has no slot for them).
_STORES: weakref.WeakKeyDictionary[EmulatorState, _Store] = weakref.WeakKeyDictionary()
_STORES_LOCK = threading.Lock()


def _store(state: EmulatorState) -> _Store:
    with _STORES_LOCK:
        store = _STORES.get(state)
        if store is None:
            store = _STORES[state] = _Store()
        return store


def _normalize(body: dict[str, Any]) -> dict[str, Any]:
    """Accept ``schema_`` for ``schema`` in ``text.format`` (the official SDK's habit, §3.0)."""
    text = body.get("text")
    if not isinstance(text, dict):
        return body
    fmt = text.get("format")
    if isinstance(fmt, dict) and "schema_" in fmt and "schema" not in fmt:
        fmt = dict(fmt)
        fmt["schema"] = fmt.pop("schema_")
        return {**body, "text": {**text, "format": fmt}}
    return body


def _validate(body: dict[str, Any]) -> None:
    try:
        structure_or_raise(body, ResponsesRequest, "body")
    except SequrityValidationError as exc:
        raise HttpError(422, validation_detail(exc.errors)) from None
    if body.get("input") in (None, "", []) and not body.get("previous_response_id"):
        raise HttpError(
            422,
            [
                {
                    "type": "missing",
                    "loc": ["body", "input"],
                    "msg": "input is required unless previous_response_id is given",
                }
            ],
        )


def _to_messages(items: Any) -> list[dict[str, Any]]:
    """Translate Responses input items into the equivalent chat messages."""
    if isinstance(items, str):
        return [{"role": "user", "content": items}]
    messages: list[dict[str, Any]] = []
    for item in items or ():
        kind = item.get("type")
        if kind == "function_call":
            call = {
                "id": item.get("call_id"),
                "type": "function",
                "function": {"name": item.get("name"), "arguments": item.get("arguments", "")},
            }
            if messages and messages[-1].get("role") == "assistant" and not messages[-1]["content"]:
                messages[-1].setdefault("tool_calls", []).append(call)
            else:
                messages.append({"role": "assistant", "content": "", "tool_calls": [call]})
        elif kind == "function_call_output":
            output = item.get("output")
            text = output if isinstance(output, str) else json.dumps(output)
            messages.append({"role": "tool", "tool_call_id": item.get("call_id"), "content": text})
        elif kind in (None, "message") and "role" in item:
            messages.append({"role": item["role"], "content": message_text(item.get("content"))})
    return messages


def _chat_tools(tools: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"type": "function", "function": {"name": t.get("name"), **t}}
        for t in tools
        if t.get("type") == "function" and "name" in t
    ]


def _text_of(content: Any) -> str:
    return content if isinstance(content, str) else ""


def _output(
    ctx: Context, completion: Mapping[str, Any], dual: bool
) -> tuple[list[dict[str, Any]], str, dict[str, Any] | None]:
    message = completion["choices"][0]["message"]
    output: list[dict[str, Any]] = []
    status, error = "completed", None
    for call in message.get("tool_calls") or ():
        output.append(
            {
                "type": "function_call",
                "id": f"fc_emu_{ctx.state.next_number()}",
                "call_id": call["id"],
                "name": call["function"]["name"],
                "arguments": call["function"]["arguments"],
                "status": "completed",
            }
        )
    text = _text_of(message.get("content"))
    if dual and text:
        try:
            envelope = json.loads(text)
        except ValueError:
            envelope = None
        if isinstance(envelope, dict) and envelope.get("status") == "failure":
            status = "failed"
            raw = envelope.get("error") or {}
            error = {"code": str(raw.get("code", "failure")), "message": str(raw.get("message"))}
    if text or not output:
        output.append(
            {
                "type": "message",
                "id": f"msg_emu_{ctx.state.next_number()}",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        )
    return output, status, error


def _response(
    ctx: Context, body: Mapping[str, Any], completion: Mapping[str, Any], dual: bool
) -> dict[str, Any]:
    output, status, error = _output(ctx, completion, dual)
    usage = completion["usage"]
    now = int(time.time())
    return {
        "id": f"resp_emu_{ctx.state.next_number()}",
        "object": "response",
        "created_at": now,
        "completed_at": now,
        "status": status,
        "error": error,
        "incomplete_details": None,
        "model": completion["model"],
        "output": output,
        "instructions": body.get("instructions"),
        "metadata": body.get("metadata") or {},
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "temperature": body.get("temperature"),
        "top_p": body.get("top_p"),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": list(body.get("tools") or ()),
        "truncation": body.get("truncation", "disabled"),
        "usage": {
            "input_tokens": usage["prompt_tokens"],
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": usage["completion_tokens"],
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": usage["total_tokens"],
        },
    }


async def responses_create(ctx: Context) -> Outcome:
    """
    Serve ``POST .../v1/responses`` (see the module docstring).
    """
    body = _normalize(ctx.json_object())
    _validate(body)
    store = _store(ctx.state)
    previous: _Stored | None = None
    previous_id = body.get("previous_response_id")
    if previous_id:
        with store.lock:
            previous = store.by_id.get(previous_id)
        if previous is None or previous.session_id not in ctx.state.sessions:
            raise HttpError(404, f"Previous response with id '{previous_id}' not found.")
    history = [dict(m) for m in previous.messages] if previous is not None else []
    if body.get("instructions") and not history:
        history.append({"role": "system", "content": body["instructions"]})
    history.extend(_to_messages(body.get("input")))
    endpoint_type = str(ctx.route.params.get("endpoint_type", "chat"))
    fallback = ctx.state.sessions.get(previous.session_id) if previous is not None else None
    session, effective = open_session(ctx, history, endpoint_type, fallback=fallback)
    dual = endpoint_type == "lang-graph" or effective.agent_arch == "dual-llm"
    call = ChatCall(
        path=ctx.request.path,
        endpoint_type=endpoint_type,
        provider=ctx.route.params.get("provider"),
        session_id=session.id,
        dual=dual,
        model=body["model"],
        messages=history,
        tools=_chat_tools(body.get("tools") or ()),
        body=body,
        headers=ctx.request.headers,
    )
    completion = run_dual(ctx, call, session, effective) if dual else _single(ctx, call, session)
    response = _response(ctx, body, completion, dual)
    reply = dict(completion["choices"][0]["message"])
    reply.pop("refusal", None)
    with store.lock:
        store.by_id[response["id"]] = _Stored(session.id, (*history, reply))
    session_header = {"X-Session-ID": session.id}
    if body.get("stream"):
        return StreamOutcome(
            events=tuple(response_events(response)), headers=session_header, done=False, named=True
        )
    return JsonOutcome(body=response, headers=session_header)


def responses_routes() -> list[RouteSpec]:
    """
    ``POST /control/{endpoint_type}[/{provider}]/v1/responses`` for every endpoint type and every
    provider that serves the Responses API (default, ``openai``, ``sequrity_azure``).
    """
    return [
        RouteSpec(
            method="POST",
            path=f"/control/{endpoint_type}{'/' + provider if provider else ''}/v1/{RESPONSES}",
            handler=responses_create,
            params={"endpoint_type": endpoint_type, "provider": provider},
        )
        for endpoint_type in ENDPOINT_TYPES
        for provider in API_PROVIDERS[RESPONSES]
    ]
