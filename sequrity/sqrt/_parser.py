"""The SQRT parsing API: `parse_tree`, `parse`, `validate`, `check`, `check_file`."""

from __future__ import annotations

import bisect
import os
from typing import NamedTuple

from . import _ast as ast
from ._errors import SqrtParseError
from ._lexer import DOC, EOF, Comment, Token, make_error, tokenize
from ._parse_expr import ParseFailure
from ._parse_stmt import StatementParser

__all__ = ["ParseResult", "check", "check_file", "parse", "parse_tree", "validate"]


class ParseResult(NamedTuple):
    """
    The outcome of `parse`: unpacks to `(valid, tree, error)`.

    Attributes:
        valid: Whether the program is syntactically valid.
        tree: The syntax tree when valid, else None.
        error: The syntax error when invalid, else None.
    """

    valid: bool
    tree: ast.Program | None
    error: SqrtParseError | None


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
        parser = StatementParser(tokens, code, keyword_at)
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
