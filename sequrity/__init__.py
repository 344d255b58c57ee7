"""
sequrity: the async-first Python SDK for the Sequrity Control API.

`AsyncSequrityClient` is the implementation; `SequrityClient` is its blocking twin, generated from it.
Every error derives from `SequrityError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._exceptions import AuthenticationError as AuthenticationError
from ._exceptions import BadRequestError as BadRequestError
from ._exceptions import ConflictError as ConflictError
from ._exceptions import InternalServerError as InternalServerError
from ._exceptions import NotFoundError as NotFoundError
from ._exceptions import PermissionDeniedError as PermissionDeniedError
from ._exceptions import RateLimitError as RateLimitError
from ._exceptions import RequestTooLargeError as RequestTooLargeError
from ._exceptions import SequrityAPIError as SequrityAPIError
from ._exceptions import SequrityConnectionError as SequrityConnectionError
from ._exceptions import SequrityDecodeError as SequrityDecodeError
from ._exceptions import SequrityError as SequrityError
from ._exceptions import SequrityLimitError as SequrityLimitError
from ._exceptions import SequrityStreamError as SequrityStreamError
from ._exceptions import SequrityTimeoutError as SequrityTimeoutError
from ._exceptions import SequrityValidationError as SequrityValidationError
from ._exceptions import ServiceUnavailableError as ServiceUnavailableError
from ._exceptions import UnprocessableEntityError as UnprocessableEntityError
from ._lazy import lazy_attributes as _lazy_attributes
from ._logging import configure_from_env as _configure_logging
from ._sentinel import NOT_GIVEN as NOT_GIVEN
from ._sentinel import NotGiven as NotGiven
from ._version import __version__ as __version__

__all__ = [
    "NOT_GIVEN",
    "AiohttpTransport",
    "AnthropicMessageRequest",
    "AnthropicMessageResponse",
    "AnthropicStreamEvent",
    "ApiRequest",
    "ApiResponse",
    "AsyncSequrityClient",
    "AsyncStream",
    "AsyncTransport",
    "AuthenticationError",
    "BadRequestError",
    "ChatCompletionChunk",
    "ChatCompletionRequest",
    "ChatCompletionResponse",
    "ConflictError",
    "ControlConfig",
    "EndpointType",
    "InternalServerError",
    "Limits",
    "LlmServiceProvider",
    "LlmServiceProviderStr",
    "LoopTransport",
    "NotFoundError",
    "NotGiven",
    "OpenAiResponseStreamEvent",
    "Outcome",
    "PermissionDeniedError",
    "Progress",
    "RateLimitError",
    "RawResponse",
    "RequestTooLargeError",
    "ResponsesRequest",
    "ResponsesResponse",
    "RestApiType",
    "RetryEvent",
    "RetryPolicy",
    "SequrityAPIError",
    "SequrityClient",
    "SequrityConnectionError",
    "SequrityDecodeError",
    "SequrityError",
    "SequrityLimitError",
    "SequrityStreamError",
    "SequrityTimeoutError",
    "SequrityValidationError",
    "ServerSentEvent",
    "ServiceUnavailableError",
    "Stream",
    "Timeout",
    "UnprocessableEntityError",
    "__version__",
]

_configure_logging()

if TYPE_CHECKING:
    from ._client import AsyncSequrityClient as AsyncSequrityClient
    from ._core._blocking_stream import Stream as Stream
    from ._core._fanout import Outcome as Outcome
    from ._core._limits import Limits as Limits
    from ._core._loop_transport import LoopTransport as LoopTransport
    from ._core._progress import Progress as Progress
    from ._core._raw import RawResponse as RawResponse
    from ._core._retry import RetryEvent as RetryEvent
    from ._core._retry import RetryPolicy as RetryPolicy
    from ._core._sse import ServerSentEvent as ServerSentEvent
    from ._core._stream import AsyncStream as AsyncStream
    from ._core._transport import AiohttpTransport as AiohttpTransport
    from ._core._transport import AsyncTransport as AsyncTransport
    from ._core._wire import ApiRequest as ApiRequest
    from ._core._wire import ApiResponse as ApiResponse
    from ._core._wire import Timeout as Timeout
    from ._sync_client import SequrityClient as SequrityClient
    from .control._config import ControlConfig as ControlConfig
    from .control._enums import EndpointType as EndpointType
    from .control._enums import LlmServiceProvider as LlmServiceProvider
    from .control._enums import LlmServiceProviderStr as LlmServiceProviderStr
    from .control._enums import RestApiType as RestApiType
    from .types.chat_completion.request import ChatCompletionRequest as ChatCompletionRequest
    from .types.chat_completion.response import ChatCompletionResponse as ChatCompletionResponse
    from .types.chat_completion.stream import ChatCompletionChunk as ChatCompletionChunk
    from .types.messages.request import AnthropicMessageRequest as AnthropicMessageRequest
    from .types.messages.response import AnthropicMessageResponse as AnthropicMessageResponse
    from .types.messages.stream import AnthropicStreamEvent as AnthropicStreamEvent
    from .types.responses.request import ResponsesRequest as ResponsesRequest
    from .types.responses.response import ResponsesResponse as ResponsesResponse
    from .types.responses.stream import OpenAiResponseStreamEvent as OpenAiResponseStreamEvent

# Everything but the exceptions, the sentinel and the version loads on first use (see `_lazy`):
# `import sequrity` stays cheap and a program pays only for the parts it touches.
__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "AsyncSequrityClient": "sequrity._client",
        "Stream": "sequrity._core._blocking_stream",
        "Outcome": "sequrity._core._fanout",
        "Limits": "sequrity._core._limits",
        "LoopTransport": "sequrity._core._loop_transport",
        "Progress": "sequrity._core._progress",
        "RawResponse": "sequrity._core._raw",
        "RetryEvent": "sequrity._core._retry",
        "RetryPolicy": "sequrity._core._retry",
        "ServerSentEvent": "sequrity._core._sse",
        "AsyncStream": "sequrity._core._stream",
        "AiohttpTransport": "sequrity._core._transport",
        "AsyncTransport": "sequrity._core._transport",
        "ApiRequest": "sequrity._core._wire",
        "ApiResponse": "sequrity._core._wire",
        "Timeout": "sequrity._core._wire",
        "ControlConfig": "sequrity.control._config",
        "EndpointType": "sequrity.control._enums",
        "LlmServiceProvider": "sequrity.control._enums",
        "LlmServiceProviderStr": "sequrity.control._enums",
        "RestApiType": "sequrity.control._enums",
        "ChatCompletionRequest": "sequrity.types.chat_completion.request",
        "ChatCompletionResponse": "sequrity.types.chat_completion.response",
        "ChatCompletionChunk": "sequrity.types.chat_completion.stream",
        "SequrityClient": "sequrity._sync_client",
        "AnthropicMessageRequest": "sequrity.types.messages.request",
        "AnthropicMessageResponse": "sequrity.types.messages.response",
        "AnthropicStreamEvent": "sequrity.types.messages.stream",
        "ResponsesRequest": "sequrity.types.responses.request",
        "ResponsesResponse": "sequrity.types.responses.response",
        "OpenAiResponseStreamEvent": "sequrity.types.responses.stream",
    },
)
