"""
The canonical SQRT formatter.

Layout: four-space indentation, one member or statement per line, single spaces around
operators, one blank line around tool blocks and between declarations of different kinds.
The token sequence is never changed, so the output parses to the same tree; ordinary comments
are kept (comments written inside a multi-line statement move to the line above it).
"""

from __future__ import annotations

from collections.abc import Callable

from . import _ast as ast
from ._parser import parse_tree

__all__ = ["format", "format_expr", "format_tree"]

_INDENT = "    "


def format(code: str) -> str:
    """
    Format SQRT source in the canonical layout.

    Args:
        code: The program text.

    Returns:
        The formatted text, ending with one newline (empty for an empty program).

    Raises:
        SqrtParseError: When the text is not a valid program.
    """
    return format_tree(parse_tree(code))


def format_tree(program: ast.Program) -> str:
    """
    Render a syntax tree in the canonical layout.

    Args:
        program: A parsed (or hand-built) program.

    Returns:
        The formatted text, ending with one newline (empty for an empty program).
    """
    return _Printer(program).run()


class _Printer:
    """Emits lines, placing each comment before, after or inside the item it belongs to."""

    def __init__(self, program: ast.Program) -> None:
        self.program = program
        self.comments = sorted(program.comments, key=lambda c: (c.line, c.column))
        self.next_comment = 0
        self.lines: list[str] = []

    def run(self) -> str:
        previous: ast.Declaration | None = None
        for decl in self.program.declarations:
            if previous is not None and _blank_between(previous, decl):
                self.lines.append("")
            self.declaration(decl)
            previous = decl
        rest = self.take(lambda c: True)
        if rest and self.lines:
            self.lines.append("")
        self.lines.extend(c.text for c in rest)
        return "\n".join(self.lines) + "\n" if self.lines else ""

    # -- comments ----------------------------------------------------------------------------

    def take(self, accept: Callable[[ast.Comment], bool]) -> list[ast.Comment]:
        """Consume pending comments, in order, while `accept` holds."""
        out: list[ast.Comment] = []
        while self.next_comment < len(self.comments) and accept(self.comments[self.next_comment]):
            out.append(self.comments[self.next_comment])
            self.next_comment += 1
        return out

    def leading(self, item: ast.Statement, indent: str, through_line: int = 0) -> None:
        """Emit comments written before `item` (or on lines before `through_line`), then docs."""
        start = (item.line, item.column)
        for comment in self.take(lambda c: (c.line, c.column) < start or c.line < through_line):
            self.lines.append(indent + comment.text)
        for doc in item.docs:
            self.lines.append(indent + "///" + doc)

    def emit_leaf(self, item: ast.Statement, indent: str, text: str) -> None:
        """Emit a one-line item with its comments (inner ones above, same-line ones after)."""
        self.leading(item, indent, through_line=item.end_line)
        self.lines.append(indent + text + self.trailing(item.end_line))

    def trailing(self, line: int) -> str:
        """Consume the comments starting on `line` and render them after a line's text."""
        found = self.take(lambda c: c.line <= line)
        return "".join(" " + c.text for c in found)

    def emit_container(
        self,
        item: ast.Statement,
        indent: str,
        header: str,
        body: Callable[[str], None],
        empty: bool,
    ) -> None:
        """Emit `header {`, the body one level deeper, then `}` with their comments."""
        self.leading(item, indent)
        inner = indent + _INDENT
        pending = self.next_comment < len(self.comments) and (
            self.comments[self.next_comment].line < item.end_line
        )
        if empty and not pending:
            self.lines.append(f"{indent}{header} {{}}" + self.trailing(item.end_line))
            return
        self.lines.append(f"{indent}{header} {{" + self.trailing(item.line))
        body(inner)
        for comment in self.take(lambda c: c.line < item.end_line):
            self.lines.append(inner + comment.text)
        self.lines.append(indent + "}" + self.trailing(item.end_line))

    # -- statements --------------------------------------------------------------------------

    def declaration(self, decl: ast.Declaration) -> None:
        if isinstance(decl, ast.LetDecl):
            self.emit_leaf(decl, "", f"let {decl.name} = {format_expr(decl.value)};")
        elif isinstance(decl, ast.ToolShorthand):
            self.emit_leaf(decl, "", _shorthand(decl))
        else:
            header = f"tool {format_expr(decl.tool)}"

            def body(indent: str) -> None:
                for member in decl.members:
                    self.member(member, indent)

            self.emit_container(decl, "", header, body, not decl.members)

    def member(self, member: ast.Member, indent: str) -> None:
        if isinstance(member, ast.Priority):
            self.emit_leaf(member, indent, f"priority {member.value.raw};")
        elif isinstance(member, ast.CheckRule):
            cond = "always" if member.condition is None else "when " + format_expr(member.condition)
            self.emit_leaf(member, indent, f"{member.enforcement} {member.outcome} {cond};")
        else:
            header = "result" if isinstance(member, ast.ResultBlock) else f"session {member.timing}"
            stmts = member.statements

            def body(inner: str) -> None:
                for stmt in stmts:
                    self.statement(stmt, inner)

            self.emit_container(member, indent, header, body, not stmts)

    def statement(self, stmt: ast.Update | ast.ConditionalUpdate, indent: str) -> None:
        if isinstance(stmt, ast.Update):
            self.emit_leaf(stmt, indent, _update(stmt))
            return

        def body(inner: str) -> None:
            for update in stmt.updates:
                self.emit_leaf(update, inner, _update(update))

        header = "when " + format_expr(stmt.condition)
        self.emit_container(stmt, indent, header, body, not stmt.updates)


