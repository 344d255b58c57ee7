"""Tests of the conversion of legacy ``X-Security-*`` header values to the current headers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sequrity._exceptions import SequrityValidationError
from sequrity.control.types.headers import (
    FeaturesHeader,
    SecurityPolicyHeader,
    legacy_features_to_current,
    legacy_policy_to_current,
)


def entry(name: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build one legacy feature entry with its JSON-string config."""
    return {"feature_name": name, "config_json": json.dumps(config or {})}


def test_seed_dual_llm_example() -> None:
    """The getting-started dual-LLM array becomes ``{"agent_arch": "dual-llm"}``."""
    value = json.loads(
        '[{"feature_name":"Dual LLM","config_json":"{\\"mode\\":\\"standard\\"}"},'
        '{"feature_name":"Long Program Support","config_json":"{\\"mode\\":\\"base\\"}"}]'
    )

    assert legacy_features_to_current(value) == {"agent_arch": "dual-llm"}


def test_seed_single_llm_example() -> None:
    """The getting-started single-LLM array becomes ``{"agent_arch": "single-llm"}``."""
    value = [
        entry("Single LLM", {"mode": "standard"}),
        entry("Long Program Support", {"mode": "base"}),
    ]

    assert legacy_features_to_current(value) == {"agent_arch": "single-llm"}


def test_taggers_and_url_blocker() -> None:
    """Taggers map to classifiers in the given order; URL Blocker maps to a blocker."""
    value = [
        entry("Dual LLM", {"mode": "strict"}),
        entry("PII Redaction", {"threshold": 0.7}),
        entry("Toxicity Filter"),
        entry("Healthcare Topic Guardrail", {"mode": "strict"}),
        entry("Finance Topic Guardrail"),
        entry("URL Blocker"),
    ]

    assert legacy_features_to_current(value) == {
        "agent_arch": "dual-llm",
        "content_classifiers": [
            {"name": "pii_redaction", "threshold": 0.7},
            {"name": "toxicity_filter", "threshold": 0.5},
            {"name": "healthcare_topic_guardrail", "threshold": 0.5, "mode": "strict"},
            {"name": "finance_topic_guardrail", "threshold": 0.5},
        ],
        "content_blockers": [{"name": "url_blocker"}],
    }


def test_converted_features_are_a_valid_header() -> None:
    """The converted object parses as a `FeaturesHeader`."""
    current = legacy_features_to_current([entry("Single LLM"), entry("URL Blocker")])

    assert FeaturesHeader.from_json(current) == FeaturesHeader.single_llm(url_blocker=True)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"feature_name": "Dual LLM"}, "expected a JSON array"),
        ([entry("Legal Topic Guardrail")], "has no current equivalent"),
        ([entry("Quantum LLM")], "has no current equivalent"),
        ([entry("Dual LLM"), entry("Single LLM")], "conflicts with an earlier entry"),
        ([entry("URL Blocker"), entry("URL Blocker")], "conflicts with an earlier entry"),
        ([entry("Dual LLM", {"mode": "lenient"})], "X-Security-Features[0].config_json.mode"),
        ([entry("Long Program Support", {"mode": "huge"})], "'base', 'mid', 'long'"),
        ([{"feature_name": "Dual LLM", "config_json": "{oops"}], "Invalid JSON"),
        ([{"feature_name": "Dual LLM", "config_json": "[1]"}], "expected a JSON object"),
        ([{"feature_name": "Dual LLM", "config_json": "{}", "x": 1}], "unknown keys"),
        ([{"config_json": "{}"}], "feature_name"),
        (
            [entry("PII Redaction", {"threshold": 5})],
            "X-Security-Features[0].config_json.threshold",
        ),
        ([entry("PII Redaction", {"size": 5})], "unknown keys"),
    ],
)
def test_invalid_legacy_features(value: Any, fragment: str) -> None:
    """Invalid or unsupported legacy input is refused with a message naming the entry."""
    with pytest.raises(SequrityValidationError) as info:
        legacy_features_to_current(value)

    assert fragment in str(info.value)


def test_seed_policy_example() -> None:
    """``{"language":"sqrt-lite","codes":""}`` becomes an empty SQRT policy."""
    assert legacy_policy_to_current({"language": "sqrt-lite", "codes": ""}) == {
        "codes": {"code": "", "language": "sqrt"}
    }


def test_policy_with_all_legacy_fields() -> None:
    """Code lists are joined, flags kept and the preset object mapped to `presets`."""
    value = {
        "language": "cedar",
        "codes": ["permit(principal, action, resource);", "forbid(principal, action, resource);"],
        "auto_gen": True,
        "fail_fast": False,
        "internal_policy_preset": {"default_allow": False},
    }

    current = legacy_policy_to_current(value)

    assert current["codes"] == {
        "code": "permit(principal, action, resource);\nforbid(principal, action, resource);",
        "language": "cedar",
    }
    assert current["auto_gen"] is True
    assert current["fail_fast"] is False
    assert current["presets"]["default_allow"] is False
    assert current["presets"]["llm_blocked_tag_enforcement_level"] == "hard"
    assert SecurityPolicyHeader.from_json(current).dump_for_headers("json") == current


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([], "expected a JSON object"),
        ({"language": "rego"}, "X-Security-Policy.language"),
        ({"codes": 5}, "X-Security-Policy.codes"),
        ({"codes": ["a", 1]}, "X-Security-Policy.codes"),
        ({"auto_gen": "yes"}, "X-Security-Policy.auto_gen"),
        ({"mode": "standard"}, "X-Security-Policy.mode: unknown field"),
        (
            {"internal_policy_preset": {"bogus": 1}},
            "X-Security-Policy.internal_policy_preset.bogus",
        ),
    ],
)
def test_invalid_legacy_policy(value: Any, fragment: str) -> None:
    """Invalid legacy policies are refused with the offending field."""
    with pytest.raises(SequrityValidationError) as info:
        legacy_policy_to_current(value)

    assert fragment in str(info.value)
