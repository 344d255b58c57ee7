"""
The provider enum, its string `Literal` and the API styles, under the official SDK's import path
``sequrity.types.enums`` (the very objects of `sequrity.control`).
"""

from __future__ import annotations

from ..control._enums import LlmServiceProvider as LlmServiceProvider
from ..control._enums import LlmServiceProviderStr as LlmServiceProviderStr
from ..control._enums import RestApiType as RestApiType

__all__ = ["LlmServiceProvider", "LlmServiceProviderStr", "RestApiType"]
