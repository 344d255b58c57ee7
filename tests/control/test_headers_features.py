"""Tests of the ``X-Features`` header type, its factories and its validation."""

from __future__ import annotations

import json

import attrs
import pytest

from sequrity._exceptions import SequrityValidationError
from sequrity.control.types.headers import ConstraintConfig, FeaturesHeader, TaggerConfig

ALL_SIX = {
    "toxicity_filter": True,
    "pii_redaction": True,
    "healthcare_guardrail": True,
    "finance_guardrail": True,
    "url_blocker": True,
    "file_blocker": True,
}

DUAL_ALL = {
    "agent_arch": "dual-llm",
    "content_classifiers": [
        {"name": "toxicity_filter", "threshold": 0.5},
        {"name": "pii_redaction", "threshold": 0.5},
        {"name": "healthcare_topic_guardrail", "threshold": 0.5},
        {"name": "finance_topic_guardrail", "threshold": 0.5},
    ],
    "content_blockers": [{"name": "url_blocker"}, {"name": "file_blocker"}],
}


def parsed(header: FeaturesHeader) -> object:
    """Return the header string decoded back into JSON values."""
    return json.loads(header.dump_for_headers())


def test_single_llm_default_output() -> None:
    """`single_llm()` produces only the agent architecture."""
    assert parsed(FeaturesHeader.single_llm()) == {"agent_arch": "single-llm"}


def test_dual_llm_default_output() -> None:
    """`dual_llm()` produces only the agent architecture."""
    assert parsed(FeaturesHeader.dual_llm()) == {"agent_arch": "dual-llm"}


def test_dual_llm_all_features_output() -> None:
    """All six switches give the spec's exact classifier and blocker lists in fixed order."""
    assert parsed(FeaturesHeader.dual_llm(**ALL_SIX)) == DUAL_ALL


def test_single_llm_all_features_output() -> None:
    """The single factory uses the same ordering as the dual one."""
    assert parsed(FeaturesHeader.single_llm(**ALL_SIX)) == {**DUAL_ALL, "agent_arch": "single-llm"}


def test_factory_order_is_fixed_regardless_of_argument_order() -> None:
    """Classifiers appear toxicity, PII, healthcare, finance whatever the keyword order."""
    header = FeaturesHeader.single_llm(finance_guardrail=True, toxicity_filter=True)

    names = [t.name for t in header.content_classifiers or ()]

    assert names == ["toxicity_filter", "finance_topic_guardrail"]


def test_factory_single_blocker() -> None:
    """Only the chosen blocker is listed and classifiers stay omitted."""
    assert parsed(FeaturesHeader.single_llm(file_blocker=True)) == {
        "agent_arch": "single-llm",
        "content_blockers": [{"name": "file_blocker"}],
    }


def test_empty_header_is_empty_object() -> None:
    """`FeaturesHeader()` serialises to ``{}``."""
    assert FeaturesHeader().dump_for_headers() == "{}"


def test_seed_compat_names_match_factories() -> None:
    """The older `create_*_headers` names give the same headers as the factories."""
    assert FeaturesHeader.create_single_llm_headers() == FeaturesHeader.single_llm()
    assert FeaturesHeader.create_dual_llm_headers() == FeaturesHeader.dual_llm()


def test_hand_built_with_mode_and_threshold() -> None:
    """A hand-built classifier keeps its threshold and mode; an empty list is sent as ``[]``."""
    header = FeaturesHeader(
        agent_arch="single-llm",
        content_classifiers=[
            TaggerConfig(name="pii_redaction", threshold=0.9, mode="strict"),
            TaggerConfig(name="toxicity_filter", threshold=0),
        ],
        content_blockers=[],
    )

    assert parsed(header) == {
        "agent_arch": "single-llm",
        "content_classifiers": [
            {"name": "pii_redaction", "threshold": 0.9, "mode": "strict"},
            {"name": "toxicity_filter", "threshold": 0},
        ],
        "content_blockers": [],
    }


def test_lists_are_frozen_to_tuples() -> None:
    """Lists given by the caller are stored as tuples, so the header cannot change later."""
    classifiers = [TaggerConfig(name="pii_redaction")]
    header = FeaturesHeader(content_classifiers=classifiers)

    classifiers.append(TaggerConfig(name="toxicity_filter"))

    assert header.content_classifiers == (TaggerConfig(name="pii_redaction"),)


