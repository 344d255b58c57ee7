"""The hook the client's header types call to reject invalid policy code before sending it."""

from __future__ import annotations

from ._parser import parse_tree

__all__ = ["check_policy_code"]


def check_policy_code(code: str) -> None:
    """
    Validate SQRT policy code destined for `X-Policy`.

    Args:
        code: The policy source.

    Raises:
        SqrtParseError: With line, column and a caret snippet when the code is invalid.
    """
    parse_tree(code)
