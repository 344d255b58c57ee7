"""
Typed configuration headers (`headers`), Dual-LLM result types (`results`), policy generation
(`policy_gen`) and the utility endpoints' types (`utility`). The names the official SDK exports
here load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_attributes as _lazy_attributes

if TYPE_CHECKING:
    from .._enums import EndpointType as EndpointType
    from .headers import ConstraintConfig as ConstraintConfig
    from .headers import FeaturesHeader as FeaturesHeader
    from .headers import FineGrainedConfigHeader as FineGrainedConfigHeader
    from .headers import FsmOverrides as FsmOverrides
    from .headers import GenerationConfigOverrides as GenerationConfigOverrides
    from .headers import LlmOverrides as LlmOverrides
    from .headers import ReasoningConfigOverride as ReasoningConfigOverride
    from .headers import SecurityPolicyHeader as SecurityPolicyHeader
    from .headers import TaggerConfig as TaggerConfig
    from .policy_gen import PolicyGenRequest as PolicyGenRequest
    from .policy_gen import PolicyGenResponse as PolicyGenResponse
    from .results import ErrorInfo as ErrorInfo
    from .results import MetaData as MetaData
    from .results import ResponseContentJsonSchema as ResponseContentJsonSchema
    from .results import ValueWithMeta as ValueWithMeta

__all__ = [
    "ConstraintConfig",
    "EndpointType",
    "ErrorInfo",
    "FeaturesHeader",
    "FineGrainedConfigHeader",
    "FsmOverrides",
    "GenerationConfigOverrides",
    "LlmOverrides",
    "MetaData",
    "PolicyGenRequest",
    "PolicyGenResponse",
    "ReasoningConfigOverride",
    "ResponseContentJsonSchema",
    "SecurityPolicyHeader",
    "TaggerConfig",
    "ValueWithMeta",
]

_HEADERS = "sequrity.control.types.headers"
_RESULTS = "sequrity.control.types.results"
_POLICY_GEN = "sequrity.control.types.policy_gen"

__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "EndpointType": "sequrity.control._enums",
        "ConstraintConfig": _HEADERS,
        "FeaturesHeader": _HEADERS,
        "FineGrainedConfigHeader": _HEADERS,
        "FsmOverrides": _HEADERS,
        "GenerationConfigOverrides": _HEADERS,
        "LlmOverrides": _HEADERS,
        "ReasoningConfigOverride": _HEADERS,
        "SecurityPolicyHeader": _HEADERS,
        "TaggerConfig": _HEADERS,
        "ErrorInfo": _RESULTS,
        "MetaData": _RESULTS,
        "ResponseContentJsonSchema": _RESULTS,
        "ValueWithMeta": _RESULTS,
        "PolicyGenRequest": _POLICY_GEN,
        "PolicyGenResponse": _POLICY_GEN,
    },
)
