"""Robustness tests: hostile input gives a clean SqrtParseError quickly, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from _budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sequrity.sqrt import SqrtParseError, check, check_file, format, parse
from sequrity.sqrt._parse_expr import MAX_DEPTH


def _assert_clean_error(code: str) -> SqrtParseError:
    result = parse(code)
    assert result.valid is False
    assert isinstance(result.error, SqrtParseError)
    assert result.error.line is not None
    assert result.error.column is not None
    return result.error


def test_binary_input_is_rejected() -> None:
    """Arbitrary bytes decoded as text give a SqrtParseError at the first bad character."""
    code = bytes(range(256)).decode("latin-1")

    err = _assert_clean_error(code)

    assert (err.line, err.column) == (1, 1)


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    """check_file turns non-UTF-8 bytes into a SqrtParseError with a location."""
    path = tmp_path / "blob.sqrt"
    path.write_bytes(b"let x = {};\nlet y = \xff\xfe;")

    with pytest.raises(SqrtParseError) as info:
        check_file(path)

    assert (info.value.line, info.value.column) == (2, 9)


@pytest.mark.parametrize("context", ["let x = {}", "let p = {}", 'tool "t" { must deny when {} }'])
def test_ten_thousand_nested_parens_are_rejected(context: str) -> None:
    """10,000 nested parentheses hit the depth limit instead of the recursion limit."""
    inner = "(" * 10_000 + "a.tags is empty" + ")" * 10_000
    code = context.replace("{}", inner, 1) + ";"

    err = _assert_clean_error(code)

    assert "too deep" in err.message


def test_long_not_chain_is_rejected() -> None:
    """A chain of 10,000 `not` is refused with the nesting error, not a RecursionError."""
    err = _assert_clean_error("let p = " + "not " * 10_000 + "q;")

    assert "too deep" in err.message


def test_nesting_at_the_limit_still_works() -> None:
    """Nesting exactly MAX_DEPTH levels deep parses and formats."""
    code = "let p = " + "(" * MAX_DEPTH + "a.tags is empty" + ")" * MAX_DEPTH + ";"

    assert parse(code).valid
    assert format(code).count("(") == MAX_DEPTH


def test_unterminated_string_is_rejected() -> None:
    """An unterminated string is reported where it starts."""
    err = _assert_clean_error('let x = {"ok"};\nlet y = {"never closed};\n' + "x" * 100_000)

    assert (err.line, err.column) == (2, 10)
    assert "Unterminated string" in err.message


def test_unterminated_block_comment_is_rejected() -> None:
    """An unterminated block comment is reported where it starts."""
    err = _assert_clean_error("let x = {};\n  /* open\n" + "text\n" * 10_000)

    assert (err.line, err.column) == (2, 3)


@pytest.mark.slow
def test_huge_input_is_rejected_at_its_last_line() -> None:
    """A 50,000-line program with garbage at the end is rejected, pointing at the garbage."""
    code = "let x = {};\n" * 50_000 + "??"

    err = _assert_clean_error(code)

    assert (err.line, err.column) == (50_001, 1)


@pytest.mark.slow
def test_huge_single_line_set_parses() -> None:
    """A set literal with 100,000 elements on one line parses."""
    code = "let x = {" + ", ".join(f'"e{i}"' for i in range(100_000)) + "};"

    assert parse(code).valid


@pytest.mark.slow
def test_long_operator_chain_formats_without_recursion() -> None:
    """A 20,000-operand union is flat in the tree, so formatting and equality do not recurse."""
    code = "let s = " + " | ".join(["a"] * 20_000) + ";"

    formatted = format(code)

    assert parse(formatted).tree == parse(code).tree


@settings(max_examples=examples(300))
@given(st.text(max_size=200))
def test_any_text_parses_or_fails_cleanly(code: str) -> None:
    """Random text never raises anything other than SqrtParseError."""
    result = parse(code)

    assert result.valid == (result.error is None)
    if not result.valid:
        with pytest.raises(SqrtParseError):
            check(code)


_ALPHABET = [
    *'{}()[];,=|&^-+@." r w d / * \n',
    "let", "tool", "when", "not", "and", "or", "in", "a", "tags", ".value", "..", "<..<", "1",
    "1.5", "inf", '"s"', "must", "deny", "result", "session", "before", "///", "overlaps", "of",
]  # fmt: skip


@settings(max_examples=examples(300))
@given(st.lists(st.sampled_from(_ALPHABET), max_size=60))
def test_token_soup_parses_or_fails_cleanly(parts: list[str]) -> None:
    """Random sequences of SQRT-like fragments never crash the parser or the formatter."""
    code = " ".join(parts)

    result = parse(code)

    if result.valid:
        assert parse(format(code)).tree == result.tree
    else:
        assert isinstance(result.error, SqrtParseError)
