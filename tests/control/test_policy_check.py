"""Opt-in local checking of SQRT code in SecurityPolicyHeader."""

from __future__ import annotations

import pytest

from sequrity import SequrityError
from sequrity.control import PolicyCode, SecurityPolicyHeader
from sequrity.sqrt import SqrtParseError


def test_valid_code_passes_and_returns_the_same_header():
    """check_code() returns the header itself when its SQRT parses."""
    header = SecurityPolicyHeader.dual_llm(codes='tool "send_email" { hard deny when true; }')

    assert header.check_code() is header


def test_invalid_code_raises_with_line_column_and_caret():
    """A mistake is reported before sending, with its position and a caret under it."""
    header = SecurityPolicyHeader.dual_llm(codes='tool "x" {\n  hard deny when ;\n}')

    with pytest.raises(SqrtParseError) as info:
        header.check_code()

    assert (info.value.line, info.value.column) == (2, 18)
    assert "^" in str(info.value)
    assert isinstance(info.value, SequrityError)


def test_cedar_and_empty_code_are_not_checked():
    """Cedar policies and empty code are left to the server."""
    cedar = SecurityPolicyHeader(
        codes=PolicyCode(code="permit(principal, action, resource);", language="cedar")
    )

    assert cedar.check_code() is cedar
    assert SecurityPolicyHeader.dual_llm().check_code().codes.code == ""


def test_checking_is_off_by_default():
    """Building a header with invalid SQRT does not raise: the server stays the authority."""
    header = SecurityPolicyHeader.dual_llm(codes="not sqrt at all {")

    assert header.dump_for_headers(mode="json")["codes"]["code"] == "not sqrt at all {"
