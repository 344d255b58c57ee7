"""
Policy decisions for one tool call: check rules, `session before`, `result` and `session after`.

Choices where the documentation leaves room (spec sections 8.3 and 5.2):

* Tool ids: a plain id matches the tool name exactly; an `r"..."` id must match the *whole* name
  (`re.fullmatch`), as must regexes inside sets. Wildcards support `*` and `?` only.
* A tool's priority is its last `priority N;` member (default 0); a shorthand's is `[N]` (default 0).
  Rules and updates run by descending priority, then in source order.
* Order for one call: `session before` updates, then check rules (which see the updated session);
  the before-updates are kept even when the call is denied. After the tool runs: the result's
  metadata starts as the propagation of the arguments' metadata (merged with any metadata the
  tool returned, per `combine_meta`), then `result` updates, then `session after` updates.
* Decision: (1) a firing hard deny denies; (2) else a firing hard allow allows; (3) else, when
  the tool has hard allow rules, none of which fired, the call is denied (hard): hard allow rules
  list the only conditions under which the tool may run, whatever `default_allow` says (the
  documented refund and provenance examples deny exactly so); (4) else, when
  `default_allow_enforcement_level` is `hard`, the default decides; (5) else the firing soft rules
  of the highest priority decide, deny winning a tie; (6) else the default decides.
  `fail_fast=True` stops at the first hard deny; otherwise every rule is evaluated and all
  firing denials are reported.
* `@field` means `@session.field` in check rules, `@result.field` in result blocks and result
  shorthands, `@session.field` in session blocks. `@result` cannot be used before the tool runs.
* A missing argument has value None and default metadata; `@session.value` is `session_value`.
  Booleans never equal numbers; datetimes compare as instants (naive ones are UTC).
* `let` names are global, but a `let` may only refer to names declared before it.
  A `let` bound to a type domain used as a set is the one-element set of that domain.
* Aggregating over no arguments gives `{}` for `union` and the universal set for `intersect`.
* Sets are finite or co-finite (`{"*"} - {"x"}` is exact); JSON output writes co-finite sets as
  `["*"]`.
* Within a `when P { ... }` block, P is evaluated once, before its updates run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from . import _ast as ast
from ._errors import SqrtEvalError
from ._eval import Scope, eval_predicate, eval_set
from ._format import format_expr
from ._parser import parse_tree
from ._sets import Meta, Value, propagate

__all__ = [
    "Decision", "FiredRule", "Policy", "ResultOutcome", "ToolCall", "apply_result",
    "evaluate_call",
]  # fmt: skip


@attrs.frozen
class ToolCall:
    """
    A tool call to check.

    Attributes:
        name: The tool's name.
        args: Each argument's value and metadata.
    """

    name: str
    args: Mapping[str, Value] = attrs.field(factory=dict)


@attrs.frozen
class FiredRule:
    """
    A check rule that fired, with the tool declaration it belongs to.

    Attributes:
        tool: The tool id as written (`"name"` or `r"regex"`).
        rule: The rule node (its `line` locates it in the source).
        priority: The priority of its tool block.
    """

    tool: str
    rule: ast.CheckRule
    priority: int

    @property
    def description(self) -> str:
        """The rule's doc comments, joined (the server uses them as its description)."""
        return " ".join(doc.strip() for doc in self.rule.docs)

    @property
    def text(self) -> str:
        """The rule in canonical form, e.g. `hard deny when x.tags is empty;`."""
        rule = self.rule
        cond = "always" if rule.condition is None else "when " + format_expr(rule.condition)
        return f"{rule.enforcement} {rule.outcome} {cond};"


