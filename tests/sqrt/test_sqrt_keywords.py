"""
Keywords without a word boundary: the reference grammar's lexer matches a keyword wherever the
grammar expects one, even glued to what follows, and reads a word as a name when it can.
Every verdict below was checked against the reference parser.
"""

from __future__ import annotations

import pytest

from sequrity.sqrt import format, parse, validate

#: Glued source the reference accepts, and how our formatter prints it.
GLUED = [
    (
        'tool "t" { sessionafter { @tags |= {"a"}; } }',
        'tool "t" {\n    session after {\n        @tags |= {"a"};\n    }\n}\n',
    ),
    (
        'tool "t" { sessionbefore { @tags |= {"a"}; } }',
        'tool "t" {\n    session before {\n        @tags |= {"a"};\n    }\n}\n',
    ),
    ('tool "t" { hard denyalways; }', 'tool "t" {\n    hard deny always;\n}\n'),
    (
        'tool"t"{priority5;mustallowalways;}',
        'tool "t" {\n    priority 5;\n    must allow always;\n}\n',
    ),
    ('let y = str "a" length0;', 'let y = str "a" length 0;\n'),
    ("let x = {float3, int8};", "let x = {float 3, int 8};\n"),
    ("let x = int1..2.5;", "let x = int 1..2.5;\n"),
    (
        'tool "t" -> @tags |= @tags with int 0..infwhen x.value == 1;',
        'tool "t" -> @tags |= @tags with int 0..inf when x.value == 1;\n',
    ),
    ('let s = {"a"} withoutw"*.com";', 'let s = {"a"} without w"*.com";\n'),
    ('tool "t" -> sessionbefore @tags |= {"a"};', 'tool "t" -> session before @tags |= {"a"};\n'),
    ("letx = y;", "let x = y;\n"),
    ("let a = x.valuein{1};", "let a = x.value in {1};\n"),
    ('let a = x.tagsoverlaps{"a"};', 'let a = x.tags overlaps {"a"};\n'),
    ("let a = @tagsisempty;", "let a = @tags is empty;\n"),
    ("let a = unionoftags fromargs;", "let a = union of tags from args;\n"),
    ('let x = str matchingr"a.*";', 'let x = str matching r"a.*";\n'),
    ('let x = strlike w"*.com";', 'let x = str like w"*.com";\n'),
    ("let a = nottrue == x.value;", "let a = not true == x.value;\n"),
    ("let a = truein {bool true};", "let a = true in {bool true};\n"),
    ("let a = x orders;", "let a = x or ders;\n"),
    (
        'tool "t" { result { whenx.tags == {"a"} { @tags |= {"b"}; } } }',
        'tool "t" {\n    result {\n        when x.tags == {"a"} {\n            @tags |= {"b"};\n'
        "        }\n    }\n}\n",
    ),
]

#: Words that start with a keyword but read as names, as the reference parser reads them.
NAMES = [
    ("let a = notx;", "let a = notx;\n"),
    ("let a = int8;", "let a = int8;\n"),
    ("let a = notes.value in {1};", "let a = notes.value in {1};\n"),
    ("let a = trueor.value == 1;", "let a = trueor.value == 1;\n"),
    (
        'tool "t" { result { whenx.tags = {"a"}; } }',
        'tool "t" {\n    result {\n        whenx.tags = {"a"};\n    }\n}\n',
    ),
]

#: Glued source the reference rejects too.
REJECTED = [
    'tool "t" { hard deny whenn true; }',
    "let a = x.value == infwhen;",
    'tool "t" { hard deny when x.value in {int 0..infwhen}; }',
    "let a = x.tags isnt empty;",
]


@pytest.mark.parametrize(("source", "formatted"), GLUED)
def test_keywords_glued_to_what_follows_parse_and_format_with_spaces(
    source: str, formatted: str
) -> None:
    """A keyword glued to the next word or literal is accepted and printed with normal spacing."""
    assert validate(source), parse(source).error

    assert format(source) == formatted


@pytest.mark.parametrize(("source", "formatted"), NAMES)
def test_words_that_start_with_a_keyword_are_read_as_names_when_they_can_be(
    source: str, formatted: str
) -> None:
    """A word such as `notx` or `int8` stays a name wherever a name fits, as in the reference."""
    assert format(source) == formatted


@pytest.mark.parametrize("source", REJECTED)
def test_glued_source_the_reference_rejects_is_rejected(source: str) -> None:
    """Gluing does not make invalid programs valid."""
    assert not validate(source)


def test_a_glued_keyword_error_points_at_the_token_after_the_keyword() -> None:
    """`whenn true` reads as `when n` then `true`: the error is at `true`, like the reference's."""
    error = parse('tool "t" { hard deny whenn true; }').error

    assert error is not None
    assert (error.line, error.column) == (1, 28)
