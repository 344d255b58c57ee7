"""
The policy step of Dual-LLM execution, behind a small interface (`PolicyEngine`) so another
evaluator can be swapped in. The default, `SqrtPolicyEngine`, runs ``X-Policy`` SQRT code with
`sequrity.sqrt` (``evaluate_call`` before a tool call, ``apply_result`` on its result).
Cedar policies cannot be evaluated offline: with ``language: "cedar"`` every call is allowed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Literal, Protocol

import attrs

from sequrity.sqrt import (
    Meta,
    Policy,
    SqrtEvalError,
    SqrtParseError,
    ToolCall,
    Value,
    apply_result,
    evaluate_call,
)

from ._errors import HttpError

__all__ = ["PolicyEngine", "PolicySettings", "SqrtPolicyEngine", "Verdict"]


@attrs.frozen(kw_only=True)
class PolicySettings:
    """
    The ``X-Policy`` settings a check needs.
    """

    code: str = ""
    language: str = "sqrt"
    default_allow: bool = True
    default_allow_enforcement_level: Literal["soft", "hard"] = "soft"
    fail_fast: bool = True


@attrs.frozen(kw_only=True)
class Verdict:
    """
    The outcome of checking one tool call.

    Attributes:
        allowed: Whether the call may run.
        session: The session metadata after the check's ``session before`` updates.
        error_code: When not allowed: the envelope's ``error.code``.
        message: When not allowed: the envelope's ``error.message``.
        entry: The ``policy_check_history`` entry of this check.
    """

    allowed: bool
    session: Meta
    error_code: str = ""
    message: str = ""
    entry: Mapping[str, Any] = attrs.field(factory=dict)


class PolicyEngine(Protocol):
    """
    What the Dual-LLM engine needs from a policy evaluator.
    """

    def prepare(self, settings: PolicySettings) -> None:
        """
        Check the policy code up front.

        Raises:
            HttpError: ``400`` when the code is invalid.
        """

    def check_call(
        self, settings: PolicySettings, tool: str, args: Mapping[str, Value], session: Meta
    ) -> Verdict:
        """
        Decide whether `tool` may be called with `args`.
        """

    def apply_result(
        self,
        settings: PolicySettings,
        tool: str,
        args: Mapping[str, Value],
        result: Value | Any,
        session: Meta,
        combine_meta: Literal["merge", "replace", "ignore"],
    ) -> tuple[Value, Meta]:
        """
        Return the result with its metadata, and the session metadata after the call.
        """


@functools.lru_cache(maxsize=128)
def _compile(code: str) -> Policy:
    return Policy.coerce(code)


def _rule(fired: Any) -> dict[str, Any]:
    return {"tool_id": fired.tool, "rule": fired.text, "line": fired.rule.line}


class SqrtPolicyEngine:
    """
    Evaluates SQRT policies with `sequrity.sqrt`.
    """

    def _policy(self, settings: PolicySettings) -> Policy | None:
        if settings.language != "sqrt" or not settings.code.strip():
            return None
        try:
            return _compile(settings.code)
        except SqrtParseError as exc:
            raise HttpError(400, f"Invalid X-Policy header: codes.code: {exc}") from None

    def prepare(self, settings: PolicySettings) -> None:
        """
        Parse the SQRT code once (cached), refusing code that does not parse.
        """
        self._policy(settings)

    def check_call(
        self, settings: PolicySettings, tool: str, args: Mapping[str, Value], session: Meta
    ) -> Verdict:
        """
        Run ``session before`` updates and the check rules for one call.
        """
        arguments = {name: value.value for name, value in args.items()}
        policy = self._policy(settings)
        if policy is None:
            entry = {"tool": tool, "arguments": arguments, "allowed": True, "reason": "no policy"}
            return Verdict(allowed=True, session=session, entry=entry)
        try:
            decision = evaluate_call(
                policy,
                ToolCall(tool, dict(args)),
                session,
                default_allow=settings.default_allow,
                default_allow_enforcement_level=settings.default_allow_enforcement_level,
                fail_fast=settings.fail_fast,
            )
        except SqrtEvalError as exc:
            message = f"Policy evaluation failed for tool call to '{tool}': {exc}"
            entry = {"tool": tool, "arguments": arguments, "allowed": False, "reason": message}
            return Verdict(
                allowed=False,
                session=session,
                error_code="PolicyEvaluationError",
                message=message,
                entry=entry,
            )
        entry = {
            "tool": tool,
            "arguments": arguments,
            "allowed": decision.allowed,
            "enforcement": decision.enforcement,
            "reason": decision.reason,
        }
        if not decision.allowed:
            entry["denied"] = [_rule(f) for f in decision.denials] or [decision.context()]
            return Verdict(
                allowed=False,
                session=decision.session,
                error_code="PolicyViolation",
                message=decision.denial_message(),
                entry=entry,
            )
        return Verdict(allowed=True, session=decision.session, entry=entry)

    def apply_result(
        self,
        settings: PolicySettings,
        tool: str,
        args: Mapping[str, Value],
        result: Value | Any,
        session: Meta,
        combine_meta: Literal["merge", "replace", "ignore"],
    ) -> tuple[Value, Meta]:
        """
        Propagate argument metadata to the result and run ``result``/``session after`` updates.
        """
        policy = self._policy(settings) or Policy.coerce("")
        try:
            outcome = apply_result(
                policy, ToolCall(tool, dict(args)), result, session, combine_meta=combine_meta
            )
        except SqrtEvalError as exc:
            raise HttpError(
                400, f"Policy evaluation failed on the result of '{tool}': {exc}"
            ) from None
        return outcome.result, outcome.session
