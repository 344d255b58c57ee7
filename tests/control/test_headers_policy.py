"""Tests of the ``X-Policy`` header type, its factories and its validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sequrity._exceptions import SequrityValidationError
from sequrity.control.types.headers import (
    ControlFlowMetaPolicy,
    InternalPolicyPresets,
    PolicyCode,
    SecurityPolicyHeader,
)

DEFAULT_PRESETS: dict[str, Any] = {
    "default_allow": True,
    "default_allow_enforcement_level": "soft",
    "enable_non_executable_memory": True,
    "branching_meta_policy": {"mode": "deny", "producers": [], "tags": [], "consumers": []},
    "enable_llm_blocked_tag": True,
    "llm_blocked_tag_enforcement_level": "hard",
}

DUAL_DEFAULT: dict[str, Any] = {
    "mode": "standard",
    "codes": {"code": "", "language": "sqrt"},
    "auto_gen": False,
    "presets": DEFAULT_PRESETS,
}


def parsed(header: SecurityPolicyHeader) -> Any:
    """Return the header string decoded back into JSON values."""
    return json.loads(header.dump_for_headers())


def test_dual_llm_default_output() -> None:
    """`dual_llm()` matches the spec's default object exactly (fail_fast omitted)."""
    assert parsed(SecurityPolicyHeader.dual_llm()) == DUAL_DEFAULT


def test_single_llm_default_output() -> None:
    """`single_llm()` equals the dual default except non-executable memory is off."""
    expected = {
        **DUAL_DEFAULT,
        "presets": {**DEFAULT_PRESETS, "enable_non_executable_memory": False},
    }

    assert parsed(SecurityPolicyHeader.single_llm()) == expected


def test_dual_llm_key_order_follows_declaration() -> None:
    """Keys appear in field declaration order."""
    data = SecurityPolicyHeader.dual_llm().dump_for_headers("json")

    assert list(data) == ["mode", "codes", "auto_gen", "presets"]
    assert list(data["presets"]) == list(DEFAULT_PRESETS)


def test_dual_llm_all_arguments() -> None:
    """Every factory argument lands in its field; sets are sent as sorted arrays."""
    header = SecurityPolicyHeader.dual_llm(
        mode="custom",
        codes='tool "x" { must allow always; }',
        language="cedar",
        auto_gen=True,
        fail_fast=False,
        default_allow=False,
        default_allow_enforcement_level="hard",
        enable_non_executable_memory=False,
        enable_llm_blocked_tag=False,
        llm_blocked_tag_enforcement_level="soft",
        branching_meta_policy_mode="allow",
        branching_meta_policy_producers={"b", "a"},
        branching_meta_policy_tags=["__tool/parse_with_ai", "__non_executable"],
        branching_meta_policy_consumers=("z",),
    )

    assert parsed(header) == {
        "mode": "custom",
        "codes": {"code": 'tool "x" { must allow always; }', "language": "cedar"},
        "auto_gen": True,
        "fail_fast": False,
        "presets": {
            "default_allow": False,
            "default_allow_enforcement_level": "hard",
            "enable_non_executable_memory": False,
            "branching_meta_policy": {
                "mode": "allow",
                "producers": ["a", "b"],
                "tags": ["__non_executable", "__tool/parse_with_ai"],
                "consumers": ["z"],
            },
            "enable_llm_blocked_tag": False,
            "llm_blocked_tag_enforcement_level": "soft",
        },
    }


def test_single_llm_fail_fast_and_codes() -> None:
    """The single factory passes codes and fail_fast through and forces auto_gen false."""
    header = SecurityPolicyHeader.single_llm(mode="strict", codes="x", fail_fast=True)

    data = parsed(header)

    assert data["mode"] == "strict"
    assert data["codes"] == {"code": "x", "language": "sqrt"}
    assert data["auto_gen"] is False
    assert data["fail_fast"] is True


def test_empty_header_is_empty_object() -> None:
    """`SecurityPolicyHeader()` serialises to ``{}``."""
    assert parsed(SecurityPolicyHeader()) == {}


