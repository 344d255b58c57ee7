"""
The SQRT syntax checker under the official SDK's import path ``sequrity.sqrt.parser``: `parse`,
`validate`, `check`, `check_file`, `ParseResult` and `SqrtParseError`, from `sequrity.sqrt`.
"""

from __future__ import annotations

from ._errors import SqrtParseError as SqrtParseError
from ._parser import ParseResult as ParseResult
from ._parser import check as check
from ._parser import check_file as check_file
from ._parser import parse as parse
from ._parser import validate as validate

__all__ = ["ParseResult", "SqrtParseError", "check", "check_file", "parse", "validate"]