@attrs.frozen(kw_only=True)
class Decision:
    """
    Whether a tool call may run, and why.

    Attributes:
        tool: The tool name.
        allowed: The verdict.
        enforcement: `hard` or `soft`: how the verdict was reached.
        rule: The rule that decided (for a call no hard allow rule let through, the first of
            them), or None when the default applied.
        reason: One sentence explaining the verdict.
        denials: Every firing deny rule that was evaluated.
        session: Session metadata after the `session before` updates.
    """

    tool: str
    allowed: bool
    enforcement: str
    rule: FiredRule | None
    reason: str
    denials: tuple[FiredRule, ...] = ()
    session: Meta = attrs.field(factory=Meta)

    def context(self) -> dict[str, Any]:
        """A JSON-ready description of the deciding rule."""
        out: dict[str, Any] = {"tool": self.tool, "enforcement": self.enforcement}
        if self.rule is None:
            out["rule"] = "default"
        else:
            out.update(rule=self.rule.text, line=self.rule.rule.line, tool_id=self.rule.tool)
            if self.rule.rule.outcome == "allow" and not self.allowed:
                out["matched"] = False
            if self.rule.description:
                out["description"] = self.rule.description
        return out

    def denial_message(self) -> str:
        """The server's error text for a denied call."""
        return (
            f"Tool call to '{self.tool}' is denied by argument checking policies. "
            f"Context: {json.dumps(self.context(), sort_keys=True)}"
        )


@attrs.frozen(kw_only=True)
class ResultOutcome:
    """
    Metadata after a tool ran.

    Attributes:
        result: The result value with its final metadata.
        session: Session metadata after `session after` updates.
        args: Argument values, with metadata changed by updates that target them.
    """

    result: Value
    session: Meta
    args: Mapping[str, Value]


_Sh = ast.ToolShorthand
_UpdateStmt = ast.Update | ast.ConditionalUpdate


@attrs.frozen
class Policy:
    """
    A parsed policy ready for evaluation.

    Attributes:
        program: The syntax tree.
    """

    program: ast.Program

    @classmethod
    def coerce(cls, policy: str | ast.Program | Policy) -> Policy:
        """
        Accept SQRT source, a parsed tree or a `Policy`.

        Args:
            policy: The policy in any of those forms.

        Returns:
            The `Policy`.

        Raises:
            SqrtParseError: When source text does not parse.
        """
        if isinstance(policy, Policy):
            return policy
        if isinstance(policy, str):
            policy = parse_tree(policy)
        return cls(policy)

    def lets(self) -> dict[str, tuple[ast.Expr, Mapping[str, Any]]]:
        """Each name to its expression and the lets visible from it (earlier ones only)."""
        env: dict[str, tuple[ast.Expr, Mapping[str, Any]]] = {}
        for decl in self.program.declarations:
            if isinstance(decl, ast.LetDecl):
                env = {**env, decl.name: (decl.value, env)}
        return env

    def matching(self, tool: str) -> list[ast.ToolBlock | ast.ToolShorthand]:
        """The tool declarations whose id matches `tool`, in source order."""
        out: list[ast.ToolBlock | ast.ToolShorthand] = []
        for decl in self.program.declarations:
            if isinstance(decl, ast.LetDecl):
                continue
            if decl.tool.kind == "regex":
                try:
                    hit = re.fullmatch(decl.tool.body, tool) is not None
                except re.error as exc:
                    raise SqrtEvalError(f"line {decl.line}: invalid tool id regex: {exc}") from None
            else:
                hit = decl.tool.value == tool
            if hit:
                out.append(decl)
        return out

    def updates(self, tool: str, phase: str) -> list[tuple[_UpdateStmt | _Sh, str]]:
        """The update statements of a phase (`before`, `result`, `after`), in run order."""
        found: list[tuple[int, int, _UpdateStmt | _Sh, str]] = []
        for order, decl in enumerate(self.matching(tool)):
            if isinstance(decl, ast.ToolShorthand):
                target = {"": "result", "session": "after"}.get(decl.target, decl.target)
                if target.removeprefix("session ") == phase:
                    context = "result" if phase == "result" else "session"
                    found.append((_prio(decl.priority), order, decl, context))
                continue
            for member in decl.members:
                if isinstance(member, ast.ResultBlock) and phase == "result":
                    found += [(_priority(decl), order, s, "result") for s in member.statements]
                elif isinstance(member, ast.SessionBlock) and member.timing == phase:
                    found += [(_priority(decl), order, s, "session") for s in member.statements]
        found.sort(key=lambda item: (-item[0], item[1]))
        return [(stmt, context) for _, _, stmt, context in found]


