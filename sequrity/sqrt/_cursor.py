"""The token cursor shared by the SQRT parsers, and the internal parse-failure signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn, TypeAlias

from ._lexer import EOF, IDENT, Token, relex

__all__ = ["MAX_DEPTH", "META_FIELDS", "Cursor", "Mark", "ParseFailure"]

#: Deepest allowed nesting of parentheses and `not`; deeper input is rejected, not recursed into.
MAX_DEPTH = 100

META_FIELDS = frozenset({"tags", "producers", "consumers"})

#: A saved parser position: the token list (splitting a glued keyword replaces it), index, depth.
Mark: TypeAlias = tuple[list[Token], int, int]


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
    """
    A position in the token list plus the helpers every grammar rule uses.

    Keywords are matched as the reference grammar's lexer matches them: with no word boundary.
    Where the grammar expects a keyword, a word that starts with it is split (``denyalways`` is
    ``deny`` then ``always``; ``length0`` is ``length`` then ``0``) by `take_kw`, and `starts_kw`
    tells whether that is possible. Where a name is allowed too, the rules try the name first.
    """

    def __init__(
        self, tokens: list[Token], source: str = "", keyword_at: frozenset[int] = frozenset()
    ) -> None:
        self.tokens = tokens
        self.source = source
        self.i = 0
        self.depth = 0
        #: Offsets of ambiguous words to read as a keyword this time (see `prefer_name`).
        self.keyword_at = keyword_at
        #: Offsets of ambiguous words read as a name so far.
        self.name_choices: list[int] = []

    def mark(self) -> Mark:
        """Save the position (to go back to it with `reset`)."""
        return self.tokens, self.i, self.depth

    def reset(self, mark: Mark) -> None:
        """Go back to a position saved by `mark`."""
        self.tokens, self.i, self.depth = mark

    def prefer_name(self) -> bool:
        """
        At a word that reads both as a name and as a keyword glued to more (`whenx.tags`): True
        to read it as a name, which the reference parser prefers. The choice is recorded in
        `name_choices`; `parse_tree` parses again with the word in `keyword_at` when the name
        reading leads to a syntax error.
        """
        start = self.peek().start
        if start in self.keyword_at:
            return False
        self.name_choices.append(start)
        return True

    def probe(self, attempt: Callable[[], object]) -> bool:
        """Tell whether `attempt` parses from here without failing; the position is kept."""
        saved = self.mark()
        try:
            attempt()
        except ParseFailure:
            return False
        finally:
            self.reset(saved)
        return True

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
        """True when the token `k` ahead is exactly the (non-reserved) keyword `word`."""
        tok = self.peek(k)
        return tok.kind == IDENT and tok.text == word

    def starts_kw(self, word: str, k: int = 0) -> bool:
        """True when the token `k` ahead is the keyword `word` or a word that starts with it."""
        tok = self.peek(k)
        return tok.kind == IDENT and tok.text.startswith(word)

    def which_kw(self, *words: str) -> str | None:
        """The longest of `words` that the current token is or starts with, else `None`."""
        tok = self.peek()
        if tok.kind != IDENT:
            return None
        found = [w for w in words if tok.text.startswith(w)]
        return max(found, key=len) if found else None

    def take_kw(self, word: str) -> Token:
        """Consume the keyword `word` from the front of the current token, splitting it if needed."""
        tok = self.peek()
        if len(tok.text) > len(word):
            self.tokens = relex(self.source, self.tokens, self.i, len(word))
        return self.advance()

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
        """Consume one of the keywords `words` (possibly glued to what follows) or fail."""
        word = self.which_kw(*words)
        if word is not None:
            return self.take_kw(word)
        self.fail(*(f"'{w}'" for w in words))

    def meta_field(self) -> str:
        """Consume `tags`, `producers` or `consumers` (possibly glued to what follows)."""
        word = self.which_kw(*META_FIELDS)
        if word is not None:
            return self.take_kw(word).text
        self.fail("a metadata field ('tags', 'producers' or 'consumers')")

    def enter(self) -> None:
        """Go one nesting level deeper, refusing to exceed `MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(message=f"Nesting is too deep (more than {MAX_DEPTH} levels of '(' or 'not')")
