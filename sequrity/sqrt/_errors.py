"""Errors raised by the SQRT toolkit: syntax errors and policy evaluation errors."""

from __future__ import annotations

from .._exceptions import SequrityError

__all__ = ["SqrtEvalError", "SqrtParseError"]


class SqrtParseError(SequrityError, ValueError):
    """
    A SQRT program is not syntactically valid.

    Args:
        message: What was expected and what was found.
        line: 1-based line of the offending token, if known.
        column: 1-based column of the offending token, if known.
        source_snippet: The offending source line, if known.
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        source_snippet: str | None = None,
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.source_snippet = source_snippet
        super().__init__(message)

    def __str__(self) -> str:
        text = self.message
        if self.line is not None:
            text += f" at line {self.line}"
            if self.column is not None:
                text += f", column {self.column}"
        if self.source_snippet is not None:
            text += f"\n\n  {self.source_snippet}"
            if self.column is not None:
                text += "\n  " + " " * (self.column - 1) + "^"
        return text

    def __repr__(self) -> str:
        return (
            f"SqrtParseError({self.message!r}, line={self.line!r}, column={self.column!r}, "
            f"source_snippet={self.source_snippet!r})"
        )


class SqrtEvalError(SequrityError, ValueError):
    """
    A syntactically valid policy cannot be evaluated (undefined name, wrong kind, bad regex).

    Its message says what went wrong, with the source line when known.
    """
