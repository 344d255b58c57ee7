"""Recursive-descent parsing of SQRT predicates and set expressions."""

from __future__ import annotations

from typing import Any

from . import _ast as ast
from ._cursor import MAX_DEPTH, ParseFailure
from ._lexer import DATETIME, FLOAT, IDENT, INT, REGEX, STRING, WILDCARD, Token
from ._parse_literals import DOMAIN_WORDS, LiteralParser

__all__ = ["MAX_DEPTH", "ExprParser", "ParseFailure"]

_SET_OPS = {"^": 1, "xor": 1, "-": 2, "minus": 2, "&": 3, "intersect": 3, "|": 4, "union": 4}
_PRED_STARTS = frozenset(
    {"(", STRING, DATETIME, INT, FLOAT, "-", "+", "@", "@result", "@session", "@args", IDENT}
)


class ExprParser(LiteralParser):
    """Predicates and set expressions; statements build on it in `_parser`."""

    # -- predicates --------------------------------------------------------------------------

    def predicate(self) -> ast.Predicate:
        """predicate ::= and_pred { "or" and_pred }"""
        first = self.peek()
        operands = [self.and_pred()]
        while self.at_kw("or"):
            self.advance()
            operands.append(self.and_pred())
        if len(operands) == 1:
            return operands[0]
        return ast.Or(operands=tuple(operands), line=first.line, column=first.column)

    def and_pred(self) -> ast.Predicate:
        """and_pred ::= not_pred { "and" not_pred }"""
        first = self.peek()
        operands = [self.not_pred()]
        while self.at_kw("and"):
            self.advance()
            operands.append(self.not_pred())
        if len(operands) == 1:
            return operands[0]
        return ast.And(operands=tuple(operands), line=first.line, column=first.column)

    def not_pred(self) -> ast.Predicate:
        """not_pred ::= "not" not_pred | pred_atom (iterative, so long chains cannot recurse)."""
        nots: list[Token] = []
        saved = self.depth
        while self.at_kw("not") and self.peek(1).kind in _PRED_STARTS:
            nots.append(self.advance())
            self.enter()
        result = self.pred_atom()
        for tok in reversed(nots):
            result = ast.Not(operand=result, line=tok.line, column=tok.column)
        self.depth = saved
        return result

    def pred_atom(self) -> ast.Predicate:
        """pred_atom ::= comparison | IDENTIFIER | "(" predicate ")" """
        tok = self.peek()
        kind = tok.kind
        nxt = self.peek(1).kind
        if kind == "(":
            self.advance()
            self.enter()
            inner = self.predicate()
            self.expect(")", "')'")
            self.depth -= 1
            return ast.Group(inner=inner, line=tok.line, column=tok.column)
        if kind == IDENT:
            if nxt == ".value":
                return self.value_comparison(self.value_operand())
            if nxt == "." or self._at_aggregation():
                return self.set_comparison(self.set_operand())
            if tok.text in ("true", "false", "inf") and (self.at_kw("in", 1) or nxt == "=="):
                return self.value_comparison(self.value_operand())
            self.advance()
            after = self.peek()
            if after.kind == IDENT and after.text in ("overlaps", "subset", "superset", "is"):
                self.fail(
                    tok=tok,
                    message=f"The left side of '{after.text}' must be a metadata accessor "
                    "(such as 'arg.tags', '@tags' or '@args.tags'), not a name",
                )
            return ast.Name(name=tok.text, line=tok.line, column=tok.column)
        if kind in ("@result", "@session") and nxt == ".value":
            return self.value_comparison(self.value_operand())
        if kind in ("@", "@result", "@session", "@args"):
            return self.set_comparison(self.set_operand())
        if kind in (STRING, DATETIME, INT, FLOAT, "-", "+"):
            return self.value_comparison(self.value_operand())
        self.fail("a predicate")

    def value_comparison(self, left: ast.ValueOperand) -> ast.Predicate:
        """comparison ::= value_operand "in" set_expr | value_operand "==" value_operand"""
        if self.at_kw("in"):
            self.advance()
            return ast.ValueIn(value=left, set=self.set_expr(), line=left.line, column=left.column)
        if self.at("=="):
            self.advance()
            right = self.value_operand()
            return ast.ValueEquals(left=left, right=right, line=left.line, column=left.column)
        self.fail("'in'", "'=='")

    def set_comparison(self, left: ast.SetExpr) -> ast.Predicate:
        """The comparisons whose left side is a set operand."""
        pos = {"line": left.line, "column": left.column}
        tok = self.peek()
        if tok.kind == "==":
            self.advance()
            return ast.SetCompare(left=left, op="==", right=self.set_expr(), **pos)
        if tok.kind == IDENT:
            if tok.text == "overlaps":
                self.advance()
                return ast.SetCompare(left=left, op="overlaps", right=self.set_expr(), **pos)
            if tok.text in ("subset", "superset"):
                self.advance()
                self.expect_kw("of")
                return ast.SetCompare(left=left, op=tok.text, right=self.set_expr(), **pos)
            if tok.text == "is":
                self.advance()
                test = self.expect_kw("empty", "universal").text
                return ast.SetTest(operand=left, test=test, **pos)
        self.fail(
            "'overlaps'", "'subset of'", "'superset of'", "'=='", "'is empty'", "'is universal'"
        )

    def value_operand(self) -> ast.ValueOperand:
        """value_operand ::= IDENTIFIER ".value" | "@result" ".value" | "@session" ".value" | literal"""
        tok = self.peek()
        if tok.kind == IDENT and self.at(".value", 1):
            self.advance()
            self.advance()
            return ast.ValueAccess(scope="arg", name=tok.text, line=tok.line, column=tok.column)
        if tok.kind in ("@result", "@session"):
            self.advance()
            self.expect(".value", "'.value'")
            return ast.ValueAccess(scope=tok.kind[1:], line=tok.line, column=tok.column)
        if tok.kind in (STRING, DATETIME):
            return self.string()
        if tok.kind == IDENT and tok.text in ("true", "false"):
            self.advance()
            return ast.BoolLit(value=tok.text == "true", line=tok.line, column=tok.column)
        if self._at_number():
            return self.number()
        self.fail("a value (such as 'arg.value', '@result.value' or a literal)")

    # -- sets --------------------------------------------------------------------------------

    def set_expr(self, min_prec: int = 1) -> ast.SetExpr:
        """set_expr by precedence climbing: `|` > `&` > `-` > `^`, each left-associative."""
        left = self.set_elem()
        while True:
            prec = self._set_op_prec()
            if prec is None or prec < min_prec:
                return left
            operands = [left]
            ops: list[str] = []
            while self._set_op_prec() == prec:
                ops.append(self.advance().text)
                operands.append(self.set_expr(prec + 1))
            left = ast.SetBinary(
                operands=tuple(operands), ops=tuple(ops), line=left.line, column=left.column
            )

    def _set_op_prec(self) -> int | None:
        tok = self.peek()
        if tok.kind == IDENT or tok.kind in _SET_OPS:
            return _SET_OPS.get(tok.text)
        return None

    def set_elem(self) -> ast.SetExpr:
        """elem_e ::= set_atom { ( "with" | "without" ) element }"""
        base = self.set_atom()
        ops: list[str] = []
        elements: list[ast.Element] = []
        while self.at_kw("with") or self.at_kw("without"):
            ops.append(self.advance().text)
            elements.append(self.element())
        if not ops:
            return base
        return ast.SetWith(
            base=base,
            ops=tuple(ops),
            elements=tuple(elements),
            line=base.line,
            column=base.column,
        )

    def set_atom(self) -> ast.SetExpr:
        """set_atom ::= set_literal | set_operand | IDENTIFIER | "(" set_expr ")" """
        tok = self.peek()
        if tok.kind == "{":
            return self.set_literal()
        if tok.kind == "(":
            self.advance()
            self.enter()
            inner = self.set_expr()
            self.expect(")", "')'")
            self.depth -= 1
            return ast.Group(inner=inner, line=tok.line, column=tok.column)
        if tok.kind in ("@", "@result", "@session", "@args"):
            return self.set_operand()
        if tok.kind == IDENT:
            if self.at(".", 1) or self._at_aggregation():
                return self.set_operand()
            self.advance()
            return ast.Name(name=tok.text, line=tok.line, column=tok.column)
        self.fail("a set expression")

    def _at_aggregation(self) -> bool:
        return (self.at_kw("union") or self.at_kw("intersect")) and self.at_kw("of", 1)

    def set_operand(self) -> ast.MetaAccess | ast.ArgsAggregate:
        """An accessor or aggregation of metadata (the only legal left side of a set comparison)."""
        tok = self.advance()
        pos: dict[str, Any] = {"line": tok.line, "column": tok.column}
        if tok.kind == "@":
            return ast.MetaAccess(scope="context", field=self.meta_field(), **pos)
        if tok.kind in ("@result", "@session"):
            self.expect(".", "'.'")
            return ast.MetaAccess(scope=tok.kind[1:], field=self.meta_field(), **pos)
        if tok.kind == "@args":
            self.expect(".", "'.'")
            field = self.meta_field()
            if self.at("."):
                self.advance()
                mode = self.expect_kw("union", "intersect").text
                return ast.ArgsAggregate(field=field, mode=mode, form="at_suffix", **pos)
            return ast.ArgsAggregate(field=field, mode="union", form="at", **pos)
        if tok.kind == IDENT and tok.text in ("union", "intersect") and self.at_kw("of"):
            self.advance()
            field = self.meta_field()
            self.expect_kw("from")
            self.expect_kw("args")
            return ast.ArgsAggregate(field=field, mode=tok.text, form="of", **pos)
        self.expect(".", "'.'")
        return ast.MetaAccess(scope="arg", name=tok.text, field=self.meta_field(), **pos)

    def set_literal(self) -> ast.SetLiteral:
        """set_literal ::= "{" "}" | "{" element { "," element } "}" """
        tok = self.expect("{", "'{'")
        elements: list[ast.Element] = []
        if not self.at("}"):
            elements.append(self.element())
            while self.at(","):
                self.advance()
                elements.append(self.element())
        self.expect("}", "',' or '}'" if elements else "an element or '}'")
        return ast.SetLiteral(elements=tuple(elements), line=tok.line, column=tok.column)

    def element(self) -> ast.Element:
        """element ::= STRING | REGEX_STRING | WILDCARD_STRING | type_domain | number"""
        tok = self.peek()
        if tok.kind in (STRING, REGEX, WILDCARD):
            return self.string()
        if tok.kind == IDENT and tok.text in DOMAIN_WORDS:
            return self.type_domain()
        if self._at_number():
            return self.number()
        self.fail('a set element (a string, r"regex", w"wildcard", number or type domain)')
