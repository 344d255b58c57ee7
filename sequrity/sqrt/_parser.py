"""The SQRT statement parser and the official API: `parse`, `validate`, `check`, `check_file`."""

from __future__ import annotations

import bisect
import os
from typing import NamedTuple

from . import _ast as ast
from ._errors import SqrtParseError
from ._lexer import DOC, EOF, IDENT, REGEX, STRING, Comment, Token, make_error, tokenize
from ._parse_expr import ExprParser, ParseFailure

__all__ = ["ParseResult", "check", "check_file", "parse", "parse_tree", "validate"]

_AUG_OPS = ("=", "|=", "&=", "-=", "^=")
_MEMBER_WORDS = ("priority", "must", "hard", "should", "soft", "result", "session")


class ParseResult(NamedTuple):
    """
    The outcome of `parse`: unpacks to `(valid, tree, error)`.

    Args:
        valid: Whether the program is syntactically valid.
        tree: The syntax tree when valid, else None.
        error: The syntax error when invalid, else None.
    """

    valid: bool
    tree: ast.Program | None
    error: SqrtParseError | None


class _StatementParser(ExprParser):
    """Declarations, tool members and update statements."""

    def program(self) -> tuple[ast.Declaration, ...]:
        """program ::= { docs declaration }"""
        decls: list[ast.Declaration] = []
        while True:
            docs = self.docs()
            if self.at(EOF):
                if docs:
                    self._dangling_doc("a declaration")
                return tuple(decls)
            if self.starts_kw("let"):
                decls.append(self.let_decl(docs))
            elif self.starts_kw("tool"):
                decls.append(self.tool_decl(docs))
            else:
                self.fail("'let'", "'tool'")

    def docs(self) -> tuple[str, ...]:
        """docs ::= { DOC_COMMENT }"""
        self._doc_start = self.i
        out: list[str] = []
        while self.at(DOC):
            out.append(self.advance().text[3:])
        return tuple(out)

    def _dangling_doc(self, what: str) -> None:
        tok = self.tokens[self._doc_start]
        self.fail(tok=tok, message=f"Doc comment ('///') is not followed by {what}")

    def semicolon(self) -> Token:
        """Expect `;`; a missing one is reported right after the previous token."""
        if self.at(";"):
            return self.advance()
        prev = self.tokens[self.i - 1] if self.i else self.peek()
        tok = self.peek()
        if self.i and tok.line > prev.line and "\n" not in prev.text:
            at = (prev.line, prev.column + len(prev.text))
            raise ParseFailure(tok, ["';'"], at=at, after=prev)
        self.fail("';'")

    def let_decl(self, docs: tuple[str, ...]) -> ast.LetDecl:
        """let_decl ::= "let" IDENTIFIER "=" expression ";" """
        start = self.take_kw("let")
        name = self.expect(IDENT, "a name").text
        self.expect("=", "'='")
        if self.at_type_domain():
            value: ast.Expr = self.type_domain()
            end = self.semicolon()
        else:
            value, end = self._let_expression()
        return ast.LetDecl(docs=docs, name=name, value=value, **_span(start, end))

    def _let_expression(self) -> tuple[ast.Expr, Token]:
        """
        Try the predicate reading first (as the official parser does), then the set reading,
        then, for a word such as `int8` or `strmatching`, a type domain glued to its argument.
        """
        saved = self.mark()
        try:
            pred = self.predicate()
            return pred, self.semicolon()
        except ParseFailure as first:
            self.reset(saved)
            try:
                sets = self.set_expr()
                return sets, self.semicolon()
            except ParseFailure as second:
                failure = _furthest(first, second)
        self.reset(saved)
        if self.domain_word() is None:
            raise failure
        try:
            domain = self.type_domain()
            return domain, self.semicolon()
        except ParseFailure:
            raise failure from None

    def tool_decl(self, docs: tuple[str, ...]) -> ast.ToolBlock | ast.ToolShorthand:
        """tool_block ::= "tool" tool_id "{" … "}" ; tool_shorthand ::= "tool" tool_id […] "->" …"""
        start = self.take_kw("tool")
        if not (self.at(STRING) or self.at(REGEX)):
            self.fail('a tool id (a "string" or r"regex")')
        tool = self.string()
        if self.at("{"):
            return self.tool_block(docs, start, tool)
        if self.at("[") or self.at("->"):
            return self.shorthand(docs, start, tool)
        self.fail("'{'", "'['", "'->'")

    def tool_block(self, docs: tuple[str, ...], start: Token, tool: ast.StringLit) -> ast.ToolBlock:
        """The body `{ { docs member } }` of a tool block."""
        self.advance()
        members: list[ast.Member] = []
        while True:
            member_docs = self.docs()
            if self.at("}"):
                if member_docs:
                    self._dangling_doc("a tool member")
                end = self.advance()
                return ast.ToolBlock(
                    docs=docs, tool=tool, members=tuple(members), **_span(start, end)
                )
            members.append(self.member(member_docs))

    def member(self, docs: tuple[str, ...]) -> ast.Member:
        """member ::= "priority" INT ";" | check_rule | result_block | session_block"""
        tok = self.peek()
        word = self.which_kw(*_MEMBER_WORDS) or ""
        if word:
            tok = self.take_kw(word)
        if word == "priority":
            value = self.integer()
            return ast.Priority(docs=docs, value=value, **_span(tok, self.semicolon()))
        if word in ("must", "hard", "should", "soft"):
            outcome = self.expect_kw("allow", "deny").text
            condition = None
            if self.starts_kw("always"):
                self.take_kw("always")
            elif self.starts_kw("when"):
                self.take_kw("when")
                condition = self.predicate()
            else:
                self.fail("'when'", "'always'")
            end = self.semicolon()
            return ast.CheckRule(
                docs=docs, enforcement=word, outcome=outcome, condition=condition, **_span(tok, end)
            )
        if word == "result":
            stmts, end = self.block("result")
            return ast.ResultBlock(docs=docs, statements=stmts, **_span(tok, end))
        if word == "session":
            timing = self.expect_kw("before", "after").text
            stmts, end = self.block("session")
            return ast.SessionBlock(docs=docs, timing=timing, statements=stmts, **_span(tok, end))
        self.fail(*(f"'{w}'" for w in _MEMBER_WORDS), "'}'")

    def block(self, kind: str) -> tuple[tuple[ast.Update | ast.ConditionalUpdate, ...], Token]:
        """The body `{ { docs block_stmt } }` of a result or session block."""
        self.expect("{", "'{'")
        stmts: list[ast.Update | ast.ConditionalUpdate] = []
        while True:
            docs = self.docs()
            if self.at("}"):
                if docs:
                    self._dangling_doc(f"a statement of the {kind} block")
                return tuple(stmts), self.advance()
            if self._at_when():
                start = self.take_kw("when")
                condition = self.predicate()
                updates, end = self.conditional_body()
                stmts.append(
                    ast.ConditionalUpdate(
                        docs=docs, condition=condition, updates=updates, **_span(start, end)
                    )
                )
            else:
                stmts.append(self.update(docs))

    def _at_when(self) -> bool:
        """
        True when a `when` block starts here rather than an update of an argument: `when x.tags
        == s {` and `whenx.value == 1 {` are blocks; `when.tags = s;` updates the argument
        `when`, and `whenx.tags = s;` updates `whenx` unless only the block reading parses.
        """
        if not self.starts_kw("when") or (self.at(".", 1) and self.at_kw("when")):
            return False
        return self.at_kw("when") or not self.at(".", 1) or not self.prefer_name()

    def conditional_body(self) -> tuple[tuple[ast.Update, ...], Token]:
        """The body `{ { update ";" } }` of a `when` block (no docs, no nesting)."""
        self.expect("{", "'{'")
        updates: list[ast.Update] = []
        while not self.at("}"):
            if self.at(DOC):
                self.fail(message="Doc comments ('///') are not allowed inside a 'when' block")
            if self.at_kw("when") and not self.at(".", 1):
                self.fail(message="Nested 'when' blocks are not allowed")
            updates.append(self.update(()))
        return tuple(updates), self.advance()

    def update(self, docs: tuple[str, ...]) -> ast.Update:
        """update ";" where update ::= target ( "=" | aug_op ) set_expr"""
        tok = self.peek()
        if tok.kind in ("@", "@result", "@session") or (tok.kind == IDENT and self.at(".", 1)):
            target = self.set_operand()
        else:
            self.fail("an update target (such as '@tags' or '@session.tags')", "'when'", "'}'")
        assert isinstance(target, ast.MetaAccess)
        op = self._assign_op()
        value = self.set_expr()
        end = self.semicolon()
        return ast.Update(docs=docs, target=target, op=op, value=value, **_span(tok, end))

    def _assign_op(self) -> str:
        if self.peek().kind in _AUG_OPS:
            return self.advance().text
        self.fail("'='", "'|='", "'&='", "'-='", "'^='")

    def shorthand(
        self, docs: tuple[str, ...], start: Token, tool: ast.StringLit
    ) -> ast.ToolShorthand:
        """tool_shorthand ::= … [ "[" INT "]" ] "->" [ sh_target ] "@" META_FIELD op set [when P] ";" """
        priority = None
        if self.at("["):
            self.advance()
            priority = self.integer()
            self.expect("]", "']'")
        self.expect("->", "'->'")
        target = ""
        if self.starts_kw("result"):
            target = self.take_kw("result").text
        elif self.starts_kw("session"):
            self.take_kw("session")
            target = "session"
            timing = self.which_kw("before", "after")
            if timing is not None:
                target += " " + self.take_kw(timing).text
        if not self.at("@"):
            if self.at(IDENT) and self.at(".", 1):
                self.fail(message="A tool shorthand cannot update an argument; use '@<field>'")
            self.fail("'@'") if target else self.fail("'result'", "'session'", "'@'")
        self.advance()
        field = self.meta_field()
        op = self._assign_op()
        value = self.set_expr()
        condition = None
        if self.starts_kw("when"):
            self.take_kw("when")
            condition = self.predicate()
        end = self.semicolon()
        return ast.ToolShorthand(
            docs=docs,
            tool=tool,
            priority=priority,
            target=target,
            field=field,
            op=op,
            value=value,
            condition=condition,
            **_span(start, end),
        )


