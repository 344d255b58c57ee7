"""
The typed configuration headers: ``X-Features`` (`FeaturesHeader`), ``X-Policy``
(`SecurityPolicyHeader`) and ``X-Config`` (`FineGrainedConfigHeader`), with their nested types.
"""

from __future__ import annotations

from ._features import ConstraintConfig as ConstraintConfig
from ._features import FeaturesHeader as FeaturesHeader
from ._features import TaggerConfig as TaggerConfig
from ._fine_grained import FineGrainedConfigHeader as FineGrainedConfigHeader
from ._fine_grained import FsmOverrides as FsmOverrides
from ._fine_grained import GenerationConfigOverrides as GenerationConfigOverrides
from ._fine_grained import LlmOverrides as LlmOverrides
from ._fine_grained import LlmPromptOverrides as LlmPromptOverrides
from ._fine_grained import PllmPromptOverrides as PllmPromptOverrides
from ._fine_grained import PromptOverrides as PromptOverrides
from ._fine_grained import ReasoningConfigOverride as ReasoningConfigOverride
from ._fine_grained import ResponseFormatOverrides as ResponseFormatOverrides
from ._fine_grained import RllmPromptOverrides as RllmPromptOverrides
from ._fine_grained import TllmPromptOverrides as TllmPromptOverrides
from ._header_fields import JSON_NULL as JSON_NULL
from ._header_fields import JsonNull as JsonNull
from ._header_json import render_header as render_header
from ._header_names import AgentArch as AgentArch
from ._header_names import ContentBlockerName as ContentBlockerName
from ._header_names import ContentClassifierName as ContentClassifierName
from ._header_names import DebugInfoLevel as DebugInfoLevel
from ._header_names import InternalSqrtToolIdType as InternalSqrtToolIdType
from ._header_names import MessageRoleType as MessageRoleType
from ._header_names import PromptFlavor as PromptFlavor
from ._header_names import PromptVersion as PromptVersion
from ._header_names import _deep_merge as _deep_merge
from ._header_validation import HeaderValidation as HeaderValidation
from ._header_validation import validate_header as validate_header
from ._legacy import legacy_features_to_current as legacy_features_to_current
from ._legacy import legacy_policy_to_current as legacy_policy_to_current
from ._policy import ControlFlowMetaPolicy as ControlFlowMetaPolicy
from ._policy import InternalPolicyPresets as InternalPolicyPresets
from ._policy import PolicyCode as PolicyCode
from ._policy import SecurityPolicyHeader as SecurityPolicyHeader

__all__ = [
    "JSON_NULL",
    "AgentArch",
    "ConstraintConfig",
    "ContentBlockerName",
    "ContentClassifierName",
    "ControlFlowMetaPolicy",
    "DebugInfoLevel",
    "FeaturesHeader",
    "FineGrainedConfigHeader",
    "FsmOverrides",
    "GenerationConfigOverrides",
    "HeaderValidation",
    "InternalPolicyPresets",
    "InternalSqrtToolIdType",
    "JsonNull",
    "LlmOverrides",
    "LlmPromptOverrides",
    "MessageRoleType",
    "PllmPromptOverrides",
    "PolicyCode",
    "PromptFlavor",
    "PromptOverrides",
    "PromptVersion",
    "ReasoningConfigOverride",
    "ResponseFormatOverrides",
    "RllmPromptOverrides",
    "SecurityPolicyHeader",
    "TaggerConfig",
    "TllmPromptOverrides",
    "legacy_features_to_current",
    "legacy_policy_to_current",
    "render_header",
    "validate_header",
]
