"""
The SQRT tokenizer: turns source text into tokens, keeping comments on the side.

Like the reference lexer, it puts no word boundary after keywords: ``@result``, ``@session``,
``@args`` and ``.value`` are tokens even when a letter follows, and the parser splits a keyword
off the front of a word where the grammar expects one (``denyalways`` is ``deny always``), using
`relex` to tokenize the rest of the word again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from ._errors import SqrtParseError

__all__ = ["Comment", "Token", "make_error", "relex", "tokenize"]

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
  | (?P<at>@(?:result|session|args))
  | (?P<dotvalue>\.value)
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
    for item in _scan(source, 0, 1, 0):
        if isinstance(item, Token):
            tokens.append(item)
        else:
            comments.append(item)
    return tokens, comments


def relex(source: str, tokens: list[Token], index: int, skip: int) -> list[Token]:
    """
    Split the token at `index` after its first `skip` characters and tokenize the rest again.

    Returns a new token list (the old one is left untouched, so a parser can go back to it):
    the tokens before `index`, the first `skip` characters as an identifier token, and the tokens
    from there on. Lexing again stops as soon as it is back in step with the old tokens.

    Args:
        source: The whole program text the tokens come from.
        tokens: The current token list.
        index: The token to split (an identifier longer than `skip`).
        skip: How many characters of it form the first token.
    """
    tok = tokens[index]
    head = Token(IDENT, tok.text[:skip], tok.line, tok.column, tok.start, tok.start + skip)
    out = [*tokens[:index], head]
    old = index
    line_start = tok.start - tok.column + 1
    for item in _scan(source, tok.start + skip, tok.line, line_start):
        if not isinstance(item, Token):
            continue
        out.append(item)
        while old < len(tokens) and tokens[old].end < item.end:
            old += 1
        if old < len(tokens) and tokens[old].end == item.end and tokens[old].kind == item.kind:
            # Back in step: the old tokens from here on are what lexing would produce.
            if item.kind != EOF:
                out.extend(tokens[old + 1 :])
            return out
    return out  # pragma: no cover - _scan always ends with EOF, which is always in step


def _scan(source: str, pos: int, line: int, line_start: int) -> Iterator[Token | Comment]:
    """Yield the tokens and comments of `source` from `pos` on, then the `EOF` token."""
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
            yield Comment(text.rstrip("\r \t\f"), line, column, line)
        elif group == "block":
            yield Comment(text, line, column, line + text.count("\n"))
        elif group == "string":
            prefix = m.group("prefix")
            yield Token(_STRING_KINDS[prefix], text, line, column, pos, end)
        elif group == "float":
            yield Token(FLOAT, text, line, column, pos, end)
        elif group == "int":
            yield Token(INT, text, line, column, pos, end)
        elif group == "ident":
            yield Token(IDENT, text, line, column, pos, end)
        elif group == "doc":
            yield Token(DOC, text.rstrip("\r \t\f"), line, column, pos, end)
        else:
            yield Token(text, text, line, column, pos, end)
        newlines = text.count("\n")
        if newlines:
            line += newlines
            line_start = pos + text.rindex("\n") + 1
        pos = end
    yield Token(EOF, "", line, pos - line_start + 1, pos, pos)


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
