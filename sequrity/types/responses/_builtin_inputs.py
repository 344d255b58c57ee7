"""
Responses API input items of the built-in tools, replayed as input: computer, shell, local shell,
apply-patch, MCP and image-generation calls and their outputs. Any other item is an `UnknownItem`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods

__all__ = [
    "ApplyPatchCallOutputParam",
    "ApplyPatchCallParam",
    "ComputerCallOutputAcknowledgedSafetyCheck",
    "ComputerCallOutputParam",
    "ImageGenerationCallParam",
    "LocalShellCallActionParam",
    "LocalShellCallOutputParam",
    "LocalShellCallParam",
    "McpApprovalRequestParam",
    "McpApprovalResponseParam",
    "McpCallParam",
    "McpListToolsParam",
    "McpListToolsToolParam",
    "ShellCallActionParam",
    "ShellCallOutputParam",
    "ShellCallParam",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)
_Status = Literal["in_progress", "completed", "incomplete"]


@attrs.frozen(kw_only=True)
class ComputerCallOutputAcknowledgedSafetyCheck(ModelMethods):
    """A safety check the user acknowledged before the computer action ran."""

    id: str
    code: str | None = None
    message: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerCallOutputParam(ModelMethods):
    """The result (a screenshot) of the computer call `call_id`."""

    call_id: str
    output: dict[str, Any]
    id: str | None = None
    acknowledged_safety_checks: list[ComputerCallOutputAcknowledgedSafetyCheck] | None = None
    status: _Status | None = None
    type: Literal["computer_call_output"] = "computer_call_output"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class LocalShellCallActionParam(ModelMethods):
    """A command the local shell tool runs."""

    command: list[str]
    env: dict[str, str] = attrs.field(factory=dict)
    timeout_ms: int | None = None
    user: str | None = None
    working_directory: str | None = None
    type: Literal["exec"] = "exec"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class LocalShellCallParam(ModelMethods):
    """A local shell call the model made, replayed as input."""

    id: str
    action: LocalShellCallActionParam
    call_id: str
    status: _Status
    type: Literal["local_shell_call"] = "local_shell_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class LocalShellCallOutputParam(ModelMethods):
    """The output of a local shell call."""

    id: str
    output: str
    status: _Status | None = None
    type: Literal["local_shell_call_output"] = "local_shell_call_output"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ShellCallActionParam(ModelMethods):
    """The commands of a shell call."""

    commands: list[str]
    max_output_length: int | None = None
    timeout_ms: int | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ShellCallParam(ModelMethods):
    """A shell call the model made, replayed as input."""

    action: ShellCallActionParam
    call_id: str
    id: str | None = None
    status: _Status | None = None
    type: Literal["shell_call"] = "shell_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ShellCallOutputParam(ModelMethods):
    """The output of the shell call `call_id`, one entry per command."""

    call_id: str
    output: list[dict[str, Any]]
    id: str | None = None
    max_output_length: int | None = None
    type: Literal["shell_call_output"] = "shell_call_output"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ApplyPatchCallParam(ModelMethods):
    """A patch the model proposed, replayed as input."""

    call_id: str
    operation: dict[str, Any]
    status: Literal["in_progress", "completed"]
    id: str | None = None
    type: Literal["apply_patch_call"] = "apply_patch_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ApplyPatchCallOutputParam(ModelMethods):
    """Whether the patch of `call_id` applied."""

    call_id: str
    status: Literal["completed", "failed"]
    id: str | None = None
    output: str | None = None
    type: Literal["apply_patch_call_output"] = "apply_patch_call_output"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpListToolsToolParam(ModelMethods):
    """One tool an MCP server offers."""

    input_schema: dict[str, Any]
    name: str
    annotations: dict[str, Any] | None = None
    description: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpListToolsParam(ModelMethods):
    """The tool list of an MCP server, replayed as input."""

    id: str
    server_label: str
    tools: list[McpListToolsToolParam]
    error: str | None = None
    type: Literal["mcp_list_tools"] = "mcp_list_tools"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpApprovalRequestParam(ModelMethods):
    """A request for approval of an MCP tool call, replayed as input."""

    id: str
    arguments: str
    name: str
    server_label: str
    type: Literal["mcp_approval_request"] = "mcp_approval_request"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpApprovalResponseParam(ModelMethods):
    """The answer to the approval request `approval_request_id`."""

    approval_request_id: str
    approve: bool
    id: str | None = None
    reason: str | None = None
    type: Literal["mcp_approval_response"] = "mcp_approval_response"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class McpCallParam(ModelMethods):
    """An MCP tool call, replayed as input."""

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
class ImageGenerationCallParam(ModelMethods):
    """An image generation call, replayed as input (`result` is the base64 image)."""

    id: str
    status: Literal["in_progress", "completed", "generating", "failed"]
    result: str | None = None
    type: Literal["image_generation_call"] = "image_generation_call"
    extra: Mapping[str, Any] = _extra


#: The built-in input item classes by their ``type`` (the converter's union table).
BUILTIN_INPUT_ITEMS: Mapping[str, type[Any]] = {
    "computer_call_output": ComputerCallOutputParam,
    "local_shell_call": LocalShellCallParam,
    "local_shell_call_output": LocalShellCallOutputParam,
    "shell_call": ShellCallParam,
    "shell_call_output": ShellCallOutputParam,
    "apply_patch_call": ApplyPatchCallParam,
    "apply_patch_call_output": ApplyPatchCallOutputParam,
    "mcp_list_tools": McpListToolsParam,
    "mcp_approval_request": McpApprovalRequestParam,
    "mcp_approval_response": McpApprovalResponseParam,
    "mcp_call": McpCallParam,
    "image_generation_call": ImageGenerationCallParam,
}
