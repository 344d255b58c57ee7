"""The NOT_GIVEN sentinel: tells "argument not passed" (use the client default) apart from `None`."""

from __future__ import annotations

import enum
from typing import Final, Literal

__all__ = ["NOT_GIVEN", "NotGiven"]


class NotGiven(enum.Enum):
    """
    Type of `NOT_GIVEN`. An enum member, so it is a true singleton (pickling, copying and
    `is` checks all work) and type checkers can narrow on it.
    """

    NOT_GIVEN = "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven.NOT_GIVEN
"""An argument left out (distinct from `None`, which means "send nothing")."""
