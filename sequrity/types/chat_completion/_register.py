"""
The Chat Completions wire rules: how the converter tells the members of the message, content-part
and response-format unions apart. Registered with the converter when this package is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._converter import register_tagged_union, register_wire_rules
from . import request as chat

if TYPE_CHECKING:
    import cattrs

__all__ = ["register_chat"]


def register_chat(converter: cattrs.Converter) -> None:
    """
    Teach `converter` how to tell the members of each union apart.
    """
    register_tagged_union(
        converter,
        chat.Message,
        "role",
        {
            "developer": chat.DeveloperMessage,
            "system": chat.SystemMessage,
            "user": chat.UserMessage,
            "assistant": chat.AssistantMessage,
            "tool": chat.ToolMessage,
            "function": chat.FunctionMessage,
        },
    )
    register_tagged_union(
        converter,
        chat.ContentPart,
        "type",
        {
            "text": chat.ContentPartText,
            "image_url": chat.ContentPartImage,
            "input_audio": chat.ContentPartInputAudio,
            "file": chat.ContentPartFile,
            "refusal": chat.ContentPartRefusal,
        },
    )
    register_tagged_union(
        converter,
        chat.ResponseFormat,
        "type",
        {
            "text": chat.ResponseFormatText,
            "json_object": chat.ResponseFormatJsonObject,
            "json_schema": chat.ResponseFormatJsonSchema,
        },
    )


register_wire_rules(register_chat)
