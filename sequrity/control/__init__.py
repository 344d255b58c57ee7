"""
The Control product: client-level defaults (`ControlConfig`), the typed configuration headers
(X-Features, X-Policy, X-Config), Dual-LLM result types, and the enums of the URL segments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes as _lazy_attributes

__all__ = [
    "JSON_NULL",
    "AsyncStream",
    "ConstraintConfig",
    "ControlConfig",
    "ControlFlowMetaPolicy",
    "ControlOptions",
    "CreateOptions",
    "EndpointType",
    "ErrorInfo",
    "FeaturesHeader",
    "FineGrainedConfigHeader",
    "FsmOverrides",
    "GenerationConfigOverrides",
    "HeaderCheck",
    "HeaderValidation",
    "HeaderValidationReport",
    "HealthStatus",
    "InternalPolicyPresets",
    "LlmOverrides",
    "LlmPromptOverrides",
    "LlmServiceProvider",
    "MetaData",
    "PllmPromptOverrides",
    "PolicyCode",
    "PolicyGenRequest",
    "PolicyGenRequestAnthropicMessages",
    "PolicyGenRequestOaiChatCompletion",
    "PolicyGenRequestOaiResponses",
    "PolicyGenRequestOpenrouterChatCompletion",
    "PolicyGenRequestSequrityAzureChatCompletion",
    "PolicyGenRequestSequrityAzureResponses",
    "PolicyGenResponse",
    "PolicyViolationError",
    "PromptOverrides",
    "ReasoningConfigOverride",
    "ResponseContentJsonSchema",
    "ResponseFormatOverrides",
    "RllmPromptOverrides",
    "RouteInfo",
    "RouteListing",
    "SecurityPolicyHeader",
    "Stream",
    "SyncStream",
    "TaggerConfig",
    "TllmPromptOverrides",
    "ValueWithMeta",
    "make_tool_call_id",
    "parse_result",
    "session_id_from_tool_call_id",
    "validate_header",
]

if TYPE_CHECKING:
    from .._core._blocking_stream import Stream as Stream
    from .._core._blocking_stream import Stream as SyncStream
    from .._core._stream import AsyncStream as AsyncStream
    from ._config import ControlConfig as ControlConfig
    from ._enums import EndpointType as EndpointType
    from ._enums import LlmServiceProvider as LlmServiceProvider
    from ._options import ControlOptions as ControlOptions
    from ._options import CreateOptions as CreateOptions
    from ._tool_ids import make_tool_call_id as make_tool_call_id
    from ._tool_ids import session_id_from_tool_call_id as session_id_from_tool_call_id
    from .types.headers import JSON_NULL as JSON_NULL
    from .types.headers import ConstraintConfig as ConstraintConfig
    from .types.headers import ControlFlowMetaPolicy as ControlFlowMetaPolicy
    from .types.headers import FeaturesHeader as FeaturesHeader
    from .types.headers import FineGrainedConfigHeader as FineGrainedConfigHeader
    from .types.headers import FsmOverrides as FsmOverrides
    from .types.headers import GenerationConfigOverrides as GenerationConfigOverrides
    from .types.headers import HeaderValidation as HeaderValidation
    from .types.headers import InternalPolicyPresets as InternalPolicyPresets
    from .types.headers import LlmOverrides as LlmOverrides
    from .types.headers import LlmPromptOverrides as LlmPromptOverrides
    from .types.headers import PllmPromptOverrides as PllmPromptOverrides
    from .types.headers import PolicyCode as PolicyCode
    from .types.headers import PromptOverrides as PromptOverrides
    from .types.headers import ReasoningConfigOverride as ReasoningConfigOverride
    from .types.headers import ResponseFormatOverrides as ResponseFormatOverrides
    from .types.headers import RllmPromptOverrides as RllmPromptOverrides
    from .types.headers import SecurityPolicyHeader as SecurityPolicyHeader
    from .types.headers import TaggerConfig as TaggerConfig
    from .types.headers import TllmPromptOverrides as TllmPromptOverrides
    from .types.headers import validate_header as validate_header
    from .types.policy_gen import PolicyGenRequest as PolicyGenRequest
    from .types.policy_gen import (
        PolicyGenRequestAnthropicMessages as PolicyGenRequestAnthropicMessages,
    )
    from .types.policy_gen import (
        PolicyGenRequestOaiChatCompletion as PolicyGenRequestOaiChatCompletion,
    )
    from .types.policy_gen import PolicyGenRequestOaiResponses as PolicyGenRequestOaiResponses
    from .types.policy_gen import (
        PolicyGenRequestOpenrouterChatCompletion as PolicyGenRequestOpenrouterChatCompletion,
    )
    from .types.policy_gen import (
        PolicyGenRequestSequrityAzureChatCompletion as PolicyGenRequestSequrityAzureChatCompletion,
    )
    from .types.policy_gen import (
        PolicyGenRequestSequrityAzureResponses as PolicyGenRequestSequrityAzureResponses,
    )
    from .types.policy_gen import PolicyGenResponse as PolicyGenResponse
    from .types.results import ErrorInfo as ErrorInfo
    from .types.results import MetaData as MetaData
    from .types.results import PolicyViolationError as PolicyViolationError
    from .types.results import ResponseContentJsonSchema as ResponseContentJsonSchema
    from .types.results import ValueWithMeta as ValueWithMeta
    from .types.results import parse_result as parse_result
    from .types.utility import HeaderCheck as HeaderCheck
    from .types.utility import HeaderValidationReport as HeaderValidationReport
    from .types.utility import HealthStatus as HealthStatus
    from .types.utility import RouteInfo as RouteInfo
    from .types.utility import RouteListing as RouteListing

# Every name loads on first use (see `sequrity._lazy`): importing a submodule such as
# `sequrity.control._client` does not build the header or result models.
__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "SyncStream": "sequrity._core._blocking_stream:Stream",
        "Stream": "sequrity._core._blocking_stream",
        "AsyncStream": "sequrity._core._stream",
        "ControlConfig": "sequrity.control._config",
        "EndpointType": "sequrity.control._enums",
        "LlmServiceProvider": "sequrity.control._enums",
        "ControlOptions": "sequrity.control._options",
        "CreateOptions": "sequrity.control._options",
        "make_tool_call_id": "sequrity.control._tool_ids",
        "session_id_from_tool_call_id": "sequrity.control._tool_ids",
        "JSON_NULL": "sequrity.control.types.headers",
        "ConstraintConfig": "sequrity.control.types.headers",
        "ControlFlowMetaPolicy": "sequrity.control.types.headers",
        "FeaturesHeader": "sequrity.control.types.headers",
        "FineGrainedConfigHeader": "sequrity.control.types.headers",
        "FsmOverrides": "sequrity.control.types.headers",
        "GenerationConfigOverrides": "sequrity.control.types.headers",
        "HeaderValidation": "sequrity.control.types.headers",
        "InternalPolicyPresets": "sequrity.control.types.headers",
        "LlmOverrides": "sequrity.control.types.headers",
        "LlmPromptOverrides": "sequrity.control.types.headers",
        "PllmPromptOverrides": "sequrity.control.types.headers",
        "PolicyCode": "sequrity.control.types.headers",
        "PromptOverrides": "sequrity.control.types.headers",
        "ReasoningConfigOverride": "sequrity.control.types.headers",
        "ResponseFormatOverrides": "sequrity.control.types.headers",
        "RllmPromptOverrides": "sequrity.control.types.headers",
        "SecurityPolicyHeader": "sequrity.control.types.headers",
        "TaggerConfig": "sequrity.control.types.headers",
        "TllmPromptOverrides": "sequrity.control.types.headers",
        "validate_header": "sequrity.control.types.headers",
        "ErrorInfo": "sequrity.control.types.results",
        "MetaData": "sequrity.control.types.results",
        "PolicyViolationError": "sequrity.control.types.results",
        "ResponseContentJsonSchema": "sequrity.control.types.results",
        "ValueWithMeta": "sequrity.control.types.results",
        "parse_result": "sequrity.control.types.results",
        "PolicyGenRequest": "sequrity.control.types.policy_gen",
        "PolicyGenRequestAnthropicMessages": "sequrity.control.types.policy_gen",
        "PolicyGenRequestOaiChatCompletion": "sequrity.control.types.policy_gen",
        "PolicyGenRequestOaiResponses": "sequrity.control.types.policy_gen",
        "PolicyGenRequestOpenrouterChatCompletion": "sequrity.control.types.policy_gen",
        "PolicyGenRequestSequrityAzureChatCompletion": "sequrity.control.types.policy_gen",
        "PolicyGenRequestSequrityAzureResponses": "sequrity.control.types.policy_gen",
        "PolicyGenResponse": "sequrity.control.types.policy_gen",
        "HeaderCheck": "sequrity.control.types.utility",
        "HeaderValidationReport": "sequrity.control.types.utility",
        "HealthStatus": "sequrity.control.types.utility",
        "RouteInfo": "sequrity.control.types.utility",
        "RouteListing": "sequrity.control.types.utility",
    },
)