def _prio(number: ast.Number | None) -> int:
    return 0 if number is None else int(number.value)


def _priority(block: ast.ToolBlock) -> int:
    values = [m.value for m in block.members if isinstance(m, ast.Priority)]
    return _prio(values[-1] if values else None)


def _run_updates(steps: list[tuple[_UpdateStmt | _Sh, str]], scope: Scope, where: str) -> None:
    """Run update statements in order, mutating the scope's session/result/args."""
    for stmt, context in steps:
        scope.context, scope.where = context, where
        scope.memo = {}
        if isinstance(stmt, ast.ToolShorthand):
            if stmt.condition is None or eval_predicate(stmt.condition, scope):
                target = ast.MetaAccess(scope="context", field=stmt.field, line=stmt.line)
                _assign(target, stmt.op, stmt.value, scope)
        elif isinstance(stmt, ast.ConditionalUpdate):
            if eval_predicate(stmt.condition, scope):
                for update in stmt.updates:
                    scope.memo = {}
                    _assign(update.target, update.op, update.value, scope)
        else:
            _assign(stmt.target, stmt.op, stmt.value, scope)


def _assign(target: ast.MetaAccess, op: str, value: ast.SetExpr, scope: Scope) -> None:
    new = eval_set(value, scope)
    if op != "=":
        old = scope.meta(target)
        new = {"|=": old.union, "&=": old.intersect, "-=": old.minus, "^=": old.xor}[op](new)
    where = target.scope if target.scope != "context" else scope.context
    if where == "session":
        scope.session = scope.session.replace(target.field, new)
    elif where == "result":
        result = scope.require_result(target)
        scope.result = Value(result.value, result.meta.replace(target.field, new))
    else:
        name = target.name or ""
        arg = scope.args.get(name, Value())
        scope.args[name] = Value(arg.value, arg.meta.replace(target.field, new))


def evaluate_call(
    policy: str | ast.Program | Policy,
    call: ToolCall,
    session: Meta | None = None,
    *,
    default_allow: bool = True,
    default_allow_enforcement_level: Literal["soft", "hard"] = "soft",
    fail_fast: bool = True,
    session_value: Any = None,
) -> Decision:
    """
    Decide whether a tool call may run (after applying `session before` updates).

    Args:
        policy: SQRT source, a parsed `Program` or a `Policy`.
        call: The tool name and its arguments with metadata.
        session: Session metadata before the call (defaults: empty, universal consumers).
        default_allow: The verdict when no rule decides.
        default_allow_enforcement_level: `hard` makes the default outrank soft rules.
        fail_fast: Stop at the first firing hard deny.
        session_value: The value behind `@session.value`.

    Returns:
        The `Decision`, including the session metadata after `session before` updates.

    Raises:
        SqrtParseError: When source text does not parse.
        SqrtEvalError: When the policy cannot be evaluated (undefined name, bad regex, ...).
    """
    compiled = Policy.coerce(policy)
    scope = Scope(compiled.lets(), dict(call.args), session or Meta(), session_value)
    try:
        _run_updates(compiled.updates(call.name, "before"), scope, "a session before block")
        scope.context, scope.where, scope.memo = "session", "a check rule", {}
        return _decide(
            compiled, call.name, scope, default_allow, default_allow_enforcement_level, fail_fast
        )
    except RecursionError:
        raise SqrtEvalError("policy is nested too deeply to evaluate") from None


