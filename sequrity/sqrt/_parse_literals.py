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
        if tok.kind in (INT, FLOAT) or self.starts_kw("inf"):
            return True
        if tok.kind in ("-", "+"):
            nxt = self.peek(1)
            if nxt.start != tok.end:
                return False
            if tok.kind == "-" and nxt.kind in (INT, FLOAT):
                return True
            return self.starts_kw("inf", 1)
        return False

    def number(self) -> ast.Number:
        """number ::= INT | FLOAT | INF, with a sign glued to the digits (`-5`, `+inf`)."""
        if not self._at_number():
            self.fail("a number")
        first = self.peek()
        raw = ""
        if first.kind in ("-", "+"):
            raw = self.advance().text
        tok = self.take_kw("inf") if self.peek().kind == IDENT else self.advance()
        return ast.Number(raw=raw + tok.text, line=first.line, column=first.column)

    def integer(self) -> ast.Number:
        """An INT, optionally negative."""
        if self._at_number():
            tok = self.peek(1) if self.at("-") else self.peek()
            if tok.kind == INT:
                return self.number()
        self.fail("an integer")

    def at_type_domain(self) -> bool:
        """True when a type domain word starts here, followed by what that domain needs."""
        tok = self.peek()
        if tok.kind != IDENT or tok.text not in DOMAIN_WORDS:
            return False
        nxt = self.peek(1)
        if tok.text == "bool":
            return self.starts_kw("true", 1) or self.starts_kw("false", 1)
        if tok.text == "str":
            return nxt.kind == STRING or self.starts_kw("matching", 1) or self.starts_kw("like", 1)
        starts: tuple[str, ...] = (INT, FLOAT, "-", "+", "..", "..<")
        if tok.text == "datetime":
            starts = (*starts, DATETIME, STRING)
        return nxt.kind in starts or self.starts_kw("inf", 1)

    def domain_word(self) -> str | None:
        """The type domain word (``int``, ``str``...) the current token is or starts with."""
        return self.which_kw(*DOMAIN_WORDS)

    def type_domain(self) -> ast.TypeDomain:
        """type_domain ::= bool BOOL | int range | float range | str … [length range] | datetime …"""
        word = self.domain_word()
        if word is None:
            self.fail("a type domain ('bool', 'int', 'float', 'str' or 'datetime')")
        tok = self.take_kw(word)
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
        keyword = self.which_kw("matching", "like")
        if keyword is not None:
            mode = self.take_kw(keyword).text
        want = {"exact": STRING, "matching": REGEX, "like": WILDCARD}[mode]
        if not self.at(want):
            self.fail({STRING: "a string", REGEX: 'a r"regex"', WILDCARD: 'a w"wildcard"'}[want])
        pattern = self.string()
        length = None
        if self.starts_kw("length"):
            self.take_kw("length")
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
