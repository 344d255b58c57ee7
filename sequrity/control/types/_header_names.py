"""
The official SDK's names in ``sequrity.control.types.headers`` that are not header classes: the
type aliases of the header fields (ours, under the official names) and `_deep_merge`.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from ._features import AgentArch as AgentArch
from ._features import BlockerName, TaggerName
from ._fine_grained import DebugInfoLevel as DebugInfoLevel
from ._fine_grained import InternalTool
from ._header_json import deep_merge

__all__ = [
    "AgentArch",
    "ContentBlockerName",
    "ContentClassifierName",
    "DebugInfoLevel",
    "InternalSqrtToolIdType",
    "MessageRoleType",
    "PromptFlavor",
    "PromptVersion",
    "_deep_merge",
]

ContentClassifierName: TypeAlias = TaggerName
ContentBlockerName: TypeAlias = BlockerName
InternalSqrtToolIdType: TypeAlias = InternalTool
PromptFlavor: TypeAlias = str
PromptVersion: TypeAlias = str
MessageRoleType: TypeAlias = str


def _deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """
    Deep-merge `overrides` into `base` in place and return `base` (the official helper's
    contract; `dump_for_headers(overrides=...)` uses the non-mutating `deep_merge`).
    """
    merged = deep_merge(base, overrides)
    base.clear()
    base.update(merged)
    return base
