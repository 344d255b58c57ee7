"""Tests for the SQRT parser: the spec's examples, near-miss errors and the official API."""

from __future__ import annotations

from pathlib import Path

import pytest

from sequrity.sqrt import ParseResult, SqrtParseError, check, check_file, parse, validate
from sequrity.sqrt import _ast as ast

SPEC_EXAMPLES = [
    "",
    'let x = {"foo", "bar"};',
    'tool "t" { must allow always; }',
    'tool "t" { must deny when path.tags overlaps {"secret"}; should allow always; }',
    'tool "t" { result { @tags = @tags | {"processed"}; } }',
    'tool "foo" -> @tags |= {"bar"};',
    'let IsAdmin = arg1.value in {"admin", "root"};',
    'tool "file_access" { must deny when path.value in {"/etc/passwd"}; should deny always; }',
    'tool "issue_refund" { session before { when "attempt1" in @tags { @tags |= {"attempt2"}; } }'
    ' hard allow when "final_attempt" in @session.tags; }',
    'tool r"send_to_.*" { hard deny when "pii" in data.tags; }',
    'tool "generate_business_summary" { hard allow when @args.producers superset of'
    ' {"verified_financial_data", "verified_marketing_data"}; }',
    'tool "audit_log" [50] -> session @producers |= {"audit_system"};',
    'tool "t" -> @tags = @tags without "removed";',
    'let sensitive_docs = {"internal_use", "confidential"};\n'
    'tool "get_internal_document" -> @tags |= sensitive_docs;\n'
    'tool "send_email" { hard deny when (body.tags overlaps sensitive_docs) and'
    ' (not to.value in {str matching r".*@trustedcorp\\.com"}); }',
    # official test_parser.py TestComplexSyntaxValidation
    'tool "t" { must deny when a.tags overlaps {"x"} and b.tags subset of {"y"}; }',
    'tool "t" { must deny when not a.value in {"x"} or b.tags overlaps {"y"}; }',
    'let s = {"a"} | {"b"} & {"c"} - {"d"} ^ {"e"};',
    'let d = {bool true, int 1..100, float 0.0..1.0, str "exact", str matching r"^[a-z]+$"};',
    'tool "t" { must deny when union of tags from args overlaps {"x"}; result { @tags = @args.tags; } }',
    'tool "t" { session before { @tags |= {"a"}; } session after { @tags = @tags - {"a"}; } }',
    'tool "t" { result { when input.tags overlaps {"x"} { @tags |= {"y"}; } } }',
    '/// Policy doc\ntool "t" {\n  /// Member doc\n  must allow always;\n}',
    'tool r"^file_.*" { should deny always; }',
    # Appendix A item 8
    'tool "t" -> @tags |= {"tagged"};',
    'tool "t" { hard deny when "x" in arg.tags; }',
    'tool "t" { session before { when "a2" in @tags { @tags |= {"final"}; } }'
    ' session before { when "a1" in @tags { @tags |= {"a2"}; } }'
    ' session before { @tags |= {"a1"}; } hard allow when "final" in @session.tags; }',
    # lexical corners from section 8.1
    "let and = {}; let tags = {};",
    "let notes = notes.tags overlaps android.tags and not orders.value in inbox;",
    "let x = x .value == 1;",
    "let x = @result . tags is empty; let y = @ tags is universal;",
    "let x = int 1..2.5;",
    'let x = @session.value == "active";',
    "let x = {int 0<..<100, int 0<..10, int 0..<10, int 10.., int ..50, int ..<5, int 42, int 1<..};",
    'let x = {float -inf..+inf, float inf, -3, 2.5, w"*.txt", r"a.*", "s"};',
    'let x = {str like w"*.txt" length 1..10, str "hello" length 5};',
    'let x = {datetime d"2023-10-01T00:00:00Z"..d"2024-01-01T00:00:00Z",'
    ' datetime ..<d"2023-01-01T00:00:00Z", datetime d"2023-01-01T00:00:00Z"<..,'
    ' datetime "2023-01-01", datetime 1700000000, datetime d"2023-01-01T00:00:00Z"};',
    "let x = @args.tags.intersect | @args.consumers.union | intersect of producers from args;",
    'let x = {"a"} union {"b"} intersect {"c"} minus {"d"} xor {"e"} with "f" without int 1..2;',
    'tool "t" { priority -5; priority 3; result {} result {} session after {} }',
    'tool "t" [-2] -> session before @consumers &= {"x"} when a.tags is empty;',
    'tool "t" -> result @tags -= {"x"}; tool "u" -> session after @tags ^= {"y"};',
    'let p = a.value == b.value; let q = "x" == d"2023"; let r = @result.value == true;',
    'let p = ((a.tags == {"x"}));',
    "let p = x.tags overlaps {};/* c */ // d\n",
    'tool "t" { must deny when a.tags overlaps {"x"}; /// next\n should allow always; }',
    "let y = not;",
]


