"""Tests of header serialisation: ASCII single-line output, overrides, JSON_NULL, caching."""

from __future__ import annotations

import copy
import json
from typing import Any

import attrs
import pytest

from sequrity._converter import get_converter, get_fast_converter
from sequrity._exceptions import SequrityValidationError
from sequrity.control.types._header_json import deep_merge
from sequrity.control.types.headers import (
    JSON_NULL,
    FeaturesHeader,
    FineGrainedConfigHeader,
    FsmOverrides,
    PolicyCode,
    SecurityPolicyHeader,
    TaggerConfig,
    render_header,
)
from sequrity.types import to_dict

SQRT = 'tool "send_email" {\n    // caf\u00e9 \u2014 \u65e5\u672c \U0001f512\n    must deny when to.value == "x\u2028y";\n}'


def test_non_ascii_and_newlines_are_escaped_not_mangled() -> None:
    """SQRT code with non-ASCII and newlines gives a single-line ASCII header that decodes back."""
    header = SecurityPolicyHeader(codes=PolicyCode(code=SQRT))

    text = header.dump_for_headers()

    assert text.isascii()
    assert "\n" not in text
    assert "\r" not in text
    assert json.loads(text)["codes"]["code"] == SQRT
    assert "\\u00e9" in text
    assert "\\n" in text


def test_non_ascii_in_overrides_is_escaped() -> None:
    """Override values are escaped the same way."""
    text = FeaturesHeader().dump_for_headers(overrides={"note": "\u00fcber\nline"})

    assert text.isascii()
    assert "\n" not in text
    assert json.loads(text) == {"note": "\u00fcber\nline"}


def test_invalid_mode_is_refused() -> None:
    """Only ``json`` and ``json_str`` are modes; the error is a ValueError subclass."""
    with pytest.raises(SequrityValidationError, match="Invalid mode"):
        FeaturesHeader().dump_for_headers("yaml")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="json_str"):
        SecurityPolicyHeader().dump_for_headers("xml")  # type: ignore[call-overload]


def test_json_mode_returns_fresh_dicts() -> None:
    """Mutating the dict from ``mode="json"`` does not change the next rendering."""
    header = FeaturesHeader.single_llm(pii_redaction=True)

    first = header.dump_for_headers("json")
    first["agent_arch"] = "tampered"
    first["content_classifiers"].clear()

    assert header.dump_for_headers("json") == json.loads(header.dump_for_headers())
    assert header.dump_for_headers("json")["agent_arch"] == "single-llm"


def test_header_string_is_cached_per_object() -> None:
    """The header string is computed once and the very same object is returned afterwards."""
    header = FineGrainedConfigHeader.dual_llm()

    assert header.dump_for_headers() is header.dump_for_headers()


def test_evolve_does_not_reuse_the_cache() -> None:
    """A copy made with `attrs.evolve` renders its own new values."""
    header = FineGrainedConfigHeader.dual_llm()
    header.dump_for_headers()

    changed = attrs.evolve(header, fsm=FsmOverrides(max_n_turns=9))

    assert json.loads(changed.dump_for_headers()) == {"fsm": {"max_n_turns": 9}}


def test_cache_does_not_affect_equality_or_hash() -> None:
    """A rendered and an unrendered header are equal and hash alike."""
    rendered = FeaturesHeader.dual_llm(url_blocker=True)
    rendered.dump_for_headers()
    fresh = FeaturesHeader.dual_llm(url_blocker=True)

    assert rendered == fresh
    assert hash(rendered) == hash(fresh)


# -- overrides ---------------------------------------------------------------------------------


def test_no_overrides_unchanged() -> None:
    """`overrides=None` and ``{}`` give the plain header."""
    header = SecurityPolicyHeader.dual_llm()

    assert header.dump_for_headers(overrides=None) == header.dump_for_headers()
    assert header.dump_for_headers(overrides={}) == header.dump_for_headers()


def test_override_adds_and_replaces_top_level() -> None:
    """New keys are added and existing ones replaced."""
    data = FeaturesHeader.single_llm().dump_for_headers(
        "json", overrides={"agent_arch": "dual-llm", "experimental": {"x": 1}}
    )

    assert data == {"agent_arch": "dual-llm", "experimental": {"x": 1}}


