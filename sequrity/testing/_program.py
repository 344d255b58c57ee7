"""
The lang-graph endpoint's program interpreter (pure): ``user_provided_program`` is parsed with `ast`,
checked against a whitelist of the constructs a LangGraph compiler emits (this SDK's dispatcher loop
and the official SDK's straight-line program), then run by replay.

Replay: the program runs from the start on every request, with the tool results the session already
received returned, in order, by the first calls of tools; the first call without a result stops the
run and becomes the next tool call. Whitelisted:

- statements: ``x = e``, ``x[e] = e``, ``for x in e:`` / ``for x, y in e:``, ``if``/``elif``/``else``,
  ``pass``, and a bare call such as ``x[k].extend(v)``;
- expressions: constants, names, ``x[e]``, comparisons (``==``, ``!=``, ``in``, ``not in``),
  ``and``/``or``/``not``;
- calls: a tool of the request with keyword arguments, ``range(...)``, ``isinstance(x, list|dict|str|
  int|float|bool)``, and the methods ``items``, ``get`` (of dicts) and ``extend``, ``append`` (of
  lists).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Collection, Mapping, Sequence
from typing import Any, NoReturn

import attrs

__all__ = [
    "Completed",
    "ExecutionFailed",
    "PendingCall",
    "ProgramRejected",
    "ReplayMismatch",
    "check_program",
    "run_program",
]

_TYPES: dict[str, type] = {
    "list": list,
    "dict": dict,
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
}
_METHODS: dict[str, type] = {"items": dict, "get": dict, "extend": list, "append": list}
_COMPARE = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)
#: Statements and expressions one run may evaluate before it is stopped.
DEFAULT_BUDGET = 200_000


class ProgramRejected(Exception):
    """
    The program uses a construct outside the whitelist (or does not parse).
    """


class ReplayMismatch(Exception):
    """
    The program's calls do not match the tool results the session received.
    """


class ExecutionFailed(Exception):
    """
    The program failed while running (the server reports it as a failure result).

    Attributes:
        code: ``ProgramExecutionError`` or ``ExecutionLimitExceeded``.
        message: What went wrong, with the line.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@attrs.frozen
class PendingCall:
    """
    The next tool call: the program cannot go on without its result.
    """

    name: str
    arguments: dict[str, Any]


@attrs.frozen
class Completed:
    """
    The program ran to its end.
    """

    final_return_value: Any


def _reject(node: ast.AST, what: str) -> NoReturn:
    line = getattr(node, "lineno", 0)
    raise ProgramRejected(f"line {line}: {what} is not allowed")


