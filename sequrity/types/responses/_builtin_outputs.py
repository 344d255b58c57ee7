"""
Responses API output items of the built-in tools (file search, web search, image generation,
shells, apply-patch, MCP, custom tools; code interpreter and computer use are in
`_builtin_computer`), the annotation and log-probability shapes, and the informational objects of
a response. An output item of any other type, or one that does not fit its class, is an
`UnknownItem`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods

__all__ = [
    "Annotation",
    "AnnotationContainerFileCitation",
    "AnnotationFileCitation",
    "AnnotationFilePath",
    "AnnotationURLCitation",
    "ApplyPatchToolCall",
    "ConversationInfo",
    "FileSearchResult",
    "FileSearchToolCall",
    "FunctionShellToolCall",
    "ImageGenerationCall",
    "LocalShellCall",
    "LocalShellCallAction",
    "McpApprovalRequest",
    "McpCall",
    "McpListTools",
    "McpListToolsTool",
    "OutputTextLogprob",
    "OutputTextLogprobTopLogprob",
    "ResponseCustomToolCall",
    "ResponsePromptInfo",
    "ToolInfo",
    "WebSearchAction",
    "WebSearchActionFind",
    "WebSearchActionOpenPage",
    "WebSearchActionSearch",
    "WebSearchActionSource",
    "WebSearchToolCall",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


# -- text parts ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OutputTextLogprobTopLogprob(ModelMethods):
    """An alternative token and its log probability."""

    token: str
    bytes: list[int]
    logprob: float
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class OutputTextLogprob(ModelMethods):
    """A sampled token, its log probability and the likeliest alternatives."""

    token: str
    bytes: list[int]
    logprob: float
    top_logprobs: list[OutputTextLogprobTopLogprob]
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AnnotationFileCitation(ModelMethods):
    """A citation of a file."""

    file_id: str
    filename: str
    index: int
    type: Literal["file_citation"] = "file_citation"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AnnotationURLCitation(ModelMethods):
    """A citation of a web page, with the character range that cites it."""

    end_index: int
    start_index: int
    title: str
    url: str
    type: Literal["url_citation"] = "url_citation"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AnnotationContainerFileCitation(ModelMethods):
    """A citation of a file in a code-interpreter container."""

    container_id: str
    end_index: int
    file_id: str
    filename: str
    start_index: int
    type: Literal["container_file_citation"] = "container_file_citation"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AnnotationFilePath(ModelMethods):
    """A path to a generated file."""

    file_id: str
    index: int
    type: Literal["file_path"] = "file_path"
    extra: Mapping[str, Any] = _extra


Annotation = (
    AnnotationFileCitation
    | AnnotationURLCitation
    | AnnotationContainerFileCitation
    | AnnotationFilePath
)

# -- file and web search ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FileSearchResult(ModelMethods):
    """One file search hit."""

    attributes: dict[str, Any] | None = None
    file_id: str | None = None
    filename: str | None = None
    score: float | None = None
    text: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FileSearchToolCall(ModelMethods):
    """A file search the provider ran."""

    id: str
    status: Literal["in_progress", "searching", "completed", "incomplete", "failed"]
    queries: list[str] = attrs.field(factory=list)
    results: list[FileSearchResult] | None = None
    type: Literal["file_search_call"] = "file_search_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class WebSearchActionSource(ModelMethods):
    """A source a web search consulted."""

    url: str
    type: Literal["url"] = "url"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class WebSearchActionSearch(ModelMethods):
    """A web search query."""

    query: str
    queries: list[str] | None = None
    sources: list[WebSearchActionSource] | None = None
    type: Literal["search"] = "search"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class WebSearchActionOpenPage(ModelMethods):
    """A page opened during a web search."""

    url: str
    type: Literal["open_page"] = "open_page"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class WebSearchActionFind(ModelMethods):
    """A pattern searched for within a page."""

    pattern: str
    url: str
    type: Literal["find"] = "find"
    extra: Mapping[str, Any] = _extra


WebSearchAction = WebSearchActionSearch | WebSearchActionOpenPage | WebSearchActionFind


@attrs.frozen(kw_only=True)
class WebSearchToolCall(ModelMethods):
    """A web search the provider ran."""

    id: str
    status: Literal["in_progress", "searching", "completed", "failed"]
    action: WebSearchAction | None = None
    type: Literal["web_search_call"] = "web_search_call"
    extra: Mapping[str, Any] = _extra


# -- other built-in calls -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ImageGenerationCall(ModelMethods):
    """An image the provider generated (`result`: base64)."""

    id: str
    status: Literal["in_progress", "completed", "generating", "failed"]
    result: str | None = None
    type: Literal["image_generation_call"] = "image_generation_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class LocalShellCallAction(ModelMethods):
    """A command the caller's local shell must run."""

    command: list[str]
    env: dict[str, str] = attrs.field(factory=dict)
    timeout_ms: int | None = None
    user: str | None = None
    working_directory: str | None = None
    type: Literal["exec"] = "exec"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class LocalShellCall(ModelMethods):
    """A local shell command the caller must run."""

    id: str
    action: LocalShellCallAction
    call_id: str
    status: Literal["in_progress", "completed", "incomplete"]
    type: Literal["local_shell_call"] = "local_shell_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FunctionShellToolCall(ModelMethods):
    """A shell call (its action travels in `extra`)."""

    call_id: str
    id: str | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    type: Literal["shell_call"] = "shell_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ApplyPatchToolCall(ModelMethods):
    """A file patch the model proposes (its operation travels in `extra`)."""

    call_id: str
    status: Literal["in_progress", "completed"]
    id: str | None = None
    type: Literal["apply_patch_call"] = "apply_patch_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpListToolsTool(ModelMethods):
    """One tool an MCP server offers."""

    input_schema: dict[str, Any]
    name: str
    annotations: dict[str, Any] | None = None
    description: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpListTools(ModelMethods):
    """The tools an MCP server offers."""

    id: str
    server_label: str
    tools: list[McpListToolsTool]
    error: str | None = None
    type: Literal["mcp_list_tools"] = "mcp_list_tools"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpApprovalRequest(ModelMethods):
    """The model asks for approval of an MCP tool call."""

    id: str
    arguments: str
    name: str
    server_label: str
    type: Literal["mcp_approval_request"] = "mcp_approval_request"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpCall(ModelMethods):
    """An MCP tool call the provider ran."""

    id: str
    arguments: str
    name: str
    server_label: str
    approval_request_id: str | None = None
    error: str | None = None
    output: str | None = None
    status: Literal["in_progress", "completed", "incomplete", "calling", "failed"] | None = None
    type: Literal["mcp_call"] = "mcp_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseCustomToolCall(ModelMethods):
    """A custom-tool call the caller must run (free-form `input`)."""

    call_id: str
    name: str
    input: str
    id: str | None = None
    type: Literal["custom_tool_call"] = "custom_tool_call"
    extra: Mapping[str, Any] = _extra


# -- informational objects of a response --------------------------------------------------------


@attrs.frozen(kw_only=True)
class ToolInfo(ModelMethods):
    """A tool as a response echoes it (every key but `type` in `extra`)."""

    type: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ConversationInfo(ModelMethods):
    """The conversation a response belongs to."""

    id: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponsePromptInfo(ModelMethods):
    """The stored prompt a response used."""

    id: str
    variables: dict[str, Any] | None = None
    extra: Mapping[str, Any] = _extra


#: The built-in output item classes by their ``type`` (the converter's union table).
BUILTIN_OUTPUT_ITEMS: Mapping[str, type[Any]] = {
    "file_search_call": FileSearchToolCall,
    "web_search_call": WebSearchToolCall,
    "image_generation_call": ImageGenerationCall,
    "local_shell_call": LocalShellCall,
    "shell_call": FunctionShellToolCall,
    "apply_patch_call": ApplyPatchToolCall,
    "mcp_call": McpCall,
    "mcp_list_tools": McpListTools,
    "mcp_approval_request": McpApprovalRequest,
    "custom_tool_call": ResponseCustomToolCall,
}
