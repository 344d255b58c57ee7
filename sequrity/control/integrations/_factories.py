"""
`client.control.to_openai_agents_provider()` and `to_langgraph_client()`: the official factories
fed with a client's key, base URL and `ControlConfig` (keyword arguments override them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._request import ClientState

__all__ = ["langgraph_client", "openai_agents_provider"]


def _settings(state: ClientState, overrides: dict[str, Any]) -> dict[str, Any]:
    config = state.config
    authorization = state.base_headers.get("Authorization", "")
    return {
        "sequrity_api_key": overrides.pop("sequrity_api_key", authorization[len("Bearer ") :]),
        "features": overrides.pop("features", config.features),
        "security_policy": overrides.pop("security_policy", config.security_policy),
        "fine_grained_config": overrides.pop("fine_grained_config", config.fine_grained_config),
        "service_provider": overrides.pop("service_provider", config.provider or "openrouter"),
        "llm_api_key": overrides.pop("llm_api_key", config.llm_api_key),
        "base_url": overrides.pop("base_url", state.base_url),
        "endpoint_type": overrides.pop("endpoint_type", config.endpoint_type),
    }


def openai_agents_provider(state: ClientState, **overrides: Any) -> Any:
    """
    Build the official Agents SDK provider (`SequrityModelProvider`) from a client's `state`.

    Raises:
        MissingExtraError: The ``agents`` extra is not installed.
    """
    from .openai_agents_sdk import create_sequrity_openai_agents_sdk_client

    settings = _settings(state, overrides)
    return create_sequrity_openai_agents_sdk_client(**settings, **overrides)


def langgraph_client(state: ClientState, model: str = "gpt-4", **overrides: Any) -> Any:
    """
    Build the official LangChain chat model (`LangGraphChatSequrityAI`) from a client's `state`.

    Raises:
        MissingExtraError: The ``langchain`` extra is not installed.
    """
    from .langgraph import create_sequrity_langgraph_client

    settings = _settings(state, overrides)
    return create_sequrity_langgraph_client(**settings, model=model, **overrides)
