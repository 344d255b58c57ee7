"""
The Dual-LLM result envelope types under the official SDK's import path
``sequrity.control.types.dual_llm_response`` (the classes of `sequrity.control.types.results`).
"""

from __future__ import annotations

from .results import ErrorInfo as ErrorInfo
from .results import MetaData as MetaData
from .results import ResponseContentJsonSchema as ResponseContentJsonSchema
from .results import ValueWithMeta as ValueWithMeta

__all__ = ["ErrorInfo", "MetaData", "ResponseContentJsonSchema", "ValueWithMeta"]
