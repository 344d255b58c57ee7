"""
Registration of the Messages unions with the converter: tagged unions (closed for request options, open
for content blocks and stream events), ``ToolParam | dict`` tools, and replayed response blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..._converter import register_tagged_union, register_wire_rules
from . import request as q
from . import response as r
from . import stream as s

if TYPE_CHECKING:
    import cattrs

__all__ = ["register_messages"]


def _accept_foreign_models(converter: cattrs.Converter, union: Any) -> None:
    """
    Let `union` take a model object of another class (a response `TextBlock` or `ToolUseBlock`
    replayed as request content) by reading it as the JSON object it stands for.
    """
    inner: Callable[[Any, Any], Any] = converter.get_structure_hook(union)

    def structure(value: Any, cl: Any) -> Any:
        if attrs.has(type(value)) and not isinstance(value, Mapping):
            try:
                return inner(value, cl)
            except TypeError:
                value = converter.unstructure(value)
        return inner(value, cl)

    converter.register_structure_hook(union, structure)


def _tool_factory(converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    tool_hook = converter.get_structure_hook(q.ToolParam)

    def structure_tool(value: Any, _: Any) -> Any:
        if isinstance(value, q.ToolParam):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a tool object, got {type(value).__name__}")
        kind = value.get("type")
        if kind is not None and kind != "custom":
            # A server tool (``web_search_20250305``...): its shape is the provider's business.
            if not isinstance(kind, str):
                raise TypeError(f"a tool's 'type' must be a string, got {type(kind).__name__}")
            return dict(value)
        return tool_hook(value, q.ToolParam)

    return structure_tool


def register_messages(converter: cattrs.Converter) -> None:
    """
    Teach `converter` the unions of the Messages models (`sequrity.types.messages`).
    """
    register_tagged_union(
        converter,
        q.ImageSourceParam,
        "type",
        {"base64": q.Base64ImageSourceParam, "url": q.URLImageSourceParam},
    )
    register_tagged_union(
        converter,
        q.DocumentSourceParam,
        "type",
        {"base64": q.Base64DocumentSourceParam, "url": q.URLDocumentSourceParam},
    )
    register_tagged_union(
        converter,
        q.ToolResultContentParam,
        "type",
        {"text": q.TextBlockParam, "image": q.ImageBlockParam, "document": q.DocumentBlockParam},
    )
    register_tagged_union(
        converter,
        q.MessageContentBlockParam,
        "type",
        {
            "text": q.TextBlockParam,
            "image": q.ImageBlockParam,
            "document": q.DocumentBlockParam,
            "tool_use": q.ToolUseBlockParam,
            "tool_result": q.ToolResultBlockParam,
            "thinking": q.ThinkingBlockParam,
            "redacted_thinking": q.RedactedThinkingBlockParam,
        },
        fallback=q.UnknownBlockParam,
    )
    _accept_foreign_models(converter, q.MessageContentBlockParam)
    register_tagged_union(
        converter,
        q.ToolChoiceParam,
        "type",
        {
            "auto": q.ToolChoiceAutoParam,
            "any": q.ToolChoiceAnyParam,
            "tool": q.ToolChoiceToolParam,
            "none": q.ToolChoiceNoneParam,
        },
    )
    register_tagged_union(
        converter,
        q.ThinkingConfigParam,
        "type",
        {
            "enabled": q.ThinkingConfigEnabledParam,
            "disabled": q.ThinkingConfigDisabledParam,
            "adaptive": q.ThinkingConfigAdaptiveParam,
        },
    )
    converter.register_structure_hook(q.ToolParam | dict[str, Any], _tool_factory(converter))

    register_tagged_union(
        converter,
        r.ContentBlock,
        "type",
        {
            "text": r.TextBlock,
            "thinking": r.ThinkingBlock,
            "redacted_thinking": r.RedactedThinkingBlock,
            "tool_use": r.ToolUseBlock,
            "server_tool_use": r.ServerToolUseBlock,
            "web_search_tool_result": r.WebSearchToolResultBlock,
        },
        fallback=r.UnknownContentBlock,
    )
    register_tagged_union(
        converter,
        s.Delta,
        "type",
        {
            "text_delta": s.TextDelta,
            "input_json_delta": s.InputJSONDelta,
            "thinking_delta": s.ThinkingDelta,
            "signature_delta": s.SignatureDelta,
            "citations_delta": s.CitationsDelta,
        },
        fallback=s.UnknownDelta,
    )
    register_tagged_union(
        converter,
        s.BlockStart,
        "type",
        {
            "text": s.TextBlockStart,
            "thinking": s.ThinkingBlockStart,
            "redacted_thinking": s.RedactedThinkingBlockStart,
            "tool_use": s.ToolUseBlockStart,
            "server_tool_use": s.ServerToolUseBlockStart,
            "web_search_tool_result": r.WebSearchToolResultBlock,
        },
        fallback=r.UnknownContentBlock,
    )
    register_tagged_union(
        converter,
        s.AnthropicStreamEvent,
        "type",
        {
            "message_start": s.RawMessageStartEvent,
            "content_block_start": s.RawContentBlockStartEvent,
            "content_block_delta": s.RawContentBlockDeltaEvent,
            "content_block_stop": s.RawContentBlockStopEvent,
            "message_delta": s.RawMessageDeltaEvent,
            "message_stop": s.RawMessageStopEvent,
        },
        fallback=s.UnknownStreamEvent,
    )


register_wire_rules(register_messages)
