"""Tests for the formatter and the syntax tree: canonical layout, round-trips and idempotence."""

from __future__ import annotations

import functools
import operator

import pytest
from _budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sequrity.sqrt import _ast as ast
from sequrity.sqrt import children, format, parse, walk

Tokens = list[str]

_names = st.sampled_from(["x", "body", "to", "notes", "android", "inbox", "orders", "tags", "_a1"])
_meta = st.sampled_from(["tags", "producers", "consumers"])
_body = st.text(alphabet='ab *?.\\"é', max_size=6).map(
    lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
)
_string = _body.map(lambda b: f'"{b}"')
_number = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.tuples(st.integers(-99, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.sampled_from(["inf", "-inf", "+inf"]),
)
_range_op = st.sampled_from(["..", "..<", "<..", "<..<"])


@st.composite
def _range(draw: st.DrawFn, bound: st.SearchStrategy[str] = _number) -> Tokens:
    form = draw(st.integers(0, 3))
    if form == 0:
        return [draw(bound)]
    if form == 1:
        return [draw(st.sampled_from(["..", "..<"])), draw(bound)]
    if form == 2:
        return [draw(bound), draw(st.sampled_from(["..", "<.."]))]
    return [draw(bound), draw(_range_op), draw(bound)]


@st.composite
def _domain(draw: st.DrawFn) -> Tokens:
    kind = draw(st.sampled_from(["bool", "int", "float", "str", "datetime"]))
    if kind == "bool":
        return ["bool", draw(st.sampled_from(["true", "false"]))]
    if kind in ("int", "float"):
        return [kind, *draw(_range())]
    if kind == "datetime":
        dt = _body.map(lambda b: f'd"{b}"')
        return ["datetime", *draw(st.one_of(_range(dt), _string.map(lambda s: [s])))]
    mode = draw(st.sampled_from([[], ["matching"], ["like"]]))
    prefix = {"matching": "r", "like": "w"}.get(mode[0] if mode else "", "")
    length = draw(st.one_of(st.just([]), _range().map(lambda r: ["length", *r])))
    return ["str", *mode, prefix + draw(_string), *length]


_element = st.one_of(
    _string.map(lambda s: [s]),
    _string.map(lambda s: ["r" + s]),
    _string.map(lambda s: ["w" + s]),
    _number.map(lambda n: [n]),
    _domain(),
)


@st.composite
def _set_literal(draw: st.DrawFn) -> Tokens:
    elements = draw(st.lists(_element, max_size=3))
    out = ["{"]
    for i, element in enumerate(elements):
        out += ([","] if i else []) + element
    return [*out, "}"]


@st.composite
def _set_operand(draw: st.DrawFn) -> Tokens:
    field = draw(_meta)
    return draw(
        st.sampled_from(
            [
                [draw(_names), ".", field],
                ["@", field],
                ["@result", ".", field],
                ["@session", ".", field],
                ["@args", ".", field],
                ["@args", ".", field, ".", draw(st.sampled_from(["union", "intersect"]))],
                [draw(st.sampled_from(["union", "intersect"])), "of", field, "from", "args"],
            ]
        )
    )


_set_ops = st.sampled_from(["|", "union", "&", "intersect", "-", "minus", "^", "xor"])
_sets: st.SearchStrategy[Tokens] = st.deferred(
    lambda: st.one_of(
        _set_literal(),
        _set_operand(),
        _names.map(lambda n: [n]),
        _sets.map(lambda s: ["(", *s, ")"]),
        st.tuples(_sets, _set_ops, _sets).map(lambda t: [*t[0], t[1], *t[2]]),
        st.tuples(_sets, st.sampled_from(["with", "without"]), _element).map(
            lambda t: ["(", *t[0], ")", t[1], *t[2]]
        ),
    )
)
_value = st.one_of(
    _names.map(lambda n: [n, ".value"]),
    st.sampled_from([["@result", ".value"], ["@session", ".value"], ["true"], ["false"]]),
    _string.map(lambda s: [s]),
    _body.map(lambda b: [f'd"{b}"']),
    _number.map(lambda n: [n]),
)


@st.composite
def _comparison(draw: st.DrawFn) -> Tokens:
    if draw(st.booleans()):
        if draw(st.booleans()):
            return [*draw(_value), "in", *draw(_sets)]
        return [*draw(_value), "==", *draw(_value)]
    left = draw(_set_operand())
    op = draw(st.sampled_from([["overlaps"], ["subset", "of"], ["superset", "of"], ["=="], ["is"]]))
    if op == ["is"]:
        return [*left, "is", draw(st.sampled_from(["empty", "universal"]))]
    return [*left, *op, *draw(_sets)]


_preds: st.SearchStrategy[Tokens] = st.deferred(
    lambda: st.one_of(
        _comparison(),
        _names.map(lambda n: [n]),
        _preds.map(lambda p: ["(", *p, ")"]),
        _preds.map(lambda p: ["not", *p]),
        st.tuples(_preds, st.sampled_from(["and", "or"]), _preds).map(
            lambda t: [*t[0], t[1], *t[2]]
        ),
    )
)
_docs = st.lists(st.sampled_from(["/// doc\n", "///\n", "/// more  words\n"]), max_size=2)
_tool_id = st.one_of(_string, _string.map(lambda s: "r" + s))


@st.composite
def _update(draw: st.DrawFn) -> Tokens:
    target = draw(
        st.one_of(_set_operand().filter(lambda t: t[0] in ("@", "@result", "@session")),
                  st.tuples(_names, _meta).map(lambda t: [t[0], ".", t[1]]))
    )  # fmt: skip
    return [*target, draw(st.sampled_from(["=", "|=", "&=", "-=", "^="])), *draw(_sets), ";"]


@st.composite
def _block_stmt(draw: st.DrawFn) -> Tokens:
    docs = draw(_docs)
    if draw(st.booleans()):
        return [*docs, *draw(_update())]
    updates = draw(st.lists(_update(), max_size=2))
    return [*docs, "when", *draw(_preds), "{", *functools.reduce(operator.iadd, updates, []), "}"]


@st.composite
def _member(draw: st.DrawFn) -> Tokens:
    docs = draw(_docs)
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return [*docs, "priority", str(draw(st.integers(-50, 50))), ";"]
    if kind == 1:
        head = [draw(st.sampled_from(["must", "hard", "should", "soft"]))]
        head.append(draw(st.sampled_from(["allow", "deny"])))
        cond = draw(st.one_of(st.just(["always"]), _preds.map(lambda p: ["when", *p])))
        return [*docs, *head, *cond, ";"]
    stmts = functools.reduce(operator.iadd, draw(st.lists(_block_stmt(), max_size=2)), [])
    header = ["result"] if kind == 2 else ["session", draw(st.sampled_from(["before", "after"]))]
    return [*docs, *header, "{", *stmts, "}"]


@st.composite
def _declaration(draw: st.DrawFn) -> Tokens:
    docs = draw(_docs)
    kind = draw(st.integers(0, 2))
    if kind == 0:
        value = draw(st.one_of(_preds, _sets, _domain()))
        return [*docs, "let", draw(_names), "=", *value, ";"]
    if kind == 1:
        members = functools.reduce(operator.iadd, draw(st.lists(_member(), max_size=3)), [])
        return [*docs, "tool", draw(_tool_id), "{", *members, "}"]
    prio = draw(st.one_of(st.just([]), st.integers(-9, 99).map(lambda n: ["[", str(n), "]"])))
    target = draw(
        st.sampled_from([[], ["result"], ["session"], ["session", "before"], ["session", "after"]])
    )
    cond = draw(st.one_of(st.just([]), _preds.map(lambda p: ["when", *p])))
    op = draw(st.sampled_from(["=", "|=", "&=", "-=", "^="]))
    return [*docs, "tool", draw(_tool_id), *prio, "->", *target, "@", draw(_meta), op,
            *draw(_sets), *cond, ";"]  # fmt: skip


_separator = st.sampled_from([" ", " ", "\n", "\t ", "  /* c */ ", " // note\n", "\n\n"])


@st.composite
def programs(draw: st.DrawFn) -> str:
    """Draw a random program from the grammar, with random spacing and comments."""
    tokens = functools.reduce(operator.iadd, draw(st.lists(_declaration(), max_size=4)), [])
    seps = draw(st.lists(_separator, min_size=len(tokens), max_size=len(tokens)))
    return "".join(tok + sep for tok, sep in zip(tokens, seps, strict=True))


@pytest.mark.slow
@settings(max_examples=examples(400))
@given(programs())
def test_generated_programs_round_trip(code: str) -> None:
    """Programs drawn from the grammar parse, and formatting keeps the same tree and comments."""
    before = parse(code)
    assert before.valid, str(before.error)

    formatted = format(code)
    after = parse(formatted)

    assert after.valid, str(after.error)
    assert after.tree == before.tree


@pytest.mark.slow
@settings(max_examples=examples(400))
@given(programs())
def test_format_is_idempotent(code: str) -> None:
    """Formatting a formatted program changes nothing."""
    once = format(code)

    assert format(once) == once


def test_canonical_layout() -> None:
    """The formatter produces the documented layout."""
    code = (
        '// head\nlet s={"a","b"};let t = s|{"c"} ;\n/// d\ntool "t"{priority 2;hard deny when'
        ' (x.tags overlaps s)and(not to.value in {str matching r".*"});result{ @ tags|=s;'
        'when x.tags is empty{@tags=@tags without "a";}} session before{}}'
        'tool "u" [5] -> session @producers |= {"p"} when @args.tags.union is universal;'
    )

    assert format(code) == (
        "// head\n"
        'let s = {"a", "b"};\n'
        'let t = s | {"c"};\n'
        "\n"
        "/// d\n"
        'tool "t" {\n'
        "    priority 2;\n"
        '    hard deny when (x.tags overlaps s) and (not to.value in {str matching r".*"});\n'
        "    result {\n"
        "        @tags |= s;\n"
        "        when x.tags is empty {\n"
        '            @tags = @tags without "a";\n'
        "        }\n"
        "    }\n"
        "    session before {}\n"
        "}\n"
        "\n"
        'tool "u" [5] -> session @producers |= {"p"} when @args.tags.union is universal;\n'
    )


def test_comments_are_kept_in_place() -> None:
    """Own-line, trailing and closing-brace comments survive formatting."""
    code = 'tool "t" { // header\n  must deny always; // why\n  /* note */\n} // end\n// tail\n'

    assert format(code) == (
        'tool "t" { // header\n    must deny always; // why\n    /* note */\n} // end\n\n// tail\n'
    )


def test_empty_program_formats_to_empty_text() -> None:
    """An empty (or comment-free blank) program formats to the empty string."""
    assert format("  \n\n") == ""


def test_walk_visits_every_node_in_source_order() -> None:
    """walk yields parents before children, left to right."""
    tree = parse('let s = {"a"} | b.tags;').tree
    assert tree is not None

    kinds = [type(node).__name__ for node in walk(tree)]

    assert kinds == ["Program", "LetDecl", "SetBinary", "SetLiteral", "StringLit", "MetaAccess"]


def test_children_lists_direct_children() -> None:
    """children returns the nodes held directly in a node's fields."""
    rule = ast.CheckRule(enforcement="must", outcome="deny", condition=ast.Name(name="p"))

    assert children(rule) == (ast.Name(name="p"),)
    assert children(ast.Name(name="p")) == ()


def test_tree_equality_ignores_positions() -> None:
    """Trees of the same program written differently compare equal."""
    first = parse('let s = {"a"};').tree
    second = parse('\n\n   let   s =\n{ "a" } ;').tree

    assert first == second
    assert first is not None
    assert second is not None
    assert first.declarations[0].line != second.declarations[0].line
