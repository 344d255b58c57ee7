"""Evaluation of SQRT predicates, set expressions and value matching within one tool call."""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import attrs

from . import _ast as ast
from ._errors import SqrtEvalError
from ._sets import Meta, MetaSet, Value

__all__ = ["Scope", "eval_predicate", "eval_set"]

_PREDICATES = (ast.ValueIn, ast.ValueEquals, ast.SetCompare, ast.SetTest, ast.Not, ast.And, ast.Or)
_DOMAINS = (ast.BoolDomain, ast.IntDomain, ast.FloatDomain, ast.StrDomain, ast.DatetimeDomain)
_ABSENT = Value()


@attrs.define
class Scope:
    """
    Everything an expression can see while one tool call is evaluated.

    Args:
        lets: Each `let` name mapped to its expression and the names visible to it.
        args: The call's arguments.
        session: The session metadata (updated in place by session blocks).
        session_value: The value behind `@session.value`.
        result: The tool result, once it exists.
        context: What `@field` means here: `session` or `result`.
        where: A phrase naming the block being evaluated, for error messages.
    """

    lets: Mapping[str, tuple[ast.Expr, Mapping[str, Any]]]
    args: dict[str, Value]
    session: Meta
    session_value: Any = None
    result: Value | None = None
    context: str = "session"
    where: str = "a check rule"
    memo: dict[tuple[int, str], Any] = attrs.field(factory=dict)

    def meta(self, access: ast.MetaAccess) -> MetaSet:
        """Read the metadata set named by an accessor."""
        scope = access.scope if access.scope != "context" else self.context
        if scope == "arg":
            return self.args.get(access.name or "", _ABSENT).meta.get(access.field)
        if scope == "session":
            return self.session.get(access.field)
        return self.require_result(access).meta.get(access.field)

    def require_result(self, node: ast.Node) -> Value:
        """Return the result, or fail because it does not exist yet."""
        if self.result is None:
            raise SqrtEvalError(f"line {node.line}: @result is not available in {self.where}")
        return self.result


def eval_predicate(node: ast.Expr, scope: Scope) -> bool:
    """
    Evaluate a predicate.

    Args:
        node: The predicate node (a `Name` must refer to a predicate `let`).
        scope: What the predicate can see.

    Returns:
        Its truth value.

    Raises:
        SqrtEvalError: On an undefined name, a set used as a predicate or a bad regex.
    """
    if isinstance(node, ast.Group):
        return eval_predicate(node.inner, scope)
    if isinstance(node, ast.Name):
        expr, lets = _lookup(node, scope)
        return bool(_memo(scope, expr, "pred", lambda: eval_predicate(expr, _inner(scope, lets))))
    if isinstance(node, ast.Not):
        return not eval_predicate(node.operand, scope)
    if isinstance(node, ast.And):
        return all(eval_predicate(p, scope) for p in node.operands)
    if isinstance(node, ast.Or):
        return any(eval_predicate(p, scope) for p in node.operands)
    if isinstance(node, ast.ValueIn):
        value = _value(node.value, scope)
        target = eval_set(node.set, scope)
        if target.cofinite:
            return value in target
        return any(_matches(element, value) for element in target.items)
    if isinstance(node, ast.ValueEquals):
        return _equal(_value(node.left, scope), _value(node.right, scope))
    if isinstance(node, ast.SetTest):
        operand = eval_set(node.operand, scope)
        return operand.is_empty if node.test == "empty" else operand.is_universal
    if isinstance(node, ast.SetCompare):
        left, right = eval_set(node.left, scope), eval_set(node.right, scope)
        if node.op == "overlaps":
            return not left.intersect(right).is_empty
        if node.op == "subset":
            return left.minus(right).is_empty
        if node.op == "superset":
            return right.minus(left).is_empty
        return left == right
    raise SqrtEvalError(
        f"line {node.line}: a set or type domain is used where a predicate is needed"
    )


def eval_set(node: ast.Expr, scope: Scope) -> MetaSet:
    """
    Evaluate a set expression.

    Args:
        node: The set node (a `Name` must refer to a set or type-domain `let`).
        scope: What the expression can see.

    Returns:
        The set; elements are strings, numbers or pattern nodes (regex, wildcard, domains).

    Raises:
        SqrtEvalError: On an undefined name or a predicate used as a set.
    """
    if isinstance(node, ast.SetLiteral):
        return MetaSet.of(_element(e) for e in node.elements)
    if isinstance(node, ast.MetaAccess):
        return scope.meta(node)
    if isinstance(node, ast.ArgsAggregate):
        sets = [v.meta.get(node.field) for v in scope.args.values()]
        if node.mode == "union":
            return _fold(sets, MetaSet(), MetaSet.union)
        return _fold(sets, MetaSet.of("*"), MetaSet.intersect)
    if isinstance(node, ast.Group):
        return eval_set(node.inner, scope)
    if isinstance(node, ast.Name):
        expr, lets = _lookup(node, scope)
        if isinstance(expr, _DOMAINS):
            return MetaSet.of([expr])
        result = _memo(scope, expr, "set", lambda: eval_set(expr, _inner(scope, lets)))
        assert isinstance(result, MetaSet)
        return result
    if isinstance(node, ast.SetWith):
        result = eval_set(node.base, scope)
        for op, element in zip(node.ops, node.elements, strict=True):
            single = MetaSet.of([_element(element)])
            result = result.union(single) if op == "with" else result.minus(single)
        return result
    if isinstance(node, ast.SetBinary):
        result = eval_set(node.operands[0], scope)
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            right = eval_set(operand, scope)
            if op in ("|", "union"):
                result = result.union(right)
            elif op in ("&", "intersect"):
                result = result.intersect(right)
            elif op in ("-", "minus"):
                result = result.minus(right)
            else:
                result = result.xor(right)
        return result
    raise SqrtEvalError(f"line {node.line}: a predicate is used where a set is needed")


