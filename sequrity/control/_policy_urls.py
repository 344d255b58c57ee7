"""
Policy-generation routing (pure, §1.6): the request's ``type`` picks the provider segment of
``{base}/control/policy-gen[/{provider}]/v1/generate``.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "POLICY_GEN_PROVIDERS",
    "POLICY_GEN_ROUTE_PROVIDERS",
    "policy_gen_path",
    "policy_gen_provider",
    "policy_gen_url",
]

#: The provider segment each request type is sent to; any other type goes to the default route.
#: OpenRouter is the default provider, so ``openrouter_chat_completion`` has no segment.
POLICY_GEN_PROVIDERS: Final[dict[str, str | None]] = {
    "oai_chat_completion": "openai",
    "openrouter_chat_completion": None,
    "anthropic_messages": "anthropic",
    "sequrity_azure_chat_completion": "sequrity_azure",
    "sequrity_azure_responses": "sequrity_azure",
}

#: Every provider segment a policy-generation route exists for (`None` = the default route),
#: including ``openrouter`` which the SDK never produces (§1.5).
POLICY_GEN_ROUTE_PROVIDERS: Final = (None, "openai", "openrouter", "anthropic", "sequrity_azure")


def policy_gen_provider(request_type: str) -> str | None:
    """
    Return the provider segment for a request type; `None` (the default route) for
    ``openrouter_chat_completion`` and for every type this SDK does not know.
    """
    return POLICY_GEN_PROVIDERS.get(request_type)


def policy_gen_path(request_type: str) -> str:
    """
    Return the path of the policy-generation route for a request type.

    Args:
        request_type: The request's ``type`` (``oai_chat_completion``, ``anthropic_messages``...).

    Returns:
        ``/control/policy-gen[/{provider}]/v1/generate``; unknown types get the default route.
    """
    provider = policy_gen_provider(request_type)
    segment = f"/{provider}" if provider else ""
    return f"/control/policy-gen{segment}/v1/generate"


def policy_gen_url(base_url: str, request_type: str) -> str:
    """
    Return the full URL of the policy-generation route for a request type.

    Args:
        base_url: Normalised base URL (no trailing slash).
        request_type: The request's ``type``.
    """
    return base_url + policy_gen_path(request_type)