def _blank_between(previous: ast.Declaration, current: ast.Declaration) -> bool:
    if isinstance(previous, ast.ToolBlock) or isinstance(current, ast.ToolBlock):
        return True
    return type(previous) is not type(current)


def _update(update: ast.Update) -> str:
    return f"{format_expr(update.target)} {update.op} {format_expr(update.value)};"


def _shorthand(decl: ast.ToolShorthand) -> str:
    parts = ["tool", format_expr(decl.tool)]
    if decl.priority is not None:
        parts.append(f"[{decl.priority.raw}]")
    parts.append("->")
    if decl.target:
        parts.append(decl.target)
    parts += [f"@{decl.field}", decl.op, format_expr(decl.value)]
    if decl.condition is not None:
        parts += ["when", format_expr(decl.condition)]
    return " ".join(parts) + ";"


def format_expr(node: ast.Node) -> str:
    """
    Render one expression node (predicate, set, value, element or domain) on a single line.

    Args:
        node: The expression node.

    Returns:
        Its canonical text.
    """
    render = _RENDER.get(type(node))
    if render is None:
        raise TypeError(f"not an expression node: {type(node).__name__}")
    return render(node)


def _range(node: ast.Range) -> str:
    low = "" if node.low is None else format_expr(node.low)
    high = "" if node.high is None else format_expr(node.high)
    return f"{low}{node.op or ''}{high}"


def _str_domain(node: ast.StrDomain) -> str:
    mode = "" if node.mode == "exact" else node.mode + " "
    length = "" if node.length is None else " length " + _range(node.length)
    return f"str {mode}{format_expr(node.pattern)}{length}"


def _meta(node: ast.MetaAccess) -> str:
    if node.scope == "arg":
        return f"{node.name}.{node.field}"
    if node.scope == "context":
        return f"@{node.field}"
    return f"@{node.scope}.{node.field}"


def _aggregate(node: ast.ArgsAggregate) -> str:
    if node.form == "of":
        return f"{node.mode} of {node.field} from args"
    suffix = "." + node.mode if node.form == "at_suffix" else ""
    return f"@args.{node.field}{suffix}"


def _set_with(node: ast.SetWith) -> str:
    parts = [format_expr(node.base)]
    for op, element in zip(node.ops, node.elements, strict=True):
        parts += [op, format_expr(element)]
    return " ".join(parts)


def _set_binary(node: ast.SetBinary) -> str:
    parts = [format_expr(node.operands[0])]
    for op, operand in zip(node.ops, node.operands[1:], strict=True):
        parts += [op, format_expr(operand)]
    return " ".join(parts)


def _set_compare(node: ast.SetCompare) -> str:
    op = node.op + " of" if node.op in ("subset", "superset") else node.op
    return f"{format_expr(node.left)} {op} {format_expr(node.right)}"


def _value(node: ast.ValueAccess) -> str:
    return f"{node.name}.value" if node.scope == "arg" else f"@{node.scope}.value"


_RENDER: dict[type, Callable[..., str]] = {
    ast.StringLit: lambda n: (
        {"string": "", "regex": "r", "wildcard": "w", "datetime": "d"}[n.kind] + f'"{n.body}"'
    ),
    ast.Number: lambda n: n.raw,
    ast.BoolLit: lambda n: "true" if n.value else "false",
    ast.Range: _range,
    ast.BoolDomain: lambda n: "bool " + format_expr(n.value),
    ast.IntDomain: lambda n: "int " + _range(n.range),
    ast.FloatDomain: lambda n: "float " + _range(n.range),
    ast.StrDomain: _str_domain,
    ast.DatetimeDomain: lambda n: "datetime " + _range(n.range),
    ast.SetLiteral: lambda n: "{" + ", ".join(format_expr(e) for e in n.elements) + "}",
    ast.MetaAccess: _meta,
    ast.ArgsAggregate: _aggregate,
    ast.Name: lambda n: n.name,
    ast.Group: lambda n: "(" + format_expr(n.inner) + ")",
    ast.SetBinary: _set_binary,
    ast.SetWith: _set_with,
    ast.ValueAccess: _value,
    ast.ValueIn: lambda n: f"{format_expr(n.value)} in {format_expr(n.set)}",
    ast.ValueEquals: lambda n: f"{format_expr(n.left)} == {format_expr(n.right)}",
    ast.SetCompare: _set_compare,
    ast.SetTest: lambda n: f"{format_expr(n.operand)} is {n.test}",
    ast.Not: lambda n: "not " + format_expr(n.operand),
    ast.And: lambda n: " and ".join(format_expr(p) for p in n.operands),
    ast.Or: lambda n: " or ".join(format_expr(p) for p in n.operands),
}