def _fold(sets: list[MetaSet], start: MetaSet, op: Any) -> MetaSet:
    for item in sets:
        start = op(start, item)
    return start


def _lookup(node: ast.Name, scope: Scope) -> tuple[ast.Expr, Mapping[str, Any]]:
    entry = scope.lets.get(node.name)
    if entry is None:
        raise SqrtEvalError(f"line {node.line}: undefined name {node.name!r}")
    expr, lets = entry
    while isinstance(expr, ast.Name):  # lets only see earlier lets, so this terminates
        entry = lets.get(expr.name)
        if entry is None:
            raise SqrtEvalError(f"line {expr.line}: undefined name {expr.name!r}")
        expr, lets = entry
    return expr, lets


def _inner(scope: Scope, lets: Mapping[str, Any]) -> Scope:
    return attrs.evolve(scope, lets=lets, memo=scope.memo)


def _memo(scope: Scope, expr: ast.Expr, mode: str, compute: Any) -> Any:
    key = (id(expr), mode)
    if key not in scope.memo:
        scope.memo[key] = compute()
    return scope.memo[key]


def _element(node: ast.Element) -> Hashable:
    if isinstance(node, ast.StringLit) and node.kind == "string":
        return node.value
    if isinstance(node, ast.Number):
        return node.value
    return node


def _value(node: ast.ValueOperand, scope: Scope) -> Any:
    if isinstance(node, ast.ValueAccess):
        if node.scope == "arg":
            return scope.args.get(node.name or "", _ABSENT).value
        if node.scope == "session":
            return scope.session_value
        return scope.require_result(node).value
    if isinstance(node, ast.StringLit):
        return _to_datetime(node.value) if node.kind == "datetime" else node.value
    if isinstance(node, ast.Number):
        return node.value
    return node.value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, datetime) or isinstance(right, datetime):
        a, b = _to_datetime(left), _to_datetime(right)
        return a is not None and a == b
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return bool(left == right)


def _matches(element: Hashable, value: Any) -> bool:
    """Whether a set element (literal or pattern) matches a value (`value in S`)."""
    if isinstance(element, str):
        return isinstance(value, str) and value == element
    if _is_number(element):
        return _is_number(value) and value == element
    if isinstance(element, ast.StringLit):
        if not isinstance(value, str):
            return False
        if element.kind == "regex":
            return _regex(element.body, element.line).fullmatch(value) is not None
        return _wildcard(element.value).fullmatch(value) is not None
    if isinstance(element, ast.BoolDomain):
        return isinstance(value, bool) and value == element.value.value
    if isinstance(element, ast.IntDomain):
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and _in_range(element.range, value)
        )
    if isinstance(element, ast.FloatDomain):
        return _is_number(value) and _in_range(element.range, value)
    if isinstance(element, ast.StrDomain):
        return isinstance(value, str) and _str_matches(element, value)
    if isinstance(element, ast.DatetimeDomain):
        moment = _to_datetime(value)
        return moment is not None and _in_range(element.range, moment)
    return bool(element == value)


def _str_matches(domain: ast.StrDomain, value: str) -> bool:
    if domain.length is not None and not _in_range(domain.length, len(value)):
        return False
    if domain.mode == "exact":
        return value == domain.pattern.value
    if domain.mode == "matching":
        return _regex(domain.pattern.body, domain.pattern.line).fullmatch(value) is not None
    return _wildcard(domain.pattern.value).fullmatch(value) is not None


def _in_range(rng: ast.Range, value: Any) -> bool:
    low = _bound(rng.low, value)
    high = _bound(rng.high, value)
    if rng.op is None:
        return low is not None and value == low
    if low is not None:
        if rng.op.startswith("<") and not value > low:
            return False
        if not rng.op.startswith("<") and not value >= low:
            return False
    if high is not None:
        if rng.op.endswith("<") and not value < high:
            return False
        if not rng.op.endswith("<") and not value <= high:
            return False
    return True


def _bound(node: ast.Number | ast.StringLit | None, like: Any) -> Any:
    if node is None:
        return None
    raw = node.value
    if isinstance(like, datetime):
        return _to_datetime(raw)
    return raw


def _to_datetime(value: Any) -> datetime | None:
    """ISO-8601 text or epoch seconds to an aware datetime (naive ones are taken as UTC)."""
    if isinstance(value, datetime):
        moment = value
    elif _is_number(value) and math.isfinite(value):
        return datetime.fromtimestamp(value, tz=UTC)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@lru_cache(maxsize=512)
def _regex(pattern: str, line: int) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SqrtEvalError(f'line {line}: invalid regex r"{pattern}": {exc}') from None


@lru_cache(maxsize=512)
def _wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S
    )
