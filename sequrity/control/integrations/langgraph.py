"""
The official ``sequrity.control.integrations.langgraph`` names over
`sequrity.integrations.langchain`: `LangGraphChatSequrityAI` and
`create_sequrity_langgraph_client`.

This module imports without the extra; building a model without it raises
`MissingExtraError` (``pip install 'sequrity[langchain]'``).

Differences from the official SDK: the model is a native LangChain chat model on our client
(no ``langchain-openai``, so it works with any ``openai`` version); streamed Dual-LLM answers
are unwrapped too; a denial raises `PolicyViolationError` instead of answering
``"Error: ..."``; the session is kept race-free (see `LangGraphChatSequrityAI`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._lazy import lazy_attributes as _lazy_attributes
from .. import EndpointType, LlmServiceProvider

if TYPE_CHECKING:
    from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader
    from ._langgraph_compat import LangGraphChatSequrityAI as LangGraphChatSequrityAI

__all__ = ["LangGraphChatSequrityAI", "create_sequrity_langgraph_client"]


def create_sequrity_langgraph_client(
    sequrity_api_key: str,
    features: FeaturesHeader | None = None,
    security_policy: SecurityPolicyHeader | None = None,
    fine_grained_config: FineGrainedConfigHeader | None = None,
    service_provider: LlmServiceProvider | str = LlmServiceProvider.OPENROUTER,
    llm_api_key: str | None = None,
    base_url: str | None = None,
    endpoint_type: EndpointType | str = EndpointType.CHAT,
    model: str = "gpt-4",
    **kwargs: Any,
) -> LangGraphChatSequrityAI:
    """
    Build a `LangGraphChatSequrityAI`, as the official SDK does (same arguments).

    Returns:
        The chat model.

    Raises:
        MissingExtraError: The ``langchain`` extra is not installed.
    """
    from ._langgraph_compat import LangGraphChatSequrityAI

    return LangGraphChatSequrityAI(
        sequrity_api_key,
        features=features,
        security_policy=security_policy,
        fine_grained_config=fine_grained_config,
        service_provider=service_provider,
        llm_api_key=llm_api_key,
        base_url=base_url,
        endpoint_type=endpoint_type,
        model=model,
        **kwargs,
    )


__getattr__, __dir__ = _lazy_attributes(
    globals(), {"LangGraphChatSequrityAI": "sequrity.control.integrations._langgraph_compat"}
)
