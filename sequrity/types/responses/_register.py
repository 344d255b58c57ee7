"""Converter registration of the Responses API unions (items, content, tools, stream events)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..._converter import register_tagged_union, register_wire_rules
from . import _builtin_computer as bc
from . import _builtin_outputs as bo
from . import request as rq
from . import response as rs
from . import stream as st
from ._builtin_inputs import BUILTIN_INPUT_ITEMS
from ._builtin_tools import BUILTIN_TOOLS

if TYPE_CHECKING:
    import cattrs

__all__ = ["register_responses"]


def _register_lenient(
    converter: cattrs.Converter,
    union: Any,
    members: Mapping[str | None, Sequence[type[Any]]],
    fallback: type[Any],
) -> None:
    """
    Structure `union` like the API's "smart" unions: the first candidate class for the object's
    ``type`` that accepts it wins; an object no candidate accepts becomes `fallback`, whole.
    """
    classes = tuple({c for group in members.values() for c in group} | {fallback})
    hooks: dict[type[Any], Callable[[Any, Any], Any]] = {}

    def hook(cls: type[Any]) -> Callable[[Any, Any], Any]:
        found = hooks.get(cls)
        if found is None:
            found = hooks[cls] = converter.get_structure_hook(cls)
        return found

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, classes):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")
        kind = value.get("type")
        for cls in members.get(kind if isinstance(kind, str) or kind is None else "", ()):
            try:
                return hook(cls)(value, cls)
            except Exception:
                continue
        return hook(fallback)(value, fallback)

    converter.register_structure_hook(union, structure)
    converter.register_structure_hook(
        union | None, lambda value, cl: None if value is None else structure(value, cl)
    )


def _register_builtin_parts(converter: cattrs.Converter) -> None:
    """
    The unions inside built-in tool items. An unknown member makes its item fail, so the item
    falls back to `UnknownItem` whole.
    """
    register_tagged_union(
        converter,
        bo.WebSearchAction,
        "type",
        {
            "search": bo.WebSearchActionSearch,
            "open_page": bo.WebSearchActionOpenPage,
            "find": bo.WebSearchActionFind,
        },
    )
    register_tagged_union(
        converter,
        bc.CodeInterpreterOutput,
        "type",
        {"logs": bc.CodeInterpreterOutputLogs, "image": bc.CodeInterpreterOutputImage},
    )
    register_tagged_union(
        converter,
        bc.ComputerAction,
        "type",
        {
            "click": bc.ComputerActionClick,
            "double_click": bc.ComputerActionDoubleClick,
            "drag": bc.ComputerActionDrag,
            "keypress": bc.ComputerActionKeypress,
            "move": bc.ComputerActionMove,
            "screenshot": bc.ComputerActionScreenshot,
            "scroll": bc.ComputerActionScroll,
            "type": bc.ComputerActionType,
            "wait": bc.ComputerActionWait,
        },
    )
    register_tagged_union(
        converter,
        rq.ToolChoiceParam,
        "type",
        {
            "none": rq.ToolChoiceNoneParam,
            "auto": rq.ToolChoiceAutoParam,
            "required": rq.ToolChoiceRequiredParam,
            "function": rq.ToolChoiceFunctionParam,
        },
    )


def register_responses(converter: cattrs.Converter) -> None:
    """
    Teach `converter` the Responses API unions.
    """
    _register_lenient(
        converter,
        rq.InputContent,
        {
            "input_text": [rq.InputTextContent],
            "input_image": [rq.InputImageContent],
            "input_file": [rq.InputFileContent],
            "input_audio": [rq.InputAudioContent],
        },
        rq.UnknownContent,
    )
    register_tagged_union(
        converter,
        rq.OutputTextParam | rq.RefusalParam,
        "type",
        {"output_text": rq.OutputTextParam, "refusal": rq.RefusalParam},
    )
    _register_lenient(
        converter,
        rq.InputItem,
        {
            None: [rq.InputMessageParam, rq.ItemReferenceParam],
            "message": [rq.ResponseOutputMessageParam, rq.MessageParam],
            "function_call": [rq.ResponseFunctionToolCallParam],
            "function_call_output": [rq.FunctionCallOutputParam],
            "custom_tool_call": [rq.CustomToolCallParam],
            "custom_tool_call_output": [rq.CustomToolCallOutputParam],
            "reasoning": [rq.ReasoningItemParam],
            "item_reference": [rq.ItemReferenceParam],
            **{kind: [cls] for kind, cls in BUILTIN_INPUT_ITEMS.items()},
        },
        rq.UnknownItem,
    )
    _register_lenient(
        converter,
        rq.ToolParam,
        {
            "function": [rq.FunctionToolParam],
            **{kind: [cls] for kind, cls in BUILTIN_TOOLS.items()},
        },
        rq.UnknownTool,
    )
    _register_builtin_parts(converter)
    register_tagged_union(
        converter,
        rq.TextFormatParam,
        "type",
        {
            "text": rq.ResponseFormatTextParam,
            "json_object": rq.ResponseFormatJSONObjectParam,
            "json_schema": rq.ResponseFormatJSONSchemaParam,
        },
    )
    _register_lenient(
        converter,
        rs.OutputContent,
        {"output_text": [rs.OutputText], "refusal": [rs.ResponseOutputRefusal]},
        rq.UnknownContent,
    )
    _register_lenient(
        converter,
        rs.OutputItem,
        {
            "message": [rs.ResponseOutputMessage],
            "function_call": [rs.FunctionToolCall],
            "reasoning": [rs.ReasoningItem],
            **{kind: [cls] for kind, cls in bo.BUILTIN_OUTPUT_ITEMS.items()},
            **{kind: [cls] for kind, cls in bc.COMPUTER_OUTPUT_ITEMS.items()},
        },
        rq.UnknownItem,
    )
    register_tagged_union(
        converter,
        st.OpenAiResponseStreamEvent,
        "type",
        {
            "response.created": st.ResponseCreatedEvent,
            "response.in_progress": st.ResponseInProgressEvent,
            "response.completed": st.ResponseCompletedEvent,
            "response.failed": st.ResponseFailedEvent,
            "response.incomplete": st.ResponseIncompleteEvent,
            "response.output_item.added": st.ResponseOutputItemAddedEvent,
            "response.output_item.done": st.ResponseOutputItemDoneEvent,
            "response.content_part.added": st.ResponseContentPartAddedEvent,
            "response.content_part.done": st.ResponseContentPartDoneEvent,
            "response.output_text.delta": st.ResponseTextDeltaEvent,
            "response.output_text.done": st.ResponseTextDoneEvent,
            "response.function_call_arguments.delta": st.ResponseFunctionCallArgumentsDeltaEvent,
            "response.function_call_arguments.done": st.ResponseFunctionCallArgumentsDoneEvent,
            "response.reasoning_summary_part.added": st.ResponseReasoningSummaryPartAddedEvent,
            "response.reasoning_summary_part.done": st.ResponseReasoningSummaryPartDoneEvent,
            "response.reasoning_summary_text.delta": st.ResponseReasoningSummaryTextDeltaEvent,
            "response.reasoning_summary_text.done": st.ResponseReasoningSummaryTextDoneEvent,
        },
        fallback=st.UnknownStreamEvent,
    )


register_wire_rules(register_responses)
