"""The SQRT statement parser: declarations, tool members, blocks and update statements."""

from __future__ import annotations

from . import _ast as ast
from ._lexer import DOC, EOF, IDENT, REGEX, STRING, Token
from ._parse_expr import ExprParser, ParseFailure

__all__ = ["StatementParser", "furthest"]

_AUG_OPS = ("=", "|=", "&=", "-=", "^=")
_MEMBER_WORDS = ("priority", "must", "hard", "should", "soft", "result", "session")


class StatementParser(ExprParser):
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
                failure = furthest(first, second)
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


def furthest(first: ParseFailure, second: ParseFailure) -> ParseFailure:
    """Keep the failure that got further; merge what was expected when they tie."""
    if (first.message is None) != (second.message is None):
        return first if first.message is not None else second
    if first.at == second.at and first.message is None:
        merged = first.expected + [e for e in second.expected if e not in first.expected]
        return ParseFailure(first.token, merged, at=first.at, after=first.after)
    return first if first.at >= second.at else second
