"""
Responses API output items of the code interpreter and of computer use, with their parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods

__all__ = [
    "CodeInterpreterOutput",
    "CodeInterpreterOutputImage",
    "CodeInterpreterOutputLogs",
    "CodeInterpreterToolCall",
    "ComputerAction",
    "ComputerActionClick",
    "ComputerActionDoubleClick",
    "ComputerActionDrag",
    "ComputerActionDragPath",
    "ComputerActionKeypress",
    "ComputerActionMove",
    "ComputerActionScreenshot",
    "ComputerActionScroll",
    "ComputerActionType",
    "ComputerActionWait",
    "ComputerPendingSafetyCheck",
    "ComputerToolCall",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


@attrs.frozen(kw_only=True)
class CodeInterpreterOutputLogs(ModelMethods):
    """Text the code printed."""

    logs: str
    type: Literal["logs"] = "logs"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class CodeInterpreterOutputImage(ModelMethods):
    """An image the code produced."""

    url: str
    type: Literal["image"] = "image"
    extra: Mapping[str, Any] = _extra


CodeInterpreterOutput = CodeInterpreterOutputLogs | CodeInterpreterOutputImage


@attrs.frozen(kw_only=True)
class CodeInterpreterToolCall(ModelMethods):
    """Code the provider ran in a container."""

    id: str
    container_id: str
    code: str | None = None
    outputs: list[CodeInterpreterOutput] | None = None
    status: Literal["in_progress", "completed", "incomplete", "interpreting", "failed"] | None = (
        None
    )
    type: Literal["code_interpreter_call"] = "code_interpreter_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionClick(ModelMethods):
    """Click a mouse button at a point."""

    button: Literal["left", "right", "wheel", "back", "forward"]
    x: int
    y: int
    type: Literal["click"] = "click"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionDoubleClick(ModelMethods):
    """Double-click at a point."""

    x: int
    y: int
    type: Literal["double_click"] = "double_click"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionDragPath(ModelMethods):
    """One point of a drag path."""

    x: int
    y: int
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionDrag(ModelMethods):
    """Drag the mouse along a path."""

    path: list[ComputerActionDragPath]
    type: Literal["drag"] = "drag"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionKeypress(ModelMethods):
    """Press a key combination."""

    keys: list[str]
    type: Literal["keypress"] = "keypress"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionMove(ModelMethods):
    """Move the mouse to a point."""

    x: int
    y: int
    type: Literal["move"] = "move"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionScreenshot(ModelMethods):
    """Take a screenshot."""

    type: Literal["screenshot"] = "screenshot"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionScroll(ModelMethods):
    """Scroll at a point."""

    scroll_x: int
    scroll_y: int
    x: int
    y: int
    type: Literal["scroll"] = "scroll"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionType(ModelMethods):
    """Type text."""

    text: str
    type: Literal["type"] = "type"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerActionWait(ModelMethods):
    """Wait."""

    type: Literal["wait"] = "wait"
    extra: Mapping[str, Any] = _extra


ComputerAction = (
    ComputerActionClick
    | ComputerActionDoubleClick
    | ComputerActionDrag
    | ComputerActionKeypress
    | ComputerActionMove
    | ComputerActionScreenshot
    | ComputerActionScroll
    | ComputerActionType
    | ComputerActionWait
)


@attrs.frozen(kw_only=True)
class ComputerPendingSafetyCheck(ModelMethods):
    """A safety check the user must acknowledge before the action runs."""

    id: str
    code: str | None = None
    message: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ComputerToolCall(ModelMethods):
    """A computer action the caller must perform (answer with a ``computer_call_output``)."""

    id: str
    action: ComputerAction
    call_id: str
    status: Literal["in_progress", "completed", "incomplete"]
    pending_safety_checks: list[ComputerPendingSafetyCheck] = attrs.field(factory=list)
    type: Literal["computer_call"] = "computer_call"
    extra: Mapping[str, Any] = _extra


#: The output item classes of this module by their ``type`` (the converter's union table).
COMPUTER_OUTPUT_ITEMS: Mapping[str, type[Any]] = {
    "code_interpreter_call": CodeInterpreterToolCall,
    "computer_call": ComputerToolCall,
}