def test_override_nested_keeps_siblings() -> None:
    """Nested dicts merge key by key; untouched keys survive."""
    data = SecurityPolicyHeader.dual_llm().dump_for_headers(
        "json", overrides={"presets": {"default_allow": False, "new_preset": {"on": True}}}
    )

    assert data["presets"]["default_allow"] is False
    assert data["presets"]["new_preset"] == {"on": True}
    assert data["presets"]["llm_blocked_tag_enforcement_level"] == "hard"
    assert data["mode"] == "standard"


def test_override_replaces_lists_wholesale() -> None:
    """A list in the overrides replaces the whole array."""
    header = FeaturesHeader.dual_llm(toxicity_filter=True, pii_redaction=True)

    data = header.dump_for_headers("json", overrides={"content_classifiers": [{"name": "custom"}]})

    assert data["content_classifiers"] == [{"name": "custom"}]


def test_override_dict_and_scalar_replace_each_other() -> None:
    """A scalar can replace a dict and a dict can replace a scalar."""
    header = FineGrainedConfigHeader.dual_llm()

    data = header.dump_for_headers("json", overrides={"fsm": 3})
    data2 = header.dump_for_headers(
        "json", overrides={"fsm": {"clear_session_meta": {"kind": "x"}}}
    )

    assert data == {"fsm": 3}
    assert data2["fsm"]["clear_session_meta"] == {"kind": "x"}
    assert data2["fsm"]["max_n_turns"] == 5


def test_override_injects_null() -> None:
    """`None` (or JSON_NULL) in overrides sends an explicit null, as in the spec."""
    header = FineGrainedConfigHeader.dual_llm()

    text = header.dump_for_headers(overrides={"fsm": {"max_n_turns": None}})
    text2 = header.dump_for_headers(overrides={"fsm": {"max_n_turns": JSON_NULL}})

    assert json.loads(text)["fsm"]["max_n_turns"] is None
    assert text == text2
    assert '"max_n_turns":null' in text


def test_deeply_nested_override() -> None:
    """A three-level override changes one leaf and keeps the rest."""
    header = FineGrainedConfigHeader.dual_llm(pllm_debug_info_level="minimal")

    data = header.dump_for_headers(
        "json", overrides={"prompt": {"pllm": {"debug_info_level": "extra"}}}
    )

    assert data["prompt"] == {"pllm": {"debug_info_level": "extra"}}
    assert data["fsm"]["disable_rllm"] is True


def test_overrides_are_not_mutated() -> None:
    """The caller's overrides (and nested containers) are left exactly as they were."""
    overrides: dict[str, Any] = {"fsm": {"max_n_turns": 20, "extra": [1, {"a": 2}]}, "new": {}}
    snapshot = copy.deepcopy(overrides)

    data = FineGrainedConfigHeader.dual_llm().dump_for_headers("json", overrides=overrides)
    data["fsm"]["extra"][1]["a"] = 99
    data["new"]["x"] = 1

    assert overrides == snapshot


def test_overrides_do_not_touch_the_cached_header() -> None:
    """Rendering with overrides leaves the plain rendering unchanged."""
    header = FineGrainedConfigHeader.dual_llm()
    plain = header.dump_for_headers()

    header.dump_for_headers(overrides={"fsm": {"max_n_turns": 99}})

    assert header.dump_for_headers() == plain


def test_overrides_must_be_a_dict() -> None:
    """Non-dict overrides are refused."""
    with pytest.raises(SequrityValidationError, match="overrides must be a dict"):
        FeaturesHeader().dump_for_headers(overrides=[1, 2])  # type: ignore[call-overload]


def test_overrides_must_be_json() -> None:
    """Values JSON cannot carry are refused instead of producing a broken header."""
    with pytest.raises(SequrityValidationError, match="not valid JSON"):
        FeaturesHeader().dump_for_headers(overrides={"x": object()})
    with pytest.raises(SequrityValidationError, match="not valid JSON"):
        FeaturesHeader().dump_for_headers(overrides={"x": float("nan")})


def test_deep_merge_returns_new_dict_and_keeps_inputs() -> None:
    """`deep_merge` leaves both inputs unchanged (unlike the official in-place merge)."""
    base: dict[str, Any] = {"a": {"b": 1, "c": [1]}, "d": 1}
    overrides: dict[str, Any] = {"a": {"b": 2}, "e": 3}

    merged = deep_merge(base, overrides)

    assert merged == {"a": {"b": 2, "c": [1]}, "d": 1, "e": 3}
    assert base == {"a": {"b": 1, "c": [1]}, "d": 1}
    assert overrides == {"a": {"b": 2}, "e": 3}
    assert merged["a"]["c"] is not base["a"]["c"]


