"""
Enumerations of the Control API's URL segments: LLM providers and endpoint types (§1.3, §1.4).
"""

from __future__ import annotations

import enum

__all__ = ["EndpointType", "LlmServiceProvider"]


class LlmServiceProvider(enum.StrEnum):
    """
    The provider segment of a Control URL; omit it to use the server's default provider.
    """

    OPENAI = "openai"
    OPENROUTER = "openrouter"
    ANTHROPIC = "anthropic"
    SEQURITY_AZURE = "sequrity_azure"
    LLAMA = "llama"


class EndpointType(enum.StrEnum):
    """
    The endpoint-type segment of a Control URL (policy generation uses its own ``policy-gen``).
    """

    CHAT = "chat"
    CODE = "code"
    AGENT = "agent"
    LANGGRAPH = "lang-graph"
