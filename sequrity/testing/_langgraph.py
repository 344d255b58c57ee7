"""
The lang-graph endpoint (§7.1): when a request carries ``user_provided_program``, the emulator runs
it (`_program`) instead of planning. ``initial_state`` (and any other ``context_vars``) are bound to
their values; the session's tool results are replayed in order; the next call of a tool becomes the
next Dual-LLM tool call (so the SQRT policies of ``X-Policy`` allow or deny it like any tool call),
and the end of the program the success envelope with ``final_return_value``. Scripted answers
still come first.

Errors: a program outside the whitelist is refused with ``400 {"detail": "Invalid
user_provided_program: line N: ... is not allowed"}`` (the real server's exact text is unknown;
FastAPI's ``detail`` shape is what every error of the API uses), malformed ``context_vars`` with
``422``; a runtime error of the program ends the run with a failure envelope
(``ProgramExecutionError``, or ``ExecutionLimitExceeded`` past the evaluation budget).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sequrity.sqrt import Meta, propagate

from ._errors import HttpError
from ._program import (
    Completed,
    ExecutionFailed,
    ProgramRejected,
    ReplayMismatch,
    check_program,
    run_program,
)
from ._script import ChatCall, Final, Step, ToolCalls, ToolCallSpec
from ._sessions import Session

__all__ = ["program_step"]


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _context_vars(body: Mapping[str, Any]) -> tuple[dict[str, Any], Meta]:
    raw = body.get("context_vars") or {}
    if not isinstance(raw, Mapping):
        raise HttpError(422, "context_vars must be an object of {name: {value, meta}}")
    bindings: dict[str, Any] = {}
    metas: list[Meta] = []
    for name, item in raw.items():
        if not isinstance(item, Mapping) or "value" not in item:
            raise HttpError(422, f"context_vars.{name} must be an object with a 'value'")
        meta = item.get("meta")
        if meta is not None and not isinstance(meta, Mapping):
            raise HttpError(422, f"context_vars.{name}.meta must be an object")
        bindings[str(name)] = item["value"]
        metas.append(Meta.from_json(meta))
    return bindings, propagate(*metas) if metas else Meta()


def program_step(call: ChatCall, session: Session) -> Step | None:
    """
    The next step of a lang-graph request that carries a program, or `None` for any other.

    Raises:
        HttpError: ``400`` for a program outside the whitelist or one whose calls do not match
            the session's results; ``422`` for malformed ``context_vars``.
    """
    source = call.body.get("user_provided_program")
    if call.endpoint_type != "lang-graph" or source is None:
        return None
    if not isinstance(source, str):
        raise HttpError(422, "user_provided_program must be a string")
    try:
        tree = check_program(source, call.tool_names)
    except ProgramRejected as exc:
        raise HttpError(400, f"Invalid user_provided_program: {exc}") from None
    bindings, meta = _context_vars(call.body)
    results = [(r.call.name, _decode(r.text)) for r in session.results]
    try:
        outcome = run_program(tree, bindings, results)
    except ReplayMismatch as exc:
        raise HttpError(400, f"user_provided_program does not match the session: {exc}") from None
    except ExecutionFailed as exc:
        error = {"code": exc.code, "message": exc.message}
        return Final(value=None, status="failure", error=error)
    # Everything the program holds derives from its inputs and every result so far.
    state_meta = propagate(meta, *(r.value.meta for r in session.results)).to_json()
    if isinstance(outcome, Completed):
        return Final(value=outcome.final_return_value, meta=state_meta)
    spec = ToolCallSpec(
        name=outcome.name,
        arguments=outcome.arguments,
        meta=dict.fromkeys(outcome.arguments, state_meta),
    )
    return ToolCalls((spec,))