def _span(start: Token, end: Token) -> dict[str, int]:
    return {"line": start.line, "column": start.column, "end_line": end.line}


def _furthest(first: ParseFailure, second: ParseFailure) -> ParseFailure:
    """Keep the failure that got further; merge what was expected when they tie."""
    if (first.message is None) != (second.message is None):
        return first if first.message is not None else second
    if first.at == second.at and first.message is None:
        merged = first.expected + [e for e in second.expected if e not in first.expected]
        return ParseFailure(first.token, merged, at=first.at, after=first.after)
    return first if first.at >= second.at else second


#: How many readings of ambiguous words to try before reporting the first syntax error.
_MAX_READINGS = 64
#: How many tokens before an error an ambiguous word may be for its other reading to be tried.
_CHOICE_REACH = 4


def _parse_program(tokens: list[Token], code: str) -> tuple[ast.Declaration, ...]:
    """
    Parse the declarations, reading ambiguous words as names first, then (when that fails)
    as keywords glued to more, from the last such word before the error backwards: the
    reference parser accepts a program when any reading parses and prefers names.

    Raises:
        ParseFailure: No reading parses; the error of the first (all-names) reading.
    """
    pending = [frozenset[int]()]
    tried: set[frozenset[int]] = set()
    first: ParseFailure | None = None
    while pending and len(tried) < _MAX_READINGS:
        keyword_at = pending.pop()
        if keyword_at in tried:
            continue
        tried.add(keyword_at)
        parser = _StatementParser(tokens, code, keyword_at)
        try:
            return parser.program()
        except ParseFailure as failure:
            first = first or failure
            # A name reading that cannot work fails within a few tokens of the name, so only
            # the choices just before the error are retried, the closest one first.
            starts = [tok.start for tok in parser.tokens]
            last = bisect.bisect_right(starts, failure.token.start)
            near = starts[max(0, last - 1 - _CHOICE_REACH) : last]
            choices = sorted(set(parser.name_choices).intersection(near) - keyword_at)
            pending.extend(keyword_at | {start} for start in choices)
    assert first is not None
    raise first


