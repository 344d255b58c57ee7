"""
The SQRT syntax checker under the official SDK's import path ``sequrity.sqrt.parser``: `parse`,
`validate`, `check`, `check_file`, `ParseResult` and `SqrtParseError`. The functions are those of
`sequrity.sqrt` under the official parameter names (``sqrt_code``, ``file_path``).
"""

from __future__ import annotations

import os

from . import _parser
from ._errors import SqrtParseError as SqrtParseError
from ._parser import ParseResult as ParseResult

__all__ = ["ParseResult", "SqrtParseError", "check", "check_file", "parse", "validate"]


def parse(sqrt_code: str) -> ParseResult:
    """
    Parse SQRT source without raising for syntax errors (`sequrity.sqrt.parse`).

    Returns:
        ``ParseResult(valid, tree, error)``.
    """
    return _parser.parse(sqrt_code)


def validate(sqrt_code: str) -> bool:
    """
    Whether the SQRT source is syntactically valid (`sequrity.sqrt.validate`).
    """
    return _parser.validate(sqrt_code)


def check(sqrt_code: str) -> None:
    """
    Raise `SqrtParseError` (line, column, source snippet) if the SQRT source is not valid
    (`sequrity.sqrt.check`).
    """
    _parser.check(sqrt_code)


def check_file(file_path: str | os.PathLike[str]) -> None:
    """
    Read a UTF-8 file and `check` it (`sequrity.sqrt.check_file`).

    Raises:
        SqrtParseError: The file's source is not valid.
        FileNotFoundError: There is no such file.
    """
    _parser.check_file(file_path)