class _Checker:
    def __init__(self, tools: Collection[str]) -> None:
        self.tools = set(tools)

    def statements(self, body: Sequence[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign):
            if len(node.targets) != 1:
                _reject(node, "chained assignment")
            self.target(node.targets[0])
            self.expr(node.value)
        elif isinstance(node, ast.For):
            target = node.target
            names = target.elts if isinstance(target, ast.Tuple) else [target]
            if not all(isinstance(n, ast.Name) for n in names) or node.orelse:
                _reject(node, "this form of 'for'")
            self.expr(node.iter)
            self.statements(node.body)
        elif isinstance(node, ast.If):
            self.expr(node.test)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            self.expr(node.value)
        elif not isinstance(node, ast.Pass):
            _reject(node, f"a {type(node).__name__} statement")

    def target(self, node: ast.expr) -> None:
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            self.expr(node.slice)
        elif not isinstance(node, ast.Name):
            _reject(node, "this assignment target")

    def expr(self, node: ast.expr) -> None:
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, str | int | float | bool | type(None)):
                _reject(node, f"a {type(node.value).__name__} constant")
        elif isinstance(node, ast.Name):
            if node.id.startswith("__"):
                _reject(node, f"the name {node.id!r}")
        elif isinstance(node, ast.Subscript):
            self.expr(node.value)
            self.expr(node.slice)
        elif isinstance(node, ast.Compare):
            if len(node.ops) != 1 or not isinstance(node.ops[0], _COMPARE):
                _reject(node, "this comparison")
            self.expr(node.left)
            self.expr(node.comparators[0])
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.expr(value)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.expr(node.operand)
        elif isinstance(node, ast.Call):
            self.call(node)
        else:
            _reject(node, f"a {type(node).__name__} expression")

    def call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in _METHODS or node.keywords:
                _reject(node, f"the method call .{func.attr}()")
            self.expr(func.value)
        elif isinstance(func, ast.Name) and func.id in self.tools:
            if node.args or any(k.arg is None for k in node.keywords):
                _reject(node, f"calling the tool {func.id!r} without keyword arguments")
        elif isinstance(func, ast.Name) and func.id == "range":
            if node.keywords or not 1 <= len(node.args) <= 3:
                _reject(node, "this call of range()")
        elif isinstance(func, ast.Name) and func.id == "isinstance":
            kind = node.args[1] if len(node.args) == 2 else None
            if not isinstance(kind, ast.Name) or kind.id not in _TYPES or node.keywords:
                _reject(node, "this call of isinstance()")
            self.expr(node.args[0])
            return
        elif isinstance(func, ast.Name):
            _reject(node, f"calling {func.id!r} (not a tool of the request)")
        else:
            _reject(node, "this call")
        for arg in node.args:
            self.expr(arg)
        for keyword in node.keywords:
            self.expr(keyword.value)


