"""Registration of the tagged unions and ``str | X`` unions of the wire models with the converter."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

import cattrs

from .._converter import register_tagged_union
from .chat_completion import request as chat

__all__ = ["register"]


def _is_str_or_other(tp: Any) -> bool:
    if get_origin(tp) not in (Union, types.UnionType):
        return False
    args = [a for a in get_args(tp) if a is not type(None)]
    return len(args) == 2 and str in args


def _str_or_other_factory(converter: cattrs.Converter, tp: Any) -> Any:
    args = get_args(tp)
    other = next(a for a in args if a is not str and a is not type(None))
    nullable = type(None) in args
    hook = converter.get_structure_hook(other)
    container = get_origin(other) or other
    kind = "a list" if container is list else "an object" if container is dict else str(other)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, str):
            return value
        if value is None and nullable:
            return None
        if container in (list, dict) and not isinstance(value, container):
            raise TypeError(f"expected a string or {kind}, got {type(value).__name__}")
        return hook(value, other)

    return structure


def register(converter: cattrs.Converter) -> None:
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
    converter.register_structure_hook_factory(
        _is_str_or_other, lambda tp: _str_or_other_factory(converter, tp)
    )
    from ..control.types.policy_gen import register_policy_gen_union

    register_policy_gen_union(converter)
    from .messages._unions import register_messages

    register_messages(converter)
    from .responses._register import register_responses

    register_responses(converter)