def test_presets_alone_emit_every_default() -> None:
    """A bare `InternalPolicyPresets()` sends all six preset fields."""
    assert parsed(SecurityPolicyHeader(presets=InternalPolicyPresets())) == {
        "presets": DEFAULT_PRESETS
    }


def test_create_default_is_neutral_for_both_architectures() -> None:
    """`create_default()` sends standard mode and an empty SQRT policy, no presets."""
    assert parsed(SecurityPolicyHeader.create_default()) == {
        "mode": "standard",
        "codes": {"code": "", "language": "sqrt"},
    }


def test_codes_string_becomes_policy_code() -> None:
    """A plain string for `codes` is SQRT source."""
    header = SecurityPolicyHeader(codes="let x = 1;")

    assert header.codes == PolicyCode(code="let x = 1;", language="sqrt")


def test_legacy_string_codes_accepted_from_json() -> None:
    """JSON with bare-string `codes` (the legacy shape) parses into the object form."""
    header = SecurityPolicyHeader.from_json(
        '{"mode":"standard","codes":"tool \\"x\\" { must allow always; }"}'
    )

    assert parsed(header) == {
        "mode": "standard",
        "codes": {"code": 'tool "x" { must allow always; }', "language": "sqrt"},
    }


@pytest.mark.parametrize(
    ("cls", "kwargs", "field"),
    [
        (SecurityPolicyHeader, {"mode": "ultra-strict"}, "SecurityPolicyHeader.mode"),
        (PolicyCode, {"language": "rego"}, "PolicyCode.language"),
        (PolicyCode, {"code": None}, "PolicyCode.code"),
        (SecurityPolicyHeader, {"auto_gen": "yes"}, "SecurityPolicyHeader.auto_gen"),
        (
            InternalPolicyPresets,
            {"default_allow_enforcement_level": "medium"},
            "InternalPolicyPresets.default_allow_enforcement_level",
        ),
        (ControlFlowMetaPolicy, {"mode": "maybe"}, "ControlFlowMetaPolicy.mode"),
        (ControlFlowMetaPolicy, {"tags": "__x"}, "ControlFlowMetaPolicy.tags"),
        (ControlFlowMetaPolicy, {"tags": [1]}, "ControlFlowMetaPolicy.tags"),
    ],
)
def test_invalid_values_name_the_field(cls: type[Any], kwargs: dict[str, Any], field: str) -> None:
    """Each invalid value raises an error that starts with the offending field."""
    with pytest.raises(SequrityValidationError) as info:
        cls(**kwargs)

    assert str(info.value).startswith(f"{field}:")


def test_invalid_mode_lists_allowed_values() -> None:
    """The error for an unknown mode lists the three modes."""
    with pytest.raises(SequrityValidationError, match="'standard', 'strict', 'custom'"):
        SecurityPolicyHeader(mode="ultra-strict")  # type: ignore[arg-type]


def test_meta_policy_refuses_unknown_json_fields() -> None:
    """Unknown keys in `branching_meta_policy` are refused (the official SDK ignored them)."""
    text = '{"presets":{"branching_meta_policy":{"mode":"deny","colour":"red"}}}'

    with pytest.raises(SequrityValidationError) as info:
        SecurityPolicyHeader.from_json(text)

    assert info.value.errors[0].startswith(
        "SecurityPolicyHeader.presets.branching_meta_policy.colour: unknown field"
    )


def test_non_null_preset_refuses_json_null() -> None:
    """A preset with a default cannot be null in JSON input."""
    with pytest.raises(SequrityValidationError, match=r"presets\.default_allow: must not be null"):
        SecurityPolicyHeader.from_json('{"presets":{"default_allow":null}}')


def test_sets_are_deterministic_in_the_header() -> None:
    """Sets are emitted sorted, so equal headers give identical strings."""
    a = ControlFlowMetaPolicy(tags=["b", "c", "a"])
    b = ControlFlowMetaPolicy(tags=["c", "a", "b"])

    header_a = SecurityPolicyHeader(presets=InternalPolicyPresets(branching_meta_policy=a))
    header_b = SecurityPolicyHeader(presets=InternalPolicyPresets(branching_meta_policy=b))

    assert header_a.dump_for_headers() == header_b.dump_for_headers()
    assert '"tags":["a","b","c"]' in header_a.dump_for_headers()
