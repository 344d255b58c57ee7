"""Tests of `ControlConfig` and the provider / endpoint-type enums."""

from __future__ import annotations

import attrs
import pytest

from sequrity._exceptions import SequrityValidationError
from sequrity.control._config import ControlConfig
from sequrity.control._enums import EndpointType, LlmServiceProvider
from sequrity.control.types.headers import (
    FeaturesHeader,
    FineGrainedConfigHeader,
    SecurityPolicyHeader,
)


def test_defaults() -> None:
    """A bare config has no key, no provider, the chat endpoint and no headers."""
    config = ControlConfig()

    assert config.llm_api_key is None
    assert config.provider is None
    assert config.endpoint_type == "chat"
    assert config.features is None
    assert config.security_policy is None
    assert config.fine_grained_config is None


@pytest.mark.parametrize(
    "provider", ["openai", "openrouter", "anthropic", "sequrity_azure", "llama"]
)
def test_provider_accepts_strings(provider: str) -> None:
    """Every documented provider string is accepted and stored as the enum (still a str)."""
    config = ControlConfig(provider=provider)

    assert config.provider == provider
    assert config.provider is LlmServiceProvider(provider)


def test_provider_accepts_enum() -> None:
    """Enum members are accepted as they are."""
    assert ControlConfig(provider=LlmServiceProvider.LLAMA).provider == "llama"


def test_invalid_provider_lists_allowed_values() -> None:
    """An unknown provider names the field and the allowed values."""
    with pytest.raises(SequrityValidationError) as info:
        ControlConfig(provider="gemini")

    assert str(info.value).startswith("ControlConfig.provider: 'gemini' is not allowed")
    assert "'sequrity_azure'" in str(info.value)


@pytest.mark.parametrize("endpoint_type", ["chat", "code", "agent", "lang-graph"])
def test_endpoint_types(endpoint_type: str) -> None:
    """The four endpoint types are accepted."""
    assert ControlConfig(endpoint_type=endpoint_type).endpoint_type == endpoint_type


def test_invalid_endpoint_type() -> None:
    """``policy-gen`` and others are not client endpoint types."""
    with pytest.raises(
        SequrityValidationError, match=r"ControlConfig\.endpoint_type: 'policy-gen'"
    ):
        ControlConfig(endpoint_type="policy-gen")


def test_header_fields_type_checked() -> None:
    """A header of the wrong class (or a dict) is refused with the field name."""
    with pytest.raises(SequrityValidationError, match=r"ControlConfig\.features"):
        ControlConfig(features=SecurityPolicyHeader())  # type: ignore[arg-type]
    with pytest.raises(SequrityValidationError, match=r"ControlConfig\.security_policy"):
        ControlConfig(security_policy={"mode": "standard"})  # type: ignore[arg-type]


def test_llm_api_key_must_be_a_string() -> None:
    """A non-string key is refused."""
    with pytest.raises(SequrityValidationError, match=r"ControlConfig\.llm_api_key"):
        ControlConfig(llm_api_key=123)  # type: ignore[arg-type]


def test_repr_redacts_llm_api_key() -> None:
    """The BYOK key never appears in the repr."""
    config = ControlConfig(llm_api_key="sk-secret-123", provider="openai")

    text = repr(config)

    assert "sk-secret-123" not in text
    assert "llm_api_key='<redacted>'" in text
    assert "provider=" in text


def test_repr_shows_missing_key_as_none() -> None:
    """Without a key the repr says None, so users can tell the difference."""
    assert "llm_api_key=None" in repr(ControlConfig())


def test_config_is_frozen_and_evolvable() -> None:
    """The config cannot be mutated; `attrs.evolve` re-validates the copy."""
    config = ControlConfig(
        features=FeaturesHeader.dual_llm(),
        security_policy=SecurityPolicyHeader.create_default(),
        fine_grained_config=FineGrainedConfigHeader.dual_llm(),
    )

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.provider = "openai"  # type: ignore[misc, assignment]
    with pytest.raises(SequrityValidationError):
        attrs.evolve(config, provider="nope")
    assert attrs.evolve(config, provider="openai").features == FeaturesHeader.dual_llm()


def test_enum_values() -> None:
    """Enum members carry the wire values."""
    assert [p.value for p in LlmServiceProvider] == [
        "openai",
        "openrouter",
        "anthropic",
        "sequrity_azure",
        "llama",
    ]
    assert [e.value for e in EndpointType] == ["chat", "code", "agent", "lang-graph"]
    assert f"{EndpointType.LANGGRAPH}" == "lang-graph"
