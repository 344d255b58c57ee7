"""Recursive-descent parsing of SQRT predicates and set expressions."""

from __future__ import annotations

from typing import Any

from . import _ast as ast
from ._cursor import MAX_DEPTH, ParseFailure
from ._lexer import DATETIME, EOF, FLOAT, IDENT, INT, REGEX, STRING, WILDCARD, Token
from ._parse_literals import LiteralParser

__all__ = ["MAX_DEPTH", "ExprParser", "ParseFailure"]

_SET_OPS = {"^": 1, "xor": 1, "-": 2, "minus": 2, "&": 3, "intersect": 3, "|": 4, "union": 4}
_SET_WORDS = ("xor", "minus", "intersect", "union")
_PRED_STARTS = frozenset(
    {"(", STRING, DATETIME, INT, FLOAT, "-", "+", "@", "@result", "@session", "@args", IDENT}
)
#: What may follow a whole predicate: the end of a rule, a group or a `when` condition.
_PRED_FOLLOW = frozenset({";", ")", "{", EOF})


class ExprParser(LiteralParser):
    """Predicates and set expressions; statements build on it in `_parser`."""

    # -- predicates --------------------------------------------------------------------------

    def predicate(self) -> ast.Predicate:
        """predicate ::= and_pred { "or" and_pred }"""
        first = self.peek()
        operands = [self.and_pred()]
        while self.starts_kw("or"):
            self.take_kw("or")
            operands.append(self.and_pred())
        if len(operands) == 1:
            return operands[0]
        return ast.Or(operands=tuple(operands), line=first.line, column=first.column)

    def and_pred(self) -> ast.Predicate:
        """and_pred ::= not_pred { "and" not_pred }"""
        first = self.peek()
        operands = [self.not_pred()]
        while self.starts_kw("and"):
            self.take_kw("and")
            operands.append(self.not_pred())
        if len(operands) == 1:
            return operands[0]
        return ast.And(operands=tuple(operands), line=first.line, column=first.column)

    def not_pred(self) -> ast.Predicate:
        """not_pred ::= "not" not_pred | pred_atom (iterative, so long chains cannot recurse)."""
        nots: list[Token] = []
        saved = self.depth
        while (self.at_kw("not") and self.peek(1).kind in _PRED_STARTS) or (
            self.starts_kw("not") and not self.at_kw("not") and self._reads_as_keyword()
        ):
            nots.append(self.take_kw("not"))
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
            if self._at_literal_word():
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

    def _reads_as_keyword(self) -> bool:
        """
        Decide how to read a word that starts a predicate with a keyword glued to more
        (`notes`, `true_value`, `inflow`): as a name whenever that can work, as the reference
        parser does, else as the keyword (`notx` alone is a name; `nottrue == a.value` is `not`).
        When both could work the name is tried first and the choice is recorded, so that
        `parse_tree` can parse again with the keyword reading if the name reading fails later.
        """
        nxt = self.peek(1)
        if nxt.kind in (".value", "."):
            return False  # an argument accessor: both readings accept the same programs
        fits = nxt.kind in _PRED_FOLLOW or self.starts_kw("or", 1) or self.starts_kw("and", 1)
        return not fits or not self.prefer_name()

    def _at_literal_word(self) -> bool:
        """True when the word here is the literal `true`, `false` or `inf` of a comparison."""
        if self.which_kw("true", "false", "inf") is None:
            return False
        if self.at_kw("true") or self.at_kw("false") or self.at_kw("inf"):
            return self.starts_kw("in", 1) or self.at("==", 1)
        return self._reads_as_keyword()

    def value_comparison(self, left: ast.ValueOperand) -> ast.Predicate:
        """comparison ::= value_operand "in" set_expr | value_operand "==" value_operand"""
        if self.starts_kw("in"):
            self.take_kw("in")
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
        word = self.which_kw("overlaps", "subset", "superset", "is")
        if word == "overlaps":
            self.take_kw(word)
            return ast.SetCompare(left=left, op="overlaps", right=self.set_expr(), **pos)
        if word in ("subset", "superset"):
            self.take_kw(word)
            self.expect_kw("of")
            return ast.SetCompare(left=left, op=word, right=self.set_expr(), **pos)
        if word == "is":
            self.take_kw(word)
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
        word = self.which_kw("true", "false")
        if word is not None:
            self.take_kw(word)
            return ast.BoolLit(value=word == "true", line=tok.line, column=tok.column)
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
                ops.append(self._take_set_op())
                operands.append(self.set_expr(prec + 1))
            left = ast.SetBinary(
                operands=tuple(operands), ops=tuple(ops), line=left.line, column=left.column
            )

    def _set_op_prec(self) -> int | None:
        tok = self.peek()
        if tok.kind in _SET_OPS:
            return _SET_OPS[tok.kind]
        word = self.which_kw(*_SET_WORDS)
        return None if word is None else _SET_OPS[word]

    def _take_set_op(self) -> str:
        tok = self.peek()
        if tok.kind in _SET_OPS:
            return self.advance().text
        word = self.which_kw(*_SET_WORDS)
        assert word is not None
        return self.take_kw(word).text

    def set_elem(self) -> ast.SetExpr:
        """elem_e ::= set_atom { ( "with" | "without" ) element }"""
        base = self.set_atom()
        ops: list[str] = []
        elements: list[ast.Element] = []
        while (word := self.which_kw("with", "without")) is not None:
            ops.append(self.take_kw(word).text)
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
        """True when `union of F from args` starts here (possibly glued: `unionof tags`)."""
        if self.which_kw("union", "intersect") is None:
            return False
        if self.at_kw("union") or self.at_kw("intersect"):
            return self.starts_kw("of", 1)
        return self.probe(self._aggregation)

    def _aggregation(self) -> tuple[str, str]:
        mode = self.expect_kw("union", "intersect").text
        self.expect_kw("of")
        field = self.meta_field()
        self.expect_kw("from")
        self.expect_kw("args")
        return mode, field

    def set_operand(self) -> ast.MetaAccess | ast.ArgsAggregate:
        """An accessor or aggregation of metadata (the only legal left side of a set comparison)."""
        tok = self.peek()
        pos: dict[str, Any] = {"line": tok.line, "column": tok.column}
        if tok.kind == IDENT and not self.at(".", 1) and self._at_aggregation():
            mode, field = self._aggregation()
            return ast.ArgsAggregate(field=field, mode=mode, form="of", **pos)
        self.advance()
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
        if self.domain_word() is not None:
            return self.type_domain()
        if self._at_number():
            return self.number()
        self.fail('a set element (a string, r"regex", w"wildcard", number or type domain)')
