"""The SQRT tokenizer: turns source text into tokens, keeping comments on the side."""

from __future__ import annotations

import re

import attrs

from ._errors import SqrtParseError

__all__ = ["Comment", "Token", "make_error", "tokenize"]

#: Token kinds that carry text; punctuation tokens use their own text as kind.
IDENT = "IDENT"
STRING = "STRING"
REGEX = "REGEX"
WILDCARD = "WILDCARD"
DATETIME = "DATETIME"
INT = "INT"
FLOAT = "FLOAT"
DOC = "DOC"
EOF = "EOF"

_STRING_KINDS = {"": STRING, "r": REGEX, "w": WILDCARD, "d": DATETIME}

_SCANNER = re.compile(
    r"""
    (?P<ws>[ \t\r\n\f]+)
  | (?P<doc>///[^\n]*)
  | (?P<line>//[^\n]*)
  | (?P<block>/\*(?s:.*?)\*/)
  | (?P<string>(?P<prefix>[rwd]?)"(?:[^"\\]|\\.)*")
  | (?P<float>[0-9]+\.[0-9]+)
  | (?P<int>[0-9]+)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<at>@(?:result|session|args)(?![A-Za-z0-9_]))
  | (?P<dotvalue>\.value(?![A-Za-z0-9_]))
  | (?P<punct><\.\.<|<\.\.|\.\.<|\.\.|==|\|=|&=|-=|\^=|->|[{}()\[\];,=|&^+@.-])
    """,
    re.VERBOSE,
)


@attrs.frozen(slots=True)
class Token:
    """
    One token of SQRT source.

    Args:
        kind: The token kind (`IDENT`, `STRING`, ... or the punctuation text itself).
        text: The exact source text of the token.
        line: 1-based line of the first character.
        column: 1-based column of the first character.
        start: Offset of the first character in the source.
        end: Offset just past the last character.
    """

    kind: str
    text: str
    line: int
    column: int
    start: int
    end: int


@attrs.frozen(slots=True)
class Comment:
    """
    A `//` or `/* */` comment, which the parser skips and the formatter keeps.

    Args:
        text: The exact comment text including its delimiters.
        line: 1-based line where the comment starts.
        column: 1-based column where the comment starts.
        end_line: 1-based line where the comment ends.
    """

    text: str
    line: int
    column: int
    end_line: int


def make_error(source: str, message: str, line: int, column: int) -> SqrtParseError:
    """
    Build a `SqrtParseError` whose snippet is the offending source line.

    Args:
        source: The whole program text.
        message: The error message.
        line: 1-based line of the error.
        column: 1-based column of the error.

    Returns:
        The error, ready to raise.
    """
    lines = source.split("\n")
    snippet = lines[line - 1] if 0 < line <= len(lines) else ""
    snippet = snippet.rstrip("\r")[: column + 80]
    return SqrtParseError(message, line, column, snippet)


def tokenize(source: str) -> tuple[list[Token], list[Comment]]:
    """
    Split SQRT source into tokens (ending with an `EOF` token) and comments.

    Args:
        source: The program text.

    Returns:
        The tokens and the skipped `//` / `/* */` comments, both in source order.

    Raises:
        SqrtParseError: On an unexpected character or an unterminated string or comment.
    """
    tokens: list[Token] = []
    comments: list[Comment] = []
    pos = 0
    line = 1
    line_start = 0
    size = len(source)
    match = _SCANNER.match
    while pos < size:
        m = match(source, pos)
        column = pos - line_start + 1
        if m is None:
            raise _lex_error(source, pos, line, column)
        end = m.end()
        group = m.lastgroup
        text = m.group()
        if group == "ws":
            pass
        elif group == "line":
            comments.append(Comment(text.rstrip("\r \t\f"), line, column, line))
        elif group == "block":
            newlines = text.count("\n")
            comments.append(Comment(text, line, column, line + newlines))
        elif group == "string":
            prefix = m.group("prefix")
            tokens.append(Token(_STRING_KINDS[prefix], text, line, column, pos, end))
        elif group == "float":
            tokens.append(Token(FLOAT, text, line, column, pos, end))
        elif group == "int":
            tokens.append(Token(INT, text, line, column, pos, end))
        elif group == "ident":
            tokens.append(Token(IDENT, text, line, column, pos, end))
        elif group == "doc":
            tokens.append(Token(DOC, text.rstrip("\r \t\f"), line, column, pos, end))
        else:
            tokens.append(Token(text, text, line, column, pos, end))
        newlines = text.count("\n")
        if newlines:
            line += newlines
            line_start = pos + text.rindex("\n") + 1
        pos = end
    tokens.append(Token(EOF, "", line, pos - line_start + 1, pos, pos))
    return tokens, comments


def _lex_error(source: str, pos: int, line: int, column: int) -> SqrtParseError:
    """Describe why no token starts at `pos`."""
    char = source[pos]
    if source.startswith("/*", pos):
        message = "Unterminated block comment (missing '*/')"
    elif char == '"' or (char in "rwd" and source.startswith('"', pos + 1)):
        message = "Unterminated string literal (missing closing '\"')"
    elif char == "'":
        message = 'Unexpected character "\'": strings use double quotes'
    else:
        message = f"Unexpected character {char!r}"
    return make_error(source, message, line, column)
