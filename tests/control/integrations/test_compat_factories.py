"""Tests for `client.control.to_openai_agents_provider()` and `to_langgraph_client()`."""

from __future__ import annotations

import pytest

from sequrity import SequrityClient
from sequrity.control import ControlConfig, FeaturesHeader


def _client(base_url: str) -> SequrityClient:
    config = ControlConfig(
        provider="openai", llm_api_key="sk-openai", features=FeaturesHeader.dual_llm()
    )
    return SequrityClient("sq-factory-key", base_url=base_url, control=config)


def test_agents_provider_carries_the_client_settings(sequrity_emulator: object) -> None:
    """The provider talks to the client's base URL with its key and config; overrides win."""
    pytest.importorskip("agents", reason="needs the agents extra")
    base_url = sequrity_emulator.base_url  # type: ignore[attr-defined]
    with _client(base_url) as client:
        provider = client.control.to_openai_agents_provider(llm_api_key="sk-override")

    inner = provider.openai_client.client
    config = inner.config
    assert (inner.base_url, config.provider, config.llm_api_key) == (
        base_url,
        "openai",
        "sk-override",
    )
    assert config.features == FeaturesHeader.dual_llm()
    assert inner._exchange.state.base_headers["Authorization"] == "Bearer sq-factory-key"


def test_langgraph_client_carries_the_client_settings(sequrity_emulator: object) -> None:
    """The LangChain model gets the client's base URL, key, provider and config, and the model."""
    pytest.importorskip("langchain_core", reason="needs the langchain extra")

    base_url = sequrity_emulator.base_url  # type: ignore[attr-defined]
    with _client(base_url) as client:
        llm = client.control.to_langgraph_client(model="openai/gpt-5-mini")

    assert (llm.model, llm.base_url, llm.provider) == ("openai/gpt-5-mini", base_url, "openai")
    assert llm.api_key.get_secret_value() == "sq-factory-key"
    assert llm.features == FeaturesHeader.dual_llm()
    assert llm.invoke("What is 2 + 2?").content
