"""
Wire models of the APIs the Control API speaks (Chat Completions, Anthropic Messages, OpenAI
Responses), `to_dict`, which gives any of them back as its JSON object, and the provider and API-style
enums.
"""

from __future__ import annotations

from ..control._enums import LlmServiceProvider as LlmServiceProvider
from ..control._enums import LlmServiceProviderStr as LlmServiceProviderStr
from ..control._enums import RestApiType as RestApiType
from ._dump import to_dict as to_dict

__all__ = ["LlmServiceProvider", "LlmServiceProviderStr", "RestApiType", "to_dict"]
