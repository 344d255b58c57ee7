"""
Responses API request models for the provider's built-in tools (file search, web search, code
interpreter, computer use, image generation, MCP, shells, custom tools, apply-patch), the
keyword tool choices, and a conversation reference. A tool of any other type is an `UnknownTool`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods

__all__ = [
    "ApplyPatchToolParam",
    "CodeInterpreterContainerAuto",
    "CodeInterpreterToolParam",
    "ComputerToolParam",
    "ConversationParam",
    "CustomToolParam",
    "FileSearchToolParam",
    "FunctionShellToolParam",
    "ImageGenerationInputImageMask",
    "ImageGenerationToolParam",
    "LocalShellToolParam",
    "McpAllowedToolsFilter",
    "McpApprovalFilter",
    "McpToolParam",
    "ToolChoiceAutoParam",
    "ToolChoiceNoneParam",
    "ToolChoiceRequiredParam",
    "WebSearchPreviewToolParam",
    "WebSearchPreviewUserLocation",
    "WebSearchToolParam",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


@attrs.frozen(kw_only=True)
class FileSearchToolParam(ModelMethods):
    """Search the files of vector stores (their options travel in `extra`)."""

    file_ids: list[str] | None = None
    type: Literal["file_search"] = "file_search"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class WebSearchToolParam(ModelMethods):
    """Search the web (filters, location and context size travel in `extra`)."""

    type: Literal["web_search"] = "web_search"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class WebSearchPreviewUserLocation(ModelMethods):
    """The approximate location web search results are tailored to."""

    city: str | None = None
    country: str | None = None
    region: str | None = None
    timezone: str | None = None
    type: Literal["approximate"] = "approximate"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class WebSearchPreviewToolParam(ModelMethods):
    """The preview web search tool."""

    search_context_size: Literal["low", "medium", "high"] | None = None
    user_location: WebSearchPreviewUserLocation | None = None
    type: Literal["web_search_preview", "web_search_preview_2025_03_11"] = "web_search_preview"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class CodeInterpreterContainerAuto(ModelMethods):
    """A code-interpreter container created for the request."""

    file_ids: list[str] | None = None
    memory_limit: Literal["1g", "4g", "16g", "64g"] | None = None
    type: Literal["auto"] = "auto"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class CodeInterpreterToolParam(ModelMethods):
    """Run Python in a container: an existing container id, or one created for the request."""

    container: str | CodeInterpreterContainerAuto
    type: Literal["code_interpreter"] = "code_interpreter"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerToolParam(ModelMethods):
    """Computer use (display size and environment travel in `extra`)."""

    type: Literal["computer_use_preview"] = "computer_use_preview"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ImageGenerationInputImageMask(ModelMethods):
    """The mask of an image edit: a file id or an image URL."""

    file_id: str | None = None
    image_url: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ImageGenerationToolParam(ModelMethods):
    """Generate or edit images."""

    model: str | None = None
    size: Literal["1024x1024", "1024x1536", "1536x1024", "auto"] | None = None
    quality: Literal["low", "medium", "high", "auto"] | None = None
    background: Literal["transparent", "opaque", "auto"] | None = None
    input_fidelity: Literal["high", "low"] | None = None
    input_image_mask: ImageGenerationInputImageMask | None = None
    moderation: Literal["auto", "low"] | None = None
    output_compression: int | None = None
    output_format: Literal["png", "webp", "jpeg"] | None = None
    partial_images: int | None = None
    type: Literal["image_generation"] = "image_generation"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpAllowedToolsFilter(ModelMethods):
    """Which tools of an MCP server may be used: read-only ones, or these names."""

    read_only: bool | None = None
    tool_names: list[str] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpApprovalFilter(ModelMethods):
    """Which MCP tools always, or never, need approval."""

    always: McpAllowedToolsFilter | None = None
    never: McpAllowedToolsFilter | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpToolParam(ModelMethods):
    """Tools of a remote MCP server (or connector)."""

    server_label: str
    server_url: str | None = None
    connector_id: str | None = None
    #: A list of tool names or an `McpAllowedToolsFilter` (kept as given; JSON is decoded as is).
    allowed_tools: Any = None
    require_approval: str | McpApprovalFilter | None = None
    authorization: str | None = None
    headers: dict[str, str] | None = None
    server_description: str | None = None
    type: Literal["mcp"] = "mcp"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class LocalShellToolParam(ModelMethods):
    """Run shell commands on the caller's machine."""

    type: Literal["local_shell"] = "local_shell"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FunctionShellToolParam(ModelMethods):
    """The shell tool."""

    type: Literal["function_shell"] = "function_shell"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class CustomToolParam(ModelMethods):
    """A tool taking free-form text input (optionally constrained by a grammar `format`)."""

    name: str
    description: str | None = None
    format: dict[str, Any] | None = None
    type: Literal["custom"] = "custom"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ApplyPatchToolParam(ModelMethods):
    """Let the model propose file patches."""

    type: Literal["apply_patch"] = "apply_patch"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolChoiceNoneParam(ModelMethods):
    """The model must not call tools."""

    type: Literal["none"] = "none"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolChoiceAutoParam(ModelMethods):
    """The model decides whether to call tools."""

    type: Literal["auto"] = "auto"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolChoiceRequiredParam(ModelMethods):
    """The model must call at least one tool."""

    type: Literal["required"] = "required"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ConversationParam(ModelMethods):
    """The conversation a response belongs to."""

    id: str
    extra: Mapping[str, Any] = _extra


#: The built-in tool classes by their ``type`` (the converter's union table).
BUILTIN_TOOLS: Mapping[str, type[Any]] = {
    "file_search": FileSearchToolParam,
    "web_search": WebSearchToolParam,
    "web_search_preview": WebSearchPreviewToolParam,
    "web_search_preview_2025_03_11": WebSearchPreviewToolParam,
    "code_interpreter": CodeInterpreterToolParam,
    "computer_use_preview": ComputerToolParam,
    "image_generation": ImageGenerationToolParam,
    "mcp": McpToolParam,
    "local_shell": LocalShellToolParam,
    "function_shell": FunctionShellToolParam,
    "custom": CustomToolParam,
    "apply_patch": ApplyPatchToolParam,
}