def test_header_is_frozen() -> None:
    """Assigning to a field raises; `attrs.evolve` gives a changed copy."""
    header = FeaturesHeader.single_llm()

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        header.agent_arch = "dual-llm"  # type: ignore[misc]

    assert attrs.evolve(header, agent_arch="dual-llm") == FeaturesHeader.dual_llm()


def test_invalid_classifier_name_names_field_and_allowed_values() -> None:
    """An unknown classifier name is refused with the field and the allowed values."""
    with pytest.raises(SequrityValidationError) as info:
        TaggerConfig(name="legal_topic_guardrail")  # type: ignore[arg-type]

    message = str(info.value)
    assert message.startswith("TaggerConfig.name:")
    assert "'pii_redaction'" in message
    assert "'finance_topic_guardrail'" in message


@pytest.mark.parametrize("threshold", [-0.01, 1.5, float("nan"), True, "0.5"])
def test_threshold_outside_range_is_refused(threshold: object) -> None:
    """Thresholds outside 0..1 (or not numbers) are refused, naming the field."""
    with pytest.raises(SequrityValidationError, match=r"TaggerConfig\.threshold"):
        TaggerConfig(name="pii_redaction", threshold=threshold)  # type: ignore[arg-type]


@pytest.mark.parametrize("threshold", [0, 0.0, 1, 1.0, 0.25])
def test_threshold_bounds_are_inclusive(threshold: float) -> None:
    """0 and 1 themselves are valid thresholds."""
    assert TaggerConfig(name="pii_redaction", threshold=threshold).threshold == threshold


def test_invalid_blocker_name_is_refused() -> None:
    """Only the two documented blockers exist."""
    with pytest.raises(SequrityValidationError, match="'url_blocker', 'file_blocker'"):
        ConstraintConfig(name="email_blocker")  # type: ignore[arg-type]


def test_invalid_agent_arch_is_refused() -> None:
    """``triple-llm`` is not an architecture."""
    with pytest.raises(SequrityValidationError, match=r"FeaturesHeader\.agent_arch"):
        FeaturesHeader(agent_arch="triple-llm")  # type: ignore[arg-type]


def test_unknown_keyword_is_refused() -> None:
    """Unknown constructor fields are refused like the official extra=forbid models."""
    with pytest.raises(TypeError):
        FeaturesHeader(agent_arch="dual-llm", surprise=True)  # type: ignore[call-arg]


def test_classifier_of_wrong_type_is_refused() -> None:
    """A plain dict inside `content_classifiers` is refused with the field path."""
    with pytest.raises(SequrityValidationError, match=r"content_classifiers\[0\]"):
        FeaturesHeader(content_classifiers=[{"name": "pii_redaction"}])  # type: ignore[list-item]


def test_from_json_reports_nested_path() -> None:
    """JSON input errors carry the full path, e.g. ``content_classifiers[0].name``."""
    text = '{"content_classifiers":[{"name":"nope"}]}'

    with pytest.raises(SequrityValidationError) as info:
        FeaturesHeader.from_json(text)

    assert info.value.errors[0].startswith("FeaturesHeader.content_classifiers[0].name: 'nope'")


def test_from_json_collects_every_problem() -> None:
    """All problems are reported at once, including unknown nested fields."""
    text = json.dumps(
        {
            "agent_arch": "x",
            "content_classifiers": [{"name": "pii_redaction", "threshold": 3, "extra": 1}],
            "other": 1,
        }
    )

    with pytest.raises(SequrityValidationError) as info:
        FeaturesHeader.from_json(text)

    paths = sorted(e.split(":")[0] for e in info.value.errors)
    assert paths == [
        "FeaturesHeader.agent_arch",
        "FeaturesHeader.content_classifiers[0].extra",
        "FeaturesHeader.content_classifiers[0].threshold",
        "FeaturesHeader.other",
    ]


def test_from_json_applies_defaults() -> None:
    """A classifier without threshold gets 0.5, as the server's models do."""
    header = FeaturesHeader.from_json({"content_classifiers": [{"name": "toxicity_filter"}]})

    assert header.content_classifiers == (TaggerConfig(name="toxicity_filter", threshold=0.5),)


def test_from_json_invalid_json() -> None:
    """Text that is not JSON is refused with ``Invalid JSON``."""
    with pytest.raises(SequrityValidationError, match="Invalid JSON"):
        FeaturesHeader.from_json("{not json")
