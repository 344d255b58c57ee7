"""
`SqrtToolGate`: checks each tool call of a LangGraph ``ToolNode`` against a SQRT policy, on
this machine, before the tool runs (the ``wrap_tool_call`` / ``awrap_tool_call`` hooks).
Needs ``pip install 'sequrity[langchain]'``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal

import attrs

from .. import SequrityError
from ..control import SecurityPolicyHeader
from ..sqrt import Decision, Meta, Policy, Program, ToolCall, Value, apply_result, evaluate_call
from ..sqrt import propagate as propagate_meta
from ._extras import missing_extra

try:
    from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
    from langgraph.prebuilt import ToolNode
    from langgraph.prebuilt.tool_node import ToolCallRequest
    from langgraph.types import Command
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("langchain", exc) from exc

__all__ = ["SqrtToolGate", "ToolCallDeniedError"]

Execute = Callable[[ToolCallRequest], "ToolMessage | Command[Any]"]
AsyncExecute = Callable[[ToolCallRequest], Awaitable["ToolMessage | Command[Any]"]]


class ToolCallDeniedError(SequrityError):
    """
    `SqrtToolGate` (with ``on_deny="raise"``) refused a tool call.

    Attributes:
        decision: The policy's `Decision` (`Decision.reason`, `Decision.rule`).
        tool_call: The refused call (``name``, ``args``, ``id``).
    """

    def __init__(self, decision: Decision, tool_call: Mapping[str, Any]) -> None:
        super().__init__(decision.denial_message())
        self.decision = decision
        self.tool_call = dict(tool_call)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.decision, self.tool_call))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)


def _messages(state: Any) -> Sequence[BaseMessage]:
    if isinstance(state, Mapping):
        state = state.get("messages", ())
    elif not isinstance(state, list | tuple):
        state = getattr(state, "messages", ())
    return [m for m in state if isinstance(m, BaseMessage)]


@attrs.frozen
class _Results:
    """What earlier tool results of the conversation tell about metadata."""

    session: Meta = attrs.field(factory=Meta)
    texts: tuple[tuple[str, Meta], ...] = ()


class SqrtToolGate:
    """
    Checks every tool call a ``ToolNode`` is about to run against a SQRT policy, locally, with
    `sequrity.sqrt` (the same evaluator as the emulator), and refuses the denied ones.

    **Enforcement remains the server's.** This gate is an early, local check: it spares a
    round trip and a tool run, and makes policies testable offline, but it is no security
    boundary (it runs in the agent's own process, which it trusts). In Dual-LLM mode the server
    checks every call it issues against the policy it was sent, whatever this gate decides, and
    evaluates what no local check can (server presets such as non-executable memory and the
    control-flow meta-policy, metadata of values the planner derived).

    Metadata: with ``track_metadata=True`` (the default) the gate replays the conversation's
    earlier tool calls and results from the graph state's ``messages``, as the emulator does: a
    result gets the metadata the policy's ``result`` rules give it, an argument the merged
    metadata of every earlier result whose text it contains, and ``session`` blocks update the
    session metadata. Nothing is kept between calls, so one gate serves any number of
    concurrent graphs.

    Example:
        >>> gate = SqrtToolGate('tool "send_email" { hard deny when to.value in {"x@evil.com"}; }')
        >>> node = gate.tool_node([send_email])

    Args:
        policy: SQRT source, a parsed `Program` or `Policy`, or a `SecurityPolicyHeader`
            (whose ``codes``, ``fail_fast`` and presets ``default_allow`` and
            ``default_allow_enforcement_level`` are used).
        on_deny: ``"message"`` (default): a denied call does not run and becomes a
            ``ToolMessage`` with ``status="error"`` whose content is the server's denial text
            (the model sees it and may try something else); ``"raise"``: raise
            `ToolCallDeniedError` (``ToolNode`` re-raises it unless its ``handle_tool_errors``
            handles it), which stops the graph.
        default_allow: The verdict when no rule decides (default True, or the header's).
        default_allow_enforcement_level: ``"hard"`` lets the default outrank soft rules.
        fail_fast: Stop at the first firing hard deny.
        track_metadata: Replay earlier calls and results for metadata (see above).

    Raises:
        SqrtParseError: The policy does not parse.
        ValueError: Cedar code (which cannot be evaluated locally) or a bad `on_deny`.
    """

    def __init__(
        self,
        policy: str | Program | Policy | SecurityPolicyHeader,
        *,
        on_deny: Literal["message", "raise"] = "message",
        default_allow: bool | None = None,
        default_allow_enforcement_level: Literal["soft", "hard"] | None = None,
        fail_fast: bool | None = None,
        track_metadata: bool = True,
    ) -> None:
        if on_deny not in ("message", "raise"):
            raise ValueError(f"on_deny must be 'message' or 'raise', got {on_deny!r}")
        level: Literal["soft", "hard"] = "soft"
        allow, fast = True, True
        if isinstance(policy, SecurityPolicyHeader):
            codes, presets = policy.codes, policy.presets
            if codes is not None and codes.language != "sqrt":
                raise ValueError("only SQRT policies can be checked locally, not Cedar")
            if presets is not None:
                allow = presets.default_allow
                level = "hard" if presets.default_allow_enforcement_level == "hard" else "soft"
            fast = policy.fail_fast if policy.fail_fast is not None else fast
            policy = codes.code if codes is not None else ""
        self.policy = Policy.coerce(policy)
        self.on_deny = on_deny
        self.default_allow = allow if default_allow is None else default_allow
        self.default_allow_enforcement_level = level
        if default_allow_enforcement_level is not None:
            self.default_allow_enforcement_level = default_allow_enforcement_level
        self.fail_fast = fast if fail_fast is None else fail_fast
        self.track_metadata = track_metadata

    # -- the check ----------------------------------------------------------------------------

    def _evaluate(self, name: str, args: Mapping[str, Any], seen: _Results) -> Decision:
        values = {key: self._argument(value, seen) for key, value in args.items()}
        return evaluate_call(
            self.policy,
            ToolCall(name, values),
            seen.session,
            default_allow=self.default_allow,
            default_allow_enforcement_level=self.default_allow_enforcement_level,
            fail_fast=self.fail_fast,
        )

    def _argument(self, value: Any, seen: _Results) -> Value:
        encoded = _text(value)
        return Value(value, propagate_meta(*(m for t, m in seen.texts if t and t in encoded)))

    def _replay(self, messages: Sequence[BaseMessage]) -> _Results:
        seen = _Results()
        if not self.track_metadata:
            return seen
        calls: dict[str, Mapping[str, Any]] = {}
        for message in messages:
            if isinstance(message, AIMessage):
                for made in message.tool_calls:
                    if made.get("id"):
                        calls[str(made["id"])] = made
                continue
            if not isinstance(message, ToolMessage) or message.status == "error":
                continue
            call = calls.get(message.tool_call_id)
            if call is None:
                continue
            decision = self._evaluate(call["name"], call["args"], seen)
            args = {key: self._argument(value, seen) for key, value in call["args"].items()}
            text = message.text
            outcome = apply_result(
                self.policy, ToolCall(call["name"], args), text, decision.session
            )
            seen = _Results(outcome.session, (*seen.texts, (text, outcome.result.meta)))
        return seen

    def check(self, tool_call: Mapping[str, Any], history: Sequence[BaseMessage] = ()) -> Decision:
        """
        Decide whether one tool call may run.

        Args:
            tool_call: LangChain's tool call (``name``, ``args``, ``id``).
            history: The conversation before it (for metadata; see the class docstring).

        Returns:
            The `Decision` (`Decision.allowed`, `Decision.reason`).

        Raises:
            SqrtEvalError: The policy cannot be evaluated for this call.
        """
        return self._evaluate(tool_call["name"], tool_call.get("args") or {}, self._replay(history))

    def _refusal(self, request: ToolCallRequest) -> ToolMessage | None:
        call = request.tool_call
        decision = self.check(call, _messages(request.state))
        if decision.allowed:
            return None
        if self.on_deny == "raise":
            raise ToolCallDeniedError(decision, call)
        return ToolMessage(
            content=decision.denial_message(),
            name=call["name"],
            tool_call_id=call["id"],
            status="error",
            artifact={"sequrity_decision": decision.context(), "reason": decision.reason},
        )

    # -- ToolNode hooks -----------------------------------------------------------------------

    def wrap_tool_call(
        self, request: ToolCallRequest, execute: Execute
    ) -> ToolMessage | Command[Any]:
        """
        ``ToolNode(wrap_tool_call=...)``: check, then run the tool if allowed.

        Returns:
            The tool's result, or the refusal message.

        Raises:
            ToolCallDeniedError: Denied, with ``on_deny="raise"``.
        """
        refusal = self._refusal(request)
        return refusal if refusal is not None else execute(request)

    async def awrap_tool_call(
        self, request: ToolCallRequest, execute: AsyncExecute
    ) -> ToolMessage | Command[Any]:
        """
        ``ToolNode(awrap_tool_call=...)``: the async twin of `wrap_tool_call`.

        Returns:
            The tool's result, or the refusal message.

        Raises:
            ToolCallDeniedError: Denied, with ``on_deny="raise"``.
        """
        refusal = self._refusal(request)
        return refusal if refusal is not None else await execute(request)

    def tool_node(self, tools: Sequence[Any], **options: Any) -> ToolNode:
        """
        Build a ``ToolNode`` for `tools` with this gate on both hooks.

        Args:
            tools: The tools.
            **options: Other ``ToolNode`` arguments (``name``, ``handle_tool_errors``...).

        Returns:
            The tool node.
        """
        return ToolNode(
            tools,
            wrap_tool_call=self.wrap_tool_call,
            awrap_tool_call=self.awrap_tool_call,
            **options,
        )