def test_deep_merge_empty_override_is_noop() -> None:
    """An empty override returns an equal copy."""
    assert deep_merge({"a": {"b": 1}}, {}) == {"a": {"b": 1}}


# -- JSON_NULL -----------------------------------------------------------------------------------


def test_json_null_emits_null_and_none_omits() -> None:
    """JSON_NULL sends ``null``; None leaves the field out."""
    header = FineGrainedConfigHeader(
        fsm=FsmOverrides(min_num_tools_for_filtering=JSON_NULL, max_n_turns=None)
    )

    assert header.dump_for_headers() == '{"fsm":{"min_num_tools_for_filtering":null}}'


def test_json_null_refused_where_null_has_no_meaning() -> None:
    """Fields without documented null semantics refuse JSON_NULL."""
    with pytest.raises(SequrityValidationError, match=r"FsmOverrides\.disable_rllm: JSON_NULL"):
        FsmOverrides(disable_rllm=JSON_NULL)  # type: ignore[arg-type]


def test_json_null_repr() -> None:
    """JSON_NULL shows as its name in reprs."""
    assert repr(FsmOverrides(max_n_turns=JSON_NULL)).count("max_n_turns=JSON_NULL") == 1


# -- render_header -------------------------------------------------------------------------------


def test_render_header_without_object_or_overrides_is_none() -> None:
    """No object and no overrides means no header."""
    assert render_header(None) is None
    assert render_header(None, {}) is None


def test_render_header_renders_overrides_alone() -> None:
    """Overrides without a header object are sent, not silently dropped."""
    text = render_header(None, {"fsm": {"max_n_turns": None, "x": "\u00e9"}})

    assert text == '{"fsm":{"max_n_turns":null,"x":"\\u00e9"}}'


def test_render_header_with_object_matches_dump() -> None:
    """With an object, `render_header` equals `dump_for_headers`."""
    header = FeaturesHeader.dual_llm(pii_redaction=True)

    assert render_header(header) == header.dump_for_headers()
    assert render_header(header, {"a": 1}) == header.dump_for_headers(overrides={"a": 1})


def test_render_header_refuses_non_dict_overrides() -> None:
    """Non-dict overrides are refused even without a header object."""
    with pytest.raises(SequrityValidationError):
        render_header(None, "fsm")  # type: ignore[arg-type]


def test_compact_single_line_format() -> None:
    """The header uses compact separators and field declaration order."""
    header = FeaturesHeader(
        agent_arch="dual-llm", content_classifiers=[TaggerConfig(name="pii_redaction", mode="x")]
    )

    assert header.dump_for_headers() == (
        '{"agent_arch":"dual-llm","content_classifiers":'
        '[{"name":"pii_redaction","threshold":0.5,"mode":"x"}]}'
    )


# -- through the converter ---------------------------------------------------------------------


def test_headers_are_read_and_written_by_the_converter() -> None:
    """The shared converter reads and writes header models exactly as their methods do."""
    header = FineGrainedConfigHeader.dual_llm(max_n_turns=JSON_NULL, force_to_cache=["a"])
    data = header.dump_for_headers("json")

    assert to_dict(header) == data
    assert get_fast_converter().structure(data, FineGrainedConfigHeader) == header
    assert get_converter().structure(data, FineGrainedConfigHeader) == header


def test_converter_reports_every_problem_with_its_path() -> None:
    """A header read by the converter refuses bad JSON with one line per problem and its path."""
    data = {"fsm": {"max_n_turns": 0, "colour": 1}, "llm": {"pllm": {"seed": "x"}}}

    with pytest.raises(SequrityValidationError) as info:
        FineGrainedConfigHeader.from_dict(data)

    assert info.value.errors == [
        "FineGrainedConfigHeader.fsm.max_n_turns: must be >= 1, got 0",
        "FineGrainedConfigHeader.fsm.colour: unknown field; allowed fields: "
        + ", ".join(repr(a.name) for a in attrs.fields(FsmOverrides)),
        "FineGrainedConfigHeader.llm.pllm.seed: expected an integer, got 'x'",
    ]