def check_program(source: str, tools: Collection[str]) -> ast.Module:
    """
    Parse a program and check it against the whitelist.

    Args:
        source: The ``user_provided_program``.
        tools: The request's tool names (the only functions it may call besides builtins above).

    Returns:
        The parsed module.

    Raises:
        ProgramRejected: a syntax error or a construct outside the whitelist.
    """
    try:
        tree = ast.parse(source, "<user_provided_program>")
    except SyntaxError as exc:
        raise ProgramRejected(f"line {exc.lineno}: syntax error: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ProgramRejected(f"it cannot be parsed: {type(exc).__name__}") from None
    try:
        _Checker(tools).statements(tree.body)
    except RecursionError:
        raise ProgramRejected("it is nested too deeply") from None
    return tree


class _Stop(Exception):
    def __init__(self, call: PendingCall) -> None:
        self.call = call


class _Interpreter:
    def __init__(
        self, env: dict[str, Any], results: Sequence[tuple[str, Any]], budget: int
    ) -> None:
        self.env = env
        self.results = results
        self.used = 0
        self.budget = budget
        self.line = 0

    def tick(self, node: ast.AST) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise ExecutionFailed(
                "ExecutionLimitExceeded", f"line {self.line}: the program ran too long"
            )
        self.line = getattr(node, "lineno", self.line)

    def run(self, body: Sequence[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, node: ast.stmt) -> None:
        self.tick(node)
        if isinstance(node, ast.Assign):
            self.assign(node.targets[0], self.expr(node.value))
        elif isinstance(node, ast.For):
            items = self.expr(node.iter)
            # A copy, so that the body may change what it iterates over (ranges stay lazy).
            for item in items if isinstance(items, range) else list(items):
                self.bind(node.target, item)
                self.run(node.body)
        elif isinstance(node, ast.If):
            self.run(node.body if self.expr(node.test) else node.orelse)
        elif isinstance(node, ast.Expr):
            self.expr(node.value)

    def bind(self, target: ast.expr, item: Any) -> None:
        if isinstance(target, ast.Tuple):
            values = list(item)
            if len(values) != len(target.elts):
                raise ValueError(f"cannot unpack {len(values)} values into {len(target.elts)}")
            for name, value in zip(target.elts, values, strict=True):
                self.bind(name, value)
        else:
            self.assign(target, item)

    def assign(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
        else:
            assert isinstance(target, ast.Subscript)
            assert isinstance(target.value, ast.Name)
            self.name(target.value.id)[self.expr(target.slice)] = value

    def name(self, name: str) -> Any:
        if name not in self.env:
            raise NameError(f"name {name!r} is not defined")
        return self.env[name]

    def expr(self, node: ast.expr) -> Any:
        self.tick(node)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.Subscript):
            return self.expr(node.value)[self.expr(node.slice)]
        if isinstance(node, ast.Compare):
            left, right = self.expr(node.left), self.expr(node.comparators[0])
            op = node.ops[0]
            if isinstance(op, ast.Eq | ast.NotEq):
                return (left == right) is isinstance(op, ast.Eq)
            return (left in right) is isinstance(op, ast.In)
        if isinstance(node, ast.BoolOp):
            result: Any = None
            for value in node.values:
                result = self.expr(value)
                if bool(result) is isinstance(node.op, ast.Or):
                    return result
            return result
        if isinstance(node, ast.UnaryOp):
            return not self.expr(node.operand)
        assert isinstance(node, ast.Call)
        return self.call(node)

    def call(self, node: ast.Call) -> Any:
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = self.expr(func.value)
            if not isinstance(owner, _METHODS[func.attr]):
                raise AttributeError(
                    f"{type(owner).__name__!r} object has no attribute {func.attr!r}"
                )
            args = [self.expr(a) for a in node.args]
            if func.attr == "extend" and args:
                # Growing a list costs its new items, so self-doubling lists cannot exhaust memory.
                for _ in range(min(len(args[0]), self.budget + 1)):
                    self.tick(node)
            return getattr(owner, func.attr)(*args)
        assert isinstance(func, ast.Name)
        if func.id == "range":
            return range(*[self.expr(a) for a in node.args])
        if func.id == "isinstance":
            kind = node.args[1]
            assert isinstance(kind, ast.Name)
            return isinstance(self.expr(node.args[0]), _TYPES[kind.id])
        arguments = {k.arg: self.expr(k.value) for k in node.keywords if k.arg is not None}
        if self.used < len(self.results):
            name, value = self.results[self.used]
            if name != func.id:
                raise ReplayMismatch(
                    f"line {self.line}: the program calls {func.id!r} where the session's "
                    f"tool result #{self.used + 1} answered {name!r}"
                )
            self.used += 1
            return copy.deepcopy(value)
        raise _Stop(PendingCall(func.id, copy.deepcopy(arguments)))


def run_program(
    tree: ast.Module,
    bindings: Mapping[str, Any],
    results: Sequence[tuple[str, Any]],
    *,
    budget: int = DEFAULT_BUDGET,
) -> PendingCall | Completed:
    """
    Run a checked program by replay.

    Args:
        tree: The module from `check_program`.
        bindings: The initial variables (``initial_state``...); deep-copied.
        results: ``(tool name, decoded result)`` of every call answered so far, in order.
        budget: Most statements and expressions to evaluate.

    Returns:
        The next `PendingCall`, or `Completed` with ``final_return_value`` (`None` if unset).

    Raises:
        ReplayMismatch: the calls do not match `results`.
        ExecutionFailed: a runtime error, or the budget ran out.
    """
    interpreter = _Interpreter(copy.deepcopy(dict(bindings)), results, budget)
    try:
        interpreter.run(tree.body)
    except _Stop as stop:
        return stop.call
    except (ReplayMismatch, ExecutionFailed):
        raise
    except Exception as exc:
        raise ExecutionFailed(
            "ProgramExecutionError", f"line {interpreter.line}: {type(exc).__name__}: {exc}"
        ) from None
    if interpreter.used < len(results):
        raise ReplayMismatch(
            f"the program made {interpreter.used} tool calls but the session holds "
            f"{len(results)} results"
        )
    return Completed(interpreter.env.get("final_return_value"))
