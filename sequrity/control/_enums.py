"""
Enumerations of the Control API's URL segments: LLM providers and endpoint types (§1.3, §1.4),
and the API styles (`RestApiType`).
"""

from __future__ import annotations

import enum
from typing import Literal, TypeAlias

__all__ = ["EndpointType", "LlmServiceProvider", "LlmServiceProviderStr", "RestApiType"]


class LlmServiceProvider(enum.StrEnum):
    """
    The provider segment of a Control URL; omit it to use the server's default provider.
    """

    OPENAI = "openai"
    OPENROUTER = "openrouter"
    ANTHROPIC = "anthropic"
    SEQURITY_AZURE = "sequrity_azure"
    LLAMA = "llama"


#: The provider names as a `Literal`, for plain-string arguments (every member of the enum; the
#: official SDK's alias forgot ``"llama"``).
LlmServiceProviderStr: TypeAlias = Literal[
    "openai", "openrouter", "anthropic", "sequrity_azure", "llama"
]


class RestApiType(enum.StrEnum):
    """
    The API style of a request and its answer: Chat Completions, Anthropic Messages or Responses.
    """

    CHAT_COMPLETIONS = "chat_completions"
    MESSAGES = "messages"
    RESPONSES = "responses"


class EndpointType(enum.StrEnum):
    """
    The endpoint-type segment of a Control URL (policy generation uses its own ``policy-gen``).
    """

    CHAT = "chat"
    CODE = "code"
    AGENT = "agent"
    LANGGRAPH = "lang-graph"