def _decide(
    policy: Policy, tool: str, scope: Scope, default: bool, level: str, fail_fast: bool
) -> Decision:
    rules: list[tuple[int, int, FiredRule]] = []
    for order, decl in enumerate(policy.matching(tool)):
        if isinstance(decl, ast.ToolBlock):
            prio = _priority(decl)
            tool_id = format_expr(decl.tool)
            for member in decl.members:
                if isinstance(member, ast.CheckRule):
                    rules.append((prio, order, FiredRule(tool_id, member, prio)))
    rules.sort(key=lambda item: (-item[0], item[1]))
    ordered = [fired for _, _, fired in rules]
    hard = [f for f in ordered if f.rule.is_hard]
    soft = [f for f in ordered if not f.rule.is_hard]

    def fires(fired: FiredRule) -> bool:
        cond = fired.rule.condition
        return cond is None or eval_predicate(cond, scope)

    def verdict(
        allowed: bool, how: str, rule: FiredRule | None, reason: str, denials: list[FiredRule]
    ) -> Decision:
        return Decision(tool=tool, allowed=allowed, enforcement=how, rule=rule, reason=reason,
                        denials=tuple(denials), session=scope.session)  # fmt: skip

    denials: list[FiredRule] = []
    hard_allow: FiredRule | None = None
    for fired in [f for f in hard if f.rule.outcome == "deny"] + [
        f for f in hard if f.rule.outcome == "allow"
    ]:
        if fired.rule.outcome == "allow" and denials:
            break
        if fires(fired):
            if fired.rule.outcome == "deny":
                denials.append(fired)
                if fail_fast:
                    break
            elif hard_allow is None:
                hard_allow = fired
                break
    if denials:
        return verdict(False, "hard", denials[0], _why(denials[0]), denials)
    if hard_allow is not None:
        return verdict(True, "hard", hard_allow, _why(hard_allow), denials)
    listed = [f for f in hard if f.rule.outcome == "allow"]
    if listed:
        why = f"no hard allow rule of tool {listed[0].tool} matched (they list when it may run)"
        return verdict(False, "hard", listed[0], why, denials)
    default_why = f"no rule decided; default_allow={default} ({level})"
    if level == "hard":
        return verdict(default, "hard", None, default_why, denials)
    firing = [f for f in soft if fires(f)]
    if firing:
        top = [f for f in firing if f.priority == firing[0].priority]
        chosen = next((f for f in top if f.rule.outcome == "deny"), top[0])
        soft_denials = [f for f in firing if f.rule.outcome == "deny"]
        return verdict(chosen.rule.outcome == "allow", "soft", chosen, _why(chosen), soft_denials)
    return verdict(default, "soft", None, default_why, denials)


def _why(fired: FiredRule) -> str:
    return f"rule '{fired.text}' (line {fired.rule.line}) of tool {fired.tool} matched"


def apply_result(
    policy: str | ast.Program | Policy,
    call: ToolCall,
    result: Value | Any,
    session: Meta | None = None,
    *,
    combine_meta: Literal["merge", "replace", "ignore"] = "merge",
    session_value: Any = None,
) -> ResultOutcome:
    """
    Compute the result's metadata and run `result` and `session after` updates.

    Args:
        policy: SQRT source, a parsed `Program` or a `Policy`.
        call: The call that produced the result.
        result: A raw value, or a `Value` carrying metadata the tool returned itself.
        session: Session metadata (normally `Decision.session`).
        combine_meta: How the tool's own metadata combines with the propagated metadata:
            `merge` (propagation rules), `replace` (tool's only) or `ignore` (propagated only).
        session_value: The value behind `@session.value`.

    Returns:
        The result with its metadata, the updated session and arguments.

    Raises:
        SqrtParseError: When source text does not parse.
        SqrtEvalError: When the policy cannot be evaluated.
    """
    compiled = Policy.coerce(policy)
    automatic = propagate(*(v.meta for v in call.args.values()))
    if isinstance(result, Value):
        meta = {"merge": propagate(automatic, result.meta), "replace": result.meta}.get(
            combine_meta, automatic
        )
        start = Value(result.value, meta)
    else:
        start = Value(result, automatic)
    scope = Scope(compiled.lets(), dict(call.args), session or Meta(), session_value, start)
    try:
        _run_updates(compiled.updates(call.name, "result"), scope, "a result block")
        _run_updates(compiled.updates(call.name, "after"), scope, "a session after block")
    except RecursionError:
        raise SqrtEvalError("policy is nested too deeply to evaluate") from None
    assert scope.result is not None
    return ResultOutcome(result=scope.result, session=scope.session, args=scope.args)