@pytest.mark.parametrize("code", SPEC_EXAMPLES)
def test_spec_examples_are_valid(code: str) -> None:
    """Every documented example and lexical corner case parses."""
    result = parse(code)

    assert result.error is None
    assert result.valid is True
    assert isinstance(result.tree, ast.Program)


# (program, line, column, fragment of the message)
INVALID = [
    ('let x = {"foo"}', 1, 16, "Expected ';'"),
    ('foobar "test" { };', 1, 1, "'let' or 'tool'"),
    ('tool "test" { broken }', 1, 15, "'priority'"),
    ('let x = {"a"}\nlet y = {};', 1, 14, "Expected ';' after '}'"),
    ("let = {};", 1, 5, "a name"),
    ("let x {};", 1, 7, "'='"),
    ("tool test { }", 1, 6, "tool id"),
    ('tool w"x" { }', 1, 6, "tool id"),
    ('tool "t" ;', 1, 10, "'{', '[' or '->'"),
    ('tool "t" { must allow; }', 1, 22, "'when' or 'always'"),
    ('tool "t" { must maybe always; }', 1, 17, "'allow' or 'deny'"),
    ('tool "t" { priority 1.5; }', 1, 21, "an integer"),
    ('tool "t" { priority 1 }', 1, 23, "';'"),
    ('tool "t" { session { } }', 1, 20, "'before' or 'after'"),
    ('tool "t" { result { @tags |= {"a"} } }', 1, 36, "';'"),
    ('tool "t" { result { tags |= {"a"}; } }', 1, 21, "update target"),
    ('tool "t" { result { @tags += {"a"}; } }', 1, 27, "'|='"),
    ('tool "t" { result { @values = {}; } }', 1, 22, "metadata field"),
    ('tool "t" { result { when a.tags is empty { when b.tags is empty { } } } }', 1, 44, "Nested"),
    ('tool "t" { result { when a.tags is empty { /// d\n @tags = {}; } } }', 1, 44, "Doc comments"),
    ('tool "t" { let x = {}; }', 1, 12, "'priority'"),
    ('tool "t" -> body.tags |= {};', 1, 13, "cannot update an argument"),
    ('tool "t" [1.5] -> @tags = {};', 1, 11, "an integer"),
    ('tool "t" [1 -> @tags = {};', 1, 13, "']'"),
    ('tool "t" -> session during @tags = {};', 1, 21, "'@'"),
    ('tool "t" -> @tags = {} when;', 1, 28, "a predicate"),
    ('tool "t" { must deny always; /// dangling\n}', 1, 30, "not followed by a tool member"),
    ("let x = {};\n/// dangling at end", 2, 1, "not followed by a declaration"),
    ('let x = {"a",};', 1, 14, "a set element"),
    ('let x = {d"2023"};', 1, 10, "a set element"),
    ("let x = {'a'};", 1, 10, "double quotes"),
    ("let x = S overlaps a.tags;", 1, 9, "left side of 'overlaps'"),
    ("let x = a.tags overlaps;", 1, 24, "a set expression"),
    ('let x = a.tags subset {"a"};', 1, 23, "'of'"),
    ("let x = a.tags is full;", 1, 19, "'empty' or 'universal'"),
    ("let x = a.value in;", 1, 19, "a set expression"),
    ('let x = a.value == r"x";', 1, 20, "a value"),
    ("let x = x . value == 1;", 1, 13, "metadata field"),
    ("let x = @args.value == 1;", 1, 14, "'.'"),
    ("let x = @args.tags.both;", 1, 20, "'union' or 'intersect'"),
    ("let x = union of tags from sets;", 1, 28, "'args'"),
    ("let x = {int};", 1, 13, "a number"),
    ("let x = {int ..};", 1, 16, "a number"),
    ("let x = {int 1<..<};", 1, 19, "a number"),
    ("let x = {int 1.};", 1, 15, None),
    ('let x = {str matching "x"};', 1, 23, "regex"),
    ('let x = {str like r"x"};', 1, 19, "wildcard"),
    ('let x = {str "x" length};', 1, 24, "a number"),
    ("let x = {bool yes};", 1, 15, "'true' or 'false'"),
    ('let x = {datetime d"a"..1};', 1, 25, "',' or '}'"),
    ("let x = {datetime ..1};", 1, 21, "datetime"),
    ("let x = {+1};", 1, 10, None),
    ("let x = {- 1};", 1, 10, None),
    ("let x = (a.tags is empty;", 1, 25, "')'"),
    ('let x = "unterminated;', 1, 9, "Unterminated string"),
    ("let x = {}; /* never closed", 1, 13, "Unterminated block comment"),
    ("let x = TRUE and {};", 1, 18, "a predicate"),
    ('let x = {"a"} | ;', 1, 17, "a set expression"),
    ('tool "t" { must deny when a.tags overlaps {"x"}; }}', 1, 51, "'let' or 'tool'"),
]


