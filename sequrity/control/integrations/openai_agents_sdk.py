"""
The official ``sequrity.control.integrations.openai_agents_sdk`` names over
`sequrity.integrations.openai_agents`: `SequrityAsyncOpenAI`, `SequrityModel`,
`SequrityModelProvider` and `create_sequrity_openai_agents_sdk_client`.

This module imports without the extra; building an object without it raises
`MissingExtraError` (``pip install 'sequrity[agents]'``).

Differences from the official SDK: our client sends every request (no ``httpx``, so
``with_options``/``copy`` work with any ``openai`` version); agent runs return the unwrapped
Dual-LLM value and raise `PolicyViolationError` on a denial; the session is sent during runs.
Sessions follow the official objects' one-conversation model (see `SequrityModelProvider`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._lazy import lazy_attributes as _lazy_attributes
from .. import EndpointType, LlmServiceProvider

if TYPE_CHECKING:
    from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader
    from ._agents_compat import SequrityAsyncOpenAI as SequrityAsyncOpenAI
    from ._agents_compat import SequrityModel as SequrityModel
    from ._agents_compat import SequrityModelProvider as SequrityModelProvider

__all__ = [
    "SequrityAsyncOpenAI",
    "SequrityModel",
    "SequrityModelProvider",
    "create_sequrity_openai_agents_sdk_client",
]


def create_sequrity_openai_agents_sdk_client(
    sequrity_api_key: str,
    features: FeaturesHeader | None = None,
    security_policy: SecurityPolicyHeader | None = None,
    fine_grained_config: FineGrainedConfigHeader | None = None,
    service_provider: LlmServiceProvider | str = LlmServiceProvider.OPENROUTER,
    llm_api_key: str | None = None,
    base_url: str | None = None,
    endpoint_type: EndpointType | str = EndpointType.CHAT,
    timeout: float = 60.0,
    **kwargs: Any,
) -> SequrityModelProvider:
    """
    Build a `SequrityModelProvider` for ``RunConfig(model_provider=...)``, as the official SDK
    does (the arguments are those of `SequrityAsyncOpenAI`).

    Returns:
        The provider; it also answers ``provider.chat.completions.create(...)`` directly.

    Raises:
        MissingExtraError: The ``agents`` extra is not installed.
    """
    from ._agents_compat import SequrityAsyncOpenAI, SequrityModelProvider

    client = SequrityAsyncOpenAI(
        sequrity_api_key,
        features=features,
        security_policy=security_policy,
        fine_grained_config=fine_grained_config,
        service_provider=service_provider,
        llm_api_key=llm_api_key,
        base_url=base_url,
        endpoint_type=endpoint_type,
        timeout=timeout,
        **kwargs,
    )
    return SequrityModelProvider(client)


__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "SequrityAsyncOpenAI": "sequrity.control.integrations._agents_compat",
        "SequrityModel": "sequrity.control.integrations._agents_compat",
        "SequrityModelProvider": "sequrity.control.integrations._agents_compat",
    },
)
