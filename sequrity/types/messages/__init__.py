"""Anthropic Messages: request, response and stream-event models, and the stream accumulator."""

from __future__ import annotations

from . import _unions  # noqa: F401 - registers the unions with the converter
from .accumulate import MessageAccumulator as MessageAccumulator
from .accumulate import accumulate_message as accumulate_message
from .accumulate import accumulate_message_async as accumulate_message_async
from .request import AnthropicMessageRequest as AnthropicMessageRequest
from .request import Base64DocumentSourceParam as Base64DocumentSourceParam
from .request import Base64ImageSourceParam as Base64ImageSourceParam
from .request import DocumentBlockParam as DocumentBlockParam
from .request import ImageBlockParam as ImageBlockParam
from .request import JSONOutputFormatParam as JSONOutputFormatParam
from .request import MessageContentBlockParam as MessageContentBlockParam
from .request import MessageParam as MessageParam
from .request import MetadataParam as MetadataParam
from .request import OutputConfigParam as OutputConfigParam
from .request import TextBlockParam as TextBlockParam
from .request import ThinkingBlockParam as ThinkingBlockParam
from .request import ThinkingConfigAdaptiveParam as ThinkingConfigAdaptiveParam
from .request import ThinkingConfigDisabledParam as ThinkingConfigDisabledParam
from .request import ThinkingConfigEnabledParam as ThinkingConfigEnabledParam
from .request import ThinkingConfigParam as ThinkingConfigParam
from .request import ToolChoiceAnyParam as ToolChoiceAnyParam
from .request import ToolChoiceAutoParam as ToolChoiceAutoParam
from .request import ToolChoiceNoneParam as ToolChoiceNoneParam
from .request import ToolChoiceParam as ToolChoiceParam
from .request import ToolChoiceToolParam as ToolChoiceToolParam
from .request import ToolInputSchema as ToolInputSchema
from .request import ToolParam as ToolParam
from .request import ToolResultBlockParam as ToolResultBlockParam
from .request import ToolUseBlockParam as ToolUseBlockParam
from .request import URLImageSourceParam as URLImageSourceParam
from .response import AnthropicMessageResponse as AnthropicMessageResponse
from .response import ContentBlock as ContentBlock
from .response import RedactedThinkingBlock as RedactedThinkingBlock
from .response import ServerToolUseBlock as ServerToolUseBlock
from .response import TextBlock as TextBlock
from .response import TextCitation as TextCitation
from .response import ThinkingBlock as ThinkingBlock
from .response import ToolUseBlock as ToolUseBlock
from .response import Usage as Usage
from .response import WebSearchToolResultBlock as WebSearchToolResultBlock
from .stream import AnthropicStreamEvent as AnthropicStreamEvent

__all__ = [
    "AnthropicMessageRequest",
    "AnthropicMessageResponse",
    "AnthropicStreamEvent",
    "Base64DocumentSourceParam",
    "Base64ImageSourceParam",
    "ContentBlock",
    "DocumentBlockParam",
    "ImageBlockParam",
    "JSONOutputFormatParam",
    "MessageAccumulator",
    "MessageContentBlockParam",
    "MessageParam",
    "MetadataParam",
    "OutputConfigParam",
    "RedactedThinkingBlock",
    "ServerToolUseBlock",
    "TextBlock",
    "TextBlockParam",
    "TextCitation",
    "ThinkingBlock",
    "ThinkingBlockParam",
    "ThinkingConfigAdaptiveParam",
    "ThinkingConfigDisabledParam",
    "ThinkingConfigEnabledParam",
    "ThinkingConfigParam",
    "ToolChoiceAnyParam",
    "ToolChoiceAutoParam",
    "ToolChoiceNoneParam",
    "ToolChoiceParam",
    "ToolChoiceToolParam",
    "ToolInputSchema",
    "ToolParam",
    "ToolResultBlockParam",
    "ToolUseBlock",
    "ToolUseBlockParam",
    "URLImageSourceParam",
    "Usage",
    "WebSearchToolResultBlock",
    "accumulate_message",
    "accumulate_message_async",
]