@pytest.mark.parametrize(("code", "line", "column", "fragment"), INVALID)
def test_near_misses_are_rejected_at_the_mistake(
    code: str, line: int, column: int, fragment: str | None
) -> None:
    """Each near-miss program is rejected with the line and column of its first mistake."""
    result = parse(code)

    assert result.valid is False
    assert result.tree is None
    assert result.error is not None
    assert (result.error.line, result.error.column) == (line, column), str(result.error)
    if fragment is not None:
        assert fragment in result.error.message


def test_parse_result_is_named_tuple() -> None:
    """ParseResult unpacks into (valid, tree, error)."""
    valid, tree, error = parse("let x = {};")

    assert isinstance(parse(""), ParseResult)
    assert (valid, error) == (True, None)
    assert tree is not None


def test_validate_returns_bool() -> None:
    """validate answers True for valid and False for invalid programs."""
    assert validate('tool "t" { must allow always; }') is True
    assert validate('let x = {"foo"}') is False


def test_check_raises_with_location_and_caret() -> None:
    """check raises SqrtParseError whose text names the line and column and draws a caret."""
    with pytest.raises(SqrtParseError) as info:
        check('let a = {};\ntool "t" {\n  must allow sometimes;\n}')

    err = info.value
    assert (err.line, err.column) == (3, 14)
    assert "line 3" in str(err)
    assert "column 14" in str(err)
    assert err.source_snippet == "  must allow sometimes;"
    assert str(err).endswith("\n\n    must allow sometimes;\n  " + " " * 13 + "^")


def test_check_valid_returns_none() -> None:
    """check returns None for a valid program."""
    assert check('tool "foo" -> @tags |= {"bar"};') is None


