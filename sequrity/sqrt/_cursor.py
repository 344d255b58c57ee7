"""The token cursor shared by the SQRT parsers, and the internal parse-failure signal."""

from __future__ import annotations

from typing import NoReturn

from ._lexer import EOF, IDENT, Token

__all__ = ["MAX_DEPTH", "META_FIELDS", "Cursor", "ParseFailure"]

#: Deepest allowed nesting of parentheses and `not`; deeper input is rejected, not recursed into.
MAX_DEPTH = 100

META_FIELDS = frozenset({"tags", "producers", "consumers"})


class ParseFailure(Exception):
    """Internal: a failure at a token, with what was expected there (merged across attempts)."""

    def __init__(
        self,
        token: Token,
        expected: list[str],
        message: str | None = None,
        at: tuple[int, int] | None = None,
        after: Token | None = None,
    ) -> None:
        super().__init__(message or ", ".join(expected))
        self.token = token
        self.expected = expected
        #: A custom message marks a definite mistake that no other reading could accept.
        self.message = message
        self.at = at or (token.line, token.column)
        self.after = after


class Cursor:
    """A position in the token list plus the helpers every grammar rule uses."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    # -- cursor helpers ----------------------------------------------------------------------

    def peek(self, k: int = 0) -> Token:
        """Return the token `k` places ahead (the EOF token past the end)."""
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        """Consume and return the current token."""
        tok = self.tokens[self.i]
        if tok.kind != EOF:
            self.i += 1
        return tok

    def at(self, kind: str, k: int = 0) -> bool:
        """True when the token `k` ahead has this kind."""
        return self.peek(k).kind == kind

    def at_kw(self, word: str, k: int = 0) -> bool:
        """True when the token `k` ahead is the (non-reserved) keyword `word`."""
        tok = self.peek(k)
        return tok.kind == IDENT and tok.text == word

    def fail(
        self, *expected: str, message: str | None = None, tok: Token | None = None
    ) -> NoReturn:
        """Raise a `ParseFailure` at the current (or given) token."""
        raise ParseFailure(tok or self.peek(), list(expected), message)

    def expect(self, kind: str, what: str | None = None) -> Token:
        """Consume a token of `kind` or fail saying what was expected."""
        if self.peek().kind != kind:
            self.fail(what or f"'{kind}'")
        return self.advance()

    def expect_kw(self, *words: str) -> Token:
        """Consume one of the keywords `words` or fail."""
        tok = self.peek()
        if tok.kind == IDENT and tok.text in words:
            return self.advance()
        self.fail(*(f"'{w}'" for w in words))

    def meta_field(self) -> str:
        """Consume `tags`, `producers` or `consumers`."""
        tok = self.peek()
        if tok.kind == IDENT and tok.text in META_FIELDS:
            return self.advance().text
        self.fail("a metadata field ('tags', 'producers' or 'consumers')")

    def enter(self) -> None:
        """Go one nesting level deeper, refusing to exceed `MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(message=f"Nesting is too deep (more than {MAX_DEPTH} levels of '(' or 'not')")
