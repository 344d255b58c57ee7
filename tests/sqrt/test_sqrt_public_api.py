"""Tests for the public surface of `sequrity.sqrt`."""

from __future__ import annotations

import pytest

import sequrity.sqrt as sqrt


def test_all_lists_exactly_the_public_names() -> None:
    """`__all__` equals the module's public attributes (apart from submodules)."""
    public = {
        name
        for name in dir(sqrt)
        if not name.startswith("_")
        and name not in ("annotations", "TYPE_CHECKING")
        and not (name != "ast" and type(getattr(sqrt, name)).__name__ == "module")
    }

    assert set(sqrt.__all__) == public


def test_check_policy_code_hook() -> None:
    """check_policy_code accepts valid code and raises SqrtParseError otherwise."""
    sqrt.check_policy_code('tool "t" -> @tags |= {"x"};')

    with pytest.raises(sqrt.SqrtParseError, match="line 1"):
        sqrt.check_policy_code("tool")