def test_error_rendering_matches_official_shape() -> None:
    """SqrtParseError renders message, location and snippet like the official class."""
    err = SqrtParseError("Bad", line=5, column=10, source_snippet="some code here")

    assert str(err) == "Bad at line 5, column 10\n\n  some code here\n           ^"
    assert (err.message, err.line, err.column) == ("Bad", 5, 10)


def test_error_without_location_keeps_message() -> None:
    """An error without a location renders only its message."""
    err = SqrtParseError("just a message")

    assert str(err) == "just a message"
    assert err.line is None
    assert err.column is None
    assert err.source_snippet is None


def test_check_file_reads_utf8(tmp_path: Path) -> None:
    """check_file accepts a valid file and reports errors from an invalid one."""
    good = tmp_path / "good.sqrt"
    good.write_text('let s = {"ünïcode"};\n', encoding="utf-8")
    bad = tmp_path / "bad.sqrt"
    bad.write_text("let s = ;\n", encoding="utf-8")

    check_file(good)
    with pytest.raises(SqrtParseError) as info:
        check_file(bad)
    assert (info.value.line, info.value.column) == (1, 9)


def test_check_file_missing_raises_file_not_found(tmp_path: Path) -> None:
    """check_file lets FileNotFoundError propagate for a missing file."""
    with pytest.raises(FileNotFoundError):
        check_file(tmp_path / "missing.sqrt")


def test_set_operator_precedence_is_union_first() -> None:
    """Union binds tighter than intersect: `a | b & c` is `(a | b) & c` and `a & b | c` is `a & (b | c)`."""
    first = parse("let s = a | b & c;").tree
    second = parse("let s = a & b | c;").tree
    assert first is not None
    assert second is not None

    a, b, c = (ast.Name(name=n) for n in "abc")
    union_ab = ast.SetBinary(operands=(a, b), ops=("|",))
    union_bc = ast.SetBinary(operands=(b, c), ops=("|",))
    assert first.declarations[0] == ast.LetDecl(
        name="s", value=ast.SetBinary(operands=(union_ab, c), ops=("&",))
    )
    assert second.declarations[0] == ast.LetDecl(
        name="s", value=ast.SetBinary(operands=(a, union_bc), ops=("&",))
    )


def test_not_applies_to_the_following_comparison() -> None:
    """`not to.value in S or p` negates only the comparison."""
    tree = parse('let p = not to.value in {"a"} or q;').tree
    assert tree is not None

    value = tree.declarations[0]
    assert isinstance(value, ast.LetDecl)
    assert isinstance(value.value, ast.Or)
    assert isinstance(value.value.operands[0], ast.Not)
    assert value.value.operands[1] == ast.Name(name="q")


def test_bare_name_is_a_reference() -> None:
    """A bare name after `let x =` parses as a generic reference."""
    tree = parse("let x = y;").tree
    assert tree is not None

    assert tree.declarations[0] == ast.LetDecl(name="x", value=ast.Name(name="y"))


def test_doc_comments_attach_to_next_item() -> None:
    """A trailing `///` on a member's line documents the next member."""
    tree = parse('/// top\ntool "t" { must deny always; /// second\n should allow always; }').tree
    assert tree is not None

    tool = tree.declarations[0]
    assert isinstance(tool, ast.ToolBlock)
    assert tool.docs == (" top",)
    assert [m.docs for m in tool.members] == [(), (" second",)]


def test_nodes_carry_positions() -> None:
    """Nodes record the 1-based line and column where they start."""
    tree = parse('let a = {};\ntool "t" {\n   must deny when x.tags is empty;\n}').tree
    assert tree is not None

    tool = tree.declarations[1]
    assert isinstance(tool, ast.ToolBlock)
    rule = tool.members[0]
    assert (tool.line, tool.column, tool.end_line) == (2, 1, 4)
    assert (rule.line, rule.column) == (3, 4)
    assert isinstance(rule, ast.CheckRule)
    assert rule.condition is not None
    assert (rule.condition.line, rule.condition.column) == (3, 19)