def _describe(tok: Token) -> str:
    if tok.kind == EOF:
        return "end of input"
    if tok.kind == DOC:
        return "a doc comment"
    text = tok.text if len(tok.text) <= 30 else tok.text[:27] + "..."
    return repr(text)


def parse_tree(code: str) -> ast.Program:
    """
    Parse SQRT source into a syntax tree.

    Args:
        code: The program text.

    Returns:
        The `Program` node, with ordinary comments attached for the formatter.

    Raises:
        SqrtParseError: When the text is not a valid program.
    """
    tokens, comments = tokenize(code)
    try:
        decls = _parse_program(tokens, code)
    except ParseFailure as failure:
        line, column = failure.at
        message = failure.message
        if message is None:
            expected = failure.expected
            wanted = (
                expected[0]
                if len(expected) == 1
                else ", ".join(expected[:-1]) + " or " + expected[-1]
            )
            if failure.after is not None:
                message = f"Expected {wanted} after {_describe(failure.after)}"
            else:
                message = f"Expected {wanted}, found {_describe(failure.token)}"
        raise make_error(code, message, line, column) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the stack shallow
        raise SqrtParseError("Program is nested too deeply to parse") from None
    return ast.Program(
        declarations=decls, comments=tuple(_comment(c) for c in comments), line=1, column=1
    )


