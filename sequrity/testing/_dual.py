"""
Dual-LLM mode (§5): ``tc-`` tool calls, tool results with metadata, policy checks before each
call, and the final result envelope.

Deterministic behaviour, per request of a session:

1. Tool messages ending the history are the results of calls the emulator issued (an unknown
   ``tool_call_id`` is a ``400``). Each result's metadata starts as the merge of its call's
   argument metadata (§5.2); a result that is a JSON object with ``"is_sequrity_var": true``
   brings its own ``value``/``meta`` (combined per ``combine_meta``); the policy's ``result``
   rules run; ``__non_executable`` is added unless ``presets.enable_non_executable_memory`` is
   false. A history ending in anything else starts a new turn.
2. The next scripted step decides: tool calls are checked against ``X-Policy`` (SQRT) one by
   one; a denial ends the turn with ``status: "failure"`` and ``error.code`` ``PolicyViolation``.
   An argument's metadata is the step's explicit ``meta`` for it, else the merge of every earlier
   tool result of the session whose text occurs in the argument's JSON. A step that names the
   results it branched on (``branches_on``) is first checked against the branching meta-policy
   (``ControlFlowViolation``); a call of the internal tool ``parse_with_ai`` is run by the
   emulator itself, after the ``__llm_blocked`` rule and the policy (see `_dual_checks`).
3. Without a script, a lang-graph request's ``user_provided_program`` is run (`_langgraph`).
   Otherwise no tool is called: after tool results the value of the last result is returned,
   otherwise the built-in answer (`_answers`) to the last user message.
4. Final values carry the merged metadata of the turn's results (default metadata without any).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any, Literal

from sequrity.control._tool_ids import make_tool_call_id
from sequrity.sqrt import Meta, MetaSet, Value, propagate

from ._answers import answer_value, message_text
from ._completion import build_completion, check_tool_names, prompt_tokens
from ._config import EffectiveConfig
from ._context import Context
from ._dual_checks import (
    CONTROL_FLOW_MESSAGE,
    LLM_BLOCKED,
    PARSE_WITH_AI,
    branch_violation,
    internal_tool_enabled,
    llm_blocked_denial,
    parse_with_ai_result,
)
from ._errors import HttpError, ScriptError
from ._langgraph import program_step
from ._policy import PolicySettings, Verdict
from ._script import ChatCall, ErrorReply, Final, Reply, ToolCalls, ToolCallSpec
from ._sessions import IssuedCall, Session, ToolResult

__all__ = ["NON_EXECUTABLE", "policy_settings", "run_dual"]

#: The tag attached to tool results by the non-executable memory preset.
NON_EXECUTABLE = "__non_executable"


def policy_settings(effective: EffectiveConfig) -> PolicySettings:
    """
    Read the policy settings of the request's ``X-Policy``.
    """
    level = effective.preset("default_allow_enforcement_level", "soft")
    return PolicySettings(
        code=effective.policy_code,
        language=effective.policy_language,
        default_allow=effective.preset("default_allow", True) is True,
        default_allow_enforcement_level="hard" if level == "hard" else "soft",
        fail_fast=effective.fail_fast,
    )


def _wrapped(text: str) -> tuple[Value, Literal["merge", "replace", "ignore"]] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("is_sequrity_var") is not True or "value" not in data:
        return None
    combine = data.get("combine_meta", "merge")
    if combine not in ("merge", "replace", "ignore"):
        raise HttpError(400, f"Invalid tool result: combine_meta {combine!r} is not allowed")
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise HttpError(400, "Invalid tool result: a wrapped result needs a 'meta' object")
    return Value(data["value"], Meta.from_json(meta)), combine


def _receive_results(
    ctx: Context, call: ChatCall, session: Session, effective: EffectiveConfig
) -> list[ToolResult]:
    received: list[ToolResult] = []
    for message in call.tool_results:
        call_id = message.get("tool_call_id")
        issued = session.calls.get(call_id) if isinstance(call_id, str) else None
        if issued is None:
            raise HttpError(
                400, f"Unknown tool_call_id {call_id!r}: session {session.id} issued no such call"
            )
        text = message_text(message.get("content"))
        wrapped = _wrapped(text)
        raw: Value | Any = text if wrapped is None else wrapped[0]
        combine = "merge" if wrapped is None else wrapped[1]
        result = _record(ctx, session, effective, issued, raw, combine)
        if wrapped is None:
            result.text = text
        session.program.append(f"# {issued.variable} received from the client")
        received.append(result)
    return received


def _record(
    ctx: Context,
    session: Session,
    effective: EffectiveConfig,
    issued: IssuedCall,
    raw: Value | Any,
    combine: Literal["merge", "replace", "ignore"],
) -> ToolResult:
    """Give a tool result its metadata (policy result rules, non-executable tag) and keep it."""
    value, session.session_meta = ctx.state.policy.apply_result(
        policy_settings(effective), issued.name, issued.args, raw, session.session_meta, combine
    )
    if effective.preset("enable_non_executable_memory", True) is not False:
        value = Value(
            value.value,
            value.meta.replace("tags", value.meta.tags.union(MetaSet.of([NON_EXECUTABLE]))),
        )
    result = ToolResult(call=issued, value=value, text=_text(value.value))
    session.results = [r for r in session.results if r.call.id != issued.id] + [result]
    session.history = [r for r in session.history if r.call.id != issued.id] + [result]
    return result


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _arguments(spec: ToolCallSpec) -> dict[str, Any]:
    if isinstance(spec.arguments, str):
        try:
            decoded = json.loads(spec.arguments)
        except ValueError:
            raise ScriptError(
                f"arguments of {spec.name!r} are not JSON: {spec.arguments!r}"
            ) from None
    else:
        decoded = dict(spec.arguments)
    if not isinstance(decoded, dict):
        raise ScriptError(f"arguments of {spec.name!r} must be a JSON object")
    return decoded


def _argument_values(spec: ToolCallSpec, session: Session) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for name, value in _arguments(spec).items():
        explicit = spec.meta.get(name)
        if explicit is not None:
            values[name] = Value(value, Meta.from_json(explicit))
            continue
        encoded = _text(value)
        parents = [r.value.meta for r in session.history if r.text and r.text in encoded]
        values[name] = Value(value, propagate(*parents))
    return values


def _model(model: str) -> str:
    return model if "," in model else f"{model},{model}"


def _with_meta(value: Any, meta: Meta) -> dict[str, Any]:
    return {"value": value, "meta": meta.to_json(), "value_type": type(value).__name__}


def _final(
    ctx: Context,
    call: ChatCall,
    session: Session,
    effective: EffectiveConfig,
    *,
    status: str,
    value: Value | None,
    error: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    envelope: dict[str, Any] = {
        "status": status,
        "final_return_value": None if value is None else _with_meta(value.value, value.meta),
    }
    if error is not None:
        envelope["error"] = dict(error)
    if value is not None:
        session.program.append(f"final_return_value = {value.value!r}")
    if effective.response_flag("include_program"):
        envelope["program"] = "\n".join(session.program)
    if effective.response_flag("include_policy_check_history") or status == "failure":
        envelope["policy_check_history"] = list(session.policy_checks)
    if effective.response_flag("include_namespace_snapshot"):
        snapshot = {
            r.call.variable: _with_meta(r.value.value, r.value.meta) for r in session.results
        }
        if value is not None:
            snapshot["final_return_value"] = _with_meta(value.value, value.meta)
        envelope["namespace_snapshot"] = snapshot
    if effective.response_flag("strip_response_content"):
        content = _text(value.value) if value is not None else (error or {}).get("message", status)
    else:
        content = json.dumps(envelope)
    session.complete_turn()
    return build_completion(
        completion_id=session.id,
        model=_model(call.model),
        content=content,
        tool_calls=None,
        finish_reason="stop",
        prompt=prompt_tokens(call.messages),
    )


def _is_internal(call: ChatCall, effective: EffectiveConfig, spec: ToolCallSpec) -> bool:
    return (
        spec.name == PARSE_WITH_AI
        and spec.name not in call.tool_names
        and internal_tool_enabled(effective, spec.name)
    )


def _denied(verdict: Verdict, level: str | None) -> dict[str, str] | None:
    """The error of a refused call: a policy denial, or the ``__llm_blocked`` rule."""
    lifted = verdict.allowed and verdict.entry.get("enforcement") == "hard"
    if level == "hard" or (level == "soft" and not lifted):
        context = {"tool": PARSE_WITH_AI, "enforcement": level, "rule": "enable_llm_blocked_tag"}
        message = (
            f"Tool call to '{PARSE_WITH_AI}' is denied by argument checking policies: an "
            f"argument carries the tag {LLM_BLOCKED!r}. Context: {json.dumps(context)}"
        )
        return {"code": "PolicyViolation", "message": message}
    if not verdict.allowed:
        return {"code": verdict.error_code, "message": verdict.message}
    return None


def _issue(
    ctx: Context, call: ChatCall, session: Session, effective: EffectiveConfig, step: ToolCalls
) -> dict[str, Any]:
    internal = [_is_internal(call, effective, spec) for spec in step.calls]
    client_specs = [spec for spec, own in zip(step.calls, internal, strict=True) if not own]
    if client_specs:
        check_tool_names(call, client_specs)
    settings = policy_settings(effective)
    tool_calls: list[dict[str, Any]] = []
    last_internal: ToolResult | None = None
    for spec, own in zip(step.calls, internal, strict=True):
        args = _argument_values(spec, session)
        verdict = ctx.state.policy.check_call(settings, spec.name, args, session.session_meta)
        session.session_meta = verdict.session
        session.policy_checks.append(dict(verdict.entry))
        error = _denied(verdict, llm_blocked_denial(effective, args) if own else None)
        if error is not None:
            return _final(ctx, call, session, effective, status="failure", value=None, error=error)
        if own:
            variable = f"result_{len(session.calls) + len(session.results) + 1}"
            issued = IssuedCall(
                id=f"internal-{uuid.uuid1()}", name=spec.name, args=args, variable=variable
            )
            last_internal = _record(
                ctx, session, effective, issued, parse_with_ai_result(args), "merge"
            )
            rendered = ", ".join(f"{k}={v.value!r}" for k, v in args.items())
            session.program.append(f"{variable} = {spec.name}({rendered})")
            continue
        call_id = make_tool_call_id(session.id, str(uuid.uuid1()))
        variable = f"result_{len(session.calls) + 1}"
        session.calls[call_id] = IssuedCall(
            id=call_id, name=spec.name, args=args, variable=variable
        )
        rendered = ", ".join(f"{k}={v.value!r}" for k, v in args.items())
        session.program.append(f"{variable} = {spec.name}({rendered})")
        tool_calls.append(
            {
                "id": call_id,
                "type": "function",
                "function": {
                    "name": spec.name,
                    "arguments": json.dumps({k: v.value for k, v in args.items()}),
                },
            }
        )
    if not tool_calls and last_internal is not None:  # only internal calls: the program ends
        value = Value(last_internal.value.value, _turn_meta(session))
        return _final(ctx, call, session, effective, status="success", value=value)
    return build_completion(
        completion_id=session.id,
        model=_model(call.model),
        content="",
        tool_calls=tool_calls,
        finish_reason="tool_calls",
        prompt=prompt_tokens(call.messages),
    )


def _turn_meta(session: Session) -> Meta:
    return propagate(*(r.value.meta for r in session.results))


def run_dual(
    ctx: Context, call: ChatCall, session: Session, effective: EffectiveConfig
) -> dict[str, Any]:
    """
    Serve one Dual-LLM chat request (see the module docstring for the rules).

    Returns:
        The ``chat.completion`` object: tool calls, or the final result envelope.

    Raises:
        HttpError: An unknown ``tool_call_id``, a scripted error, or a script mistake.
    """
    clear = effective.config.get("fsm", {}).get("clear_session_meta")
    if clear == "every_attempt":
        session.session_meta = Meta()
    if not call.tool_results:
        session.start_turn()
        if clear == "every_turn":
            session.session_meta = Meta()
    received = _receive_results(ctx, call, session, effective)
    step = ctx.state.script.take(call)
    if step is None:
        step = program_step(call, session)
    if isinstance(step, ErrorReply):
        raise HttpError(step.status, step.detail, step.headers)
    if isinstance(step, ToolCalls | Final):
        violation = branch_violation(effective, session, step.branches_on)
        if violation is not None:
            session.policy_checks.append(violation)
            error = {"code": "ControlFlowViolation", "message": CONTROL_FLOW_MESSAGE}
            return _final(ctx, call, session, effective, status="failure", value=None, error=error)
    if isinstance(step, ToolCalls):
        return _issue(ctx, call, session, effective, step)
    if isinstance(step, Final):
        meta = _turn_meta(session) if step.meta is None else Meta.from_json(step.meta)
        value = None if step.status == "failure" and step.value is None else Value(step.value, meta)
        return _final(
            ctx, call, session, effective, status=step.status, value=value, error=step.error
        )
    if isinstance(step, Reply):
        return _final(
            ctx,
            call,
            session,
            effective,
            status="success",
            value=Value(step.text, _turn_meta(session)),
        )
    if received:
        last = received[-1].value
        return _final(
            ctx,
            call,
            session,
            effective,
            status="success",
            value=Value(last.value, _turn_meta(session)),
        )
    value = Value(answer_value(call.last_user_text), Meta())
    return _final(ctx, call, session, effective, status="success", value=value)
