"""
The SQRT syntax tree: frozen attrs nodes with source positions, plus `walk` and `children`.

Positions (`line`, `column`, `end_line`) are excluded from equality and hashing, so two trees
compare equal when they describe the same program, wherever it was written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeAlias

import attrs

__all__ = [
    "And", "ArgsAggregate", "BoolDomain", "BoolLit", "CheckRule", "Comment",
    "ConditionalUpdate", "DatetimeDomain", "FloatDomain", "Group", "IntDomain", "LetDecl",
    "MetaAccess", "Name", "Node", "Not", "Number", "Or", "Priority", "Program", "Range",
    "ResultBlock", "SessionBlock", "SetBinary", "SetCompare", "SetLiteral", "SetTest", "SetWith",
    "StrDomain", "StringLit", "ToolBlock", "ToolShorthand", "Update", "ValueAccess", "ValueEquals",
    "ValueIn", "children", "walk",
]  # fmt: skip


def _pos() -> Any:
    return attrs.field(default=0, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Node:
    """
    Base class of every syntax-tree node.

    Attributes:
        line: 1-based line where the construct starts (0 when built by hand).
        column: 1-based column where the construct starts (0 when built by hand).
    """

    line: int = _pos()
    column: int = _pos()


# -- literals and elements -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StringLit(Node):
    """A string literal; `kind` is `string`, `regex` (`r"…"`), `wildcard` (`w"…"`) or `datetime` (`d"…"`)."""

    kind: str
    body: str  # the text between the quotes, escapes left as written

    @property
    def value(self) -> str:
        """The body with backslash escapes resolved (`\\n`, `\\t`, `\\r`; `\\x` gives `x`)."""
        if "\\" not in self.body:
            return self.body
        out: list[str] = []
        chars = iter(self.body)
        for ch in chars:
            if ch == "\\":
                nxt = next(chars, "")
                out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
            else:
                out.append(ch)
        return "".join(out)


@attrs.frozen(kw_only=True)
class Number(Node):
    """A number literal kept as written (`42`, `-1.5`, `+inf`)."""

    raw: str

    @property
    def value(self) -> int | float:
        """The numeric value: `int` for integers, `float` for decimals and infinities."""
        if self.raw.lstrip("+-") == "inf":
            return float(self.raw)
        if "." in self.raw:
            return float(self.raw)
        return int(self.raw)


@attrs.frozen(kw_only=True)
class BoolLit(Node):
    """A `true` or `false` literal."""

    value: bool


@attrs.frozen(kw_only=True)
class Range(Node):
    """
    A range of numbers or datetimes; `op` is one of `..`, `..<`, `<..`, `<..<` or None for an exact value.

    An exact value has only `low`; `..5` has only `high`; `5..` has only `low` and an `op`.
    """

    low: Number | StringLit | None
    op: str | None
    high: Number | StringLit | None


@attrs.frozen(kw_only=True)
class BoolDomain(Node):
    """The type domain `bool true|false`."""

    value: BoolLit


@attrs.frozen(kw_only=True)
class IntDomain(Node):
    """The type domain `int <range>`."""

    range: Range


@attrs.frozen(kw_only=True)
class FloatDomain(Node):
    """The type domain `float <range>`."""

    range: Range


@attrs.frozen(kw_only=True)
class StrDomain(Node):
    """The type domain `str "x"`, `str matching r"…"` or `str like w"…"`, with optional `length`."""

    mode: str  # "exact" | "matching" | "like"
    pattern: StringLit
    length: Range | None = None


@attrs.frozen(kw_only=True)
class DatetimeDomain(Node):
    """The type domain `datetime <spec>` (datetime strings, plain strings or epoch numbers)."""

    range: Range


TypeDomain: TypeAlias = BoolDomain | IntDomain | FloatDomain | StrDomain | DatetimeDomain
Element: TypeAlias = StringLit | Number | TypeDomain

# -- sets ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SetLiteral(Node):
    """A set literal `{a, b, …}` (possibly empty)."""

    elements: tuple[Element, ...]


@attrs.frozen(kw_only=True)
class MetaAccess(Node):
    """
    A metadata set: `arg.tags`, `@result.tags`, `@session.tags` or context `@tags`.

    `scope` is `arg`, `result`, `session` or `context`; `name` is the argument name for `arg`.
    """

    scope: str
    field: str
    name: str | None = None


@attrs.frozen(kw_only=True)
class ArgsAggregate(Node):
    """
    A field aggregated over all arguments.

    `form` records the spelling: `at` (`@args.tags`), `at_suffix` (`@args.tags.union`) or `of`
    (`union of tags from args`); `mode` is `union` or `intersect`.
    """

    field: str
    mode: str
    form: str


@attrs.frozen(kw_only=True)
class Name(Node):
    """A reference to a `let` name (a predicate or a set; names are untyped when parsing)."""

    name: str


@attrs.frozen(kw_only=True)
class Group(Node):
    """A parenthesised set expression or predicate."""

    inner: Expr


@attrs.frozen(kw_only=True)
class SetBinary(Node):
    """A left-associative chain of set operators of one precedence level (`a | b union c`)."""

    operands: tuple[SetExpr, ...]
    ops: tuple[str, ...]


@attrs.frozen(kw_only=True)
class SetWith(Node):
    """A set with elements added or removed: `base with "a" without "b"`."""

    base: SetExpr
    ops: tuple[str, ...]
    elements: tuple[Element, ...]


SetExpr: TypeAlias = SetLiteral | MetaAccess | ArgsAggregate | Name | Group | SetBinary | SetWith

# -- predicates ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ValueAccess(Node):
    """A value: `arg.value`, `@result.value` or `@session.value` (`scope` as in `MetaAccess`)."""

    scope: str
    name: str | None = None


ValueOperand: TypeAlias = ValueAccess | StringLit | Number | BoolLit


@attrs.frozen(kw_only=True)
class ValueIn(Node):
    """The comparison `<value> in <set>`."""

    value: ValueOperand
    set: SetExpr


@attrs.frozen(kw_only=True)
class ValueEquals(Node):
    """The comparison `<value> == <value>`."""

    left: ValueOperand
    right: ValueOperand


@attrs.frozen(kw_only=True)
class SetCompare(Node):
    """A set comparison; `op` is `overlaps`, `subset`, `superset` or `==`."""

    left: SetExpr
    op: str
    right: SetExpr


@attrs.frozen(kw_only=True)
class SetTest(Node):
    """The test `<set> is empty` or `<set> is universal`; `test` is `empty` or `universal`."""

    operand: SetExpr
    test: str


@attrs.frozen(kw_only=True)
class Not(Node):
    """Negation `not <predicate>`."""

    operand: Predicate


@attrs.frozen(kw_only=True)
class And(Node):
    """Conjunction of two or more predicates."""

    operands: tuple[Predicate, ...]


@attrs.frozen(kw_only=True)
class Or(Node):
    """Disjunction of two or more predicates."""

    operands: tuple[Predicate, ...]


Predicate: TypeAlias = ValueIn | ValueEquals | SetCompare | SetTest | Not | And | Or | Name | Group
Expr: TypeAlias = Predicate | SetExpr | TypeDomain

# -- statements ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Statement(Node):
    """
    Base of line-level items, which carry doc comments and the line where they end.

    Attributes:
        docs: The `///` doc comments written before the item, as written.
        end_line: 1-based line of the item's last token (0 when built by hand).
    """

    docs: tuple[str, ...] = ()
    end_line: int = _pos()


@attrs.frozen(kw_only=True)
class Update(Statement):
    """A metadata update `target = set` or `target op= set`."""

    target: MetaAccess
    op: str
    value: SetExpr


@attrs.frozen(kw_only=True)
class ConditionalUpdate(Statement):
    """A conditional block `when <predicate> { update; … }`."""

    condition: Predicate
    updates: tuple[Update, ...]


@attrs.frozen(kw_only=True)
class Priority(Statement):
    """A tool member `priority N;`."""

    value: Number


@attrs.frozen(kw_only=True)
class CheckRule(Statement):
    """A check rule such as `must deny when P;`; `condition` is None for `always`."""

    enforcement: str  # must | hard | should | soft
    outcome: str  # allow | deny
    condition: Predicate | None

    @property
    def is_hard(self) -> bool:
        """True for `must`/`hard` rules."""
        return self.enforcement in ("must", "hard")


@attrs.frozen(kw_only=True)
class ResultBlock(Statement):
    """A `result { … }` member."""

    statements: tuple[Update | ConditionalUpdate, ...]


@attrs.frozen(kw_only=True)
class SessionBlock(Statement):
    """A `session before { … }` or `session after { … }` member."""

    timing: str
    statements: tuple[Update | ConditionalUpdate, ...]


Member: TypeAlias = Priority | CheckRule | ResultBlock | SessionBlock


@attrs.frozen(kw_only=True)
class LetDecl(Statement):
    """A declaration `let name = expression;`."""

    name: str
    value: Expr


@attrs.frozen(kw_only=True)
class ToolBlock(Statement):
    """A declaration `tool "id" { … }`; `tool` is a plain or regex string."""

    tool: StringLit
    members: tuple[Member, ...]


@attrs.frozen(kw_only=True)
class ToolShorthand(Statement):
    """
    A one-line update `tool "id" [N] -> target @field op set [when P];`.

    `target` is spelled as written: "", `result`, `session`, `session before` or `session after`.
    """

    tool: StringLit
    priority: Number | None
    target: str
    field: str
    op: str
    value: SetExpr
    condition: Predicate | None


Declaration: TypeAlias = LetDecl | ToolBlock | ToolShorthand


@attrs.frozen(kw_only=True)
class Comment(Node):
    """A `//` or `/* */` comment kept for the formatter (`text` includes the delimiters)."""

    text: str
    end_line: int = _pos()


@attrs.frozen(kw_only=True)
class Program(Node):
    """A whole SQRT program: its declarations and its ordinary comments."""

    declarations: tuple[Declaration, ...]
    comments: tuple[Comment, ...] = ()


def children(node: Node) -> tuple[Node, ...]:
    """
    Return the direct child nodes of `node`, in source order.

    Args:
        node: Any syntax-tree node.

    Returns:
        The nodes held in its fields (comments of a `Program` come last).
    """
    out: list[Node] = []
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if isinstance(value, Node):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(item for item in value if isinstance(item, Node))
    return tuple(out)


def walk(node: Node) -> Iterator[Node]:
    """
    Yield `node` and all its descendants, depth first, parents before children.

    Args:
        node: The root to start from.

    Yields:
        Every node of the subtree in source order; works without recursion.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