def _comment(c: Comment) -> ast.Comment:
    return ast.Comment(text=c.text, line=c.line, column=c.column, end_line=c.end_line)


def parse(code: str) -> ParseResult:
    """
    Parse SQRT source without raising for syntax errors.

    Args:
        code: The program text.

    Returns:
        `ParseResult(valid, tree, error)`.
    """
    try:
        return ParseResult(True, parse_tree(code), None)
    except SqrtParseError as error:
        return ParseResult(False, None, error)


def validate(code: str) -> bool:
    """
    Tell whether SQRT source is syntactically valid.

    Args:
        code: The program text.

    Returns:
        True when it parses.
    """
    return parse(code).valid


def check(code: str) -> None:
    """
    Check SQRT source and raise on the first syntax error.

    Args:
        code: The program text.

    Raises:
        SqrtParseError: With the line, column and a caret snippet of the first mistake.
    """
    parse_tree(code)


def check_file(path: str | os.PathLike[str]) -> None:
    """
    Check a SQRT file (read as UTF-8).

    Args:
        path: The file to check.

    Raises:
        SqrtParseError: On a syntax error or bytes that are not UTF-8.
        FileNotFoundError: When the file does not exist.
    """
    check(read_source(path))


def read_source(path: str | os.PathLike[str]) -> str:
    """
    Read a policy file as UTF-8, turning undecodable bytes into a `SqrtParseError`.

    Args:
        path: The file to read.

    Returns:
        The file's text.

    Raises:
        SqrtParseError: When the file is not UTF-8 text.
        FileNotFoundError: When the file does not exist.
    """
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SqrtParseError("File is not valid UTF-8 text", line, column) from None
