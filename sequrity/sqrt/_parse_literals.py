"""Recursive-descent parsing of SQRT literals, numbers, ranges and type domains."""

from __future__ import annotations

from collections.abc import Callable

from . import _ast as ast
from ._cursor import Cursor
from ._lexer import DATETIME, FLOAT, IDENT, INT, REGEX, STRING, WILDCARD

__all__ = ["DOMAIN_WORDS", "LiteralParser"]

_RANGE_OPS = ("<..<", "<..", "..<", "..")
DOMAIN_WORDS = frozenset({"bool", "int", "float", "str", "datetime"})


class LiteralParser(Cursor):
    """Strings, numbers, ranges and type domains."""

    def string(self) -> ast.StringLit:
        """Consume any string token."""
        tok = self.advance()
        prefix = {STRING: "", REGEX: "r", WILDCARD: "w", DATETIME: "d"}[tok.kind]
        kind = {STRING: "string", REGEX: "regex", WILDCARD: "wildcard", DATETIME: "datetime"}
        body = tok.text[len(prefix) + 1 : -1]
        return ast.StringLit(kind=kind[tok.kind], body=body, line=tok.line, column=tok.column)

    def _at_number(self) -> bool:
        tok = self.peek()
        if tok.kind in (INT, FLOAT) or (tok.kind == IDENT and tok.text == "inf"):
            return True
        if tok.kind in ("-", "+"):
            nxt = self.peek(1)
            if nxt.start != tok.end:
                return False
            if tok.kind == "-" and nxt.kind in (INT, FLOAT):
                return True
            return nxt.kind == IDENT and nxt.text == "inf"
        return False

    def number(self) -> ast.Number:
        """number ::= INT | FLOAT | INF, with a sign glued to the digits (`-5`, `+inf`)."""
        if not self._at_number():
            self.fail("a number")
        tok = self.advance()
        raw = tok.text
        if tok.kind in ("-", "+"):
            raw += self.advance().text
        return ast.Number(raw=raw, line=tok.line, column=tok.column)

    def integer(self) -> ast.Number:
        """An INT, optionally negative."""
        if self._at_number():
            tok = self.peek(1) if self.at("-") else self.peek()
            if tok.kind == INT:
                return self.number()
        self.fail("an integer")

    def at_type_domain(self) -> bool:
        """True when a type domain starts here (checked with one token of lookahead)."""
        tok = self.peek()
        if tok.kind != IDENT or tok.text not in DOMAIN_WORDS:
            return False
        nxt = self.peek(1)
        if tok.text == "bool":
            return nxt.kind == IDENT and nxt.text in ("true", "false")
        if tok.text == "str":
            return nxt.kind == STRING or (nxt.kind == IDENT and nxt.text in ("matching", "like"))
        starts: tuple[str, ...] = (INT, FLOAT, "-", "+", "..", "..<")
        if tok.text == "datetime":
            starts = (*starts, DATETIME, STRING)
        return nxt.kind in starts or (nxt.kind == IDENT and nxt.text == "inf")

    def type_domain(self) -> ast.TypeDomain:
        """type_domain ::= bool BOOL | int range | float range | str … [length range] | datetime …"""
        tok = self.advance()
        pos = {"line": tok.line, "column": tok.column}
        if tok.text == "bool":
            value = self.expect_kw("true", "false")
            lit = ast.BoolLit(value=value.text == "true", line=value.line, column=value.column)
            return ast.BoolDomain(value=lit, **pos)
        if tok.text == "int":
            return ast.IntDomain(range=self.range(self.number, self._at_number), **pos)
        if tok.text == "float":
            return ast.FloatDomain(range=self.range(self.number, self._at_number), **pos)
        if tok.text == "datetime":
            if self.at(STRING) or self._at_number():
                first = self.peek()
                bound = self.string() if first.kind == STRING else self.number()
                exact = ast.Range(
                    low=bound, op=None, high=None, line=first.line, column=first.column
                )
                return ast.DatetimeDomain(range=exact, **pos)
            return ast.DatetimeDomain(range=self.range(self._datetime, self._at_datetime), **pos)
        mode = "exact"
        if self.at_kw("matching") or self.at_kw("like"):
            mode = self.advance().text
        want = {"exact": STRING, "matching": REGEX, "like": WILDCARD}[mode]
        if not self.at(want):
            self.fail({STRING: "a string", REGEX: 'a r"regex"', WILDCARD: 'a w"wildcard"'}[want])
        pattern = self.string()
        length = None
        if self.at_kw("length"):
            self.advance()
            length = self.range(self.number, self._at_number)
        return ast.StrDomain(mode=mode, pattern=pattern, length=length, **pos)

    def _at_datetime(self) -> bool:
        return self.at(DATETIME)

    def _datetime(self) -> ast.StringLit:
        if not self.at(DATETIME):
            self.fail('a d"datetime" string')
        return self.string()

    def range(
        self, bound: Callable[[], ast.Number | ast.StringLit], at_bound: Callable[[], bool]
    ) -> ast.Range:
        """range ::= a op b | ("..<" | "..") b | a ("<.." | "..") | a"""
        tok = self.peek()
        pos = {"line": tok.line, "column": tok.column}
        if tok.kind in ("..", "..<"):
            op = self.advance().text
            return ast.Range(low=None, op=op, high=bound(), **pos)
        low = bound()
        if self.peek().kind not in _RANGE_OPS:
            return ast.Range(low=low, op=None, high=None, **pos)
        op = self.advance().text
        if op in ("..", "<..") and not at_bound():
            return ast.Range(low=low, op=op, high=None, **pos)
        return ast.Range(low=low, op=op, high=bound(), **pos)
