"""`to_dict`: the wire JSON object of any model object, through the one converter."""

from __future__ import annotations

from typing import Any

from .._converter import get_fast_converter

__all__ = ["to_dict"]


def to_dict(obj: Any) -> dict[str, Any]:
    """
    Give the JSON object a model object stands for on the wire.

    Works for every request, response, message, stream chunk and stream event class of
    `sequrity.types`: keys use the wire names, `None` fields the server may omit are left out,
    and unknown keys received from the server are written back.

    Args:
        obj: A model object, such as a `ChatCompletionResponse` or a `ChatCompletionChunk`.

    Returns:
        A new dict, ready for `json.dumps` or for another library's model validation.

    Raises:
        TypeError: `obj` is not a model object (its wire form is not a JSON object).

    Example:
        >>> from sequrity.types import to_dict
        >>> from sequrity.types.chat_completion.request import UserMessage
        >>> to_dict(UserMessage(content="hi"))
        {'content': 'hi', 'role': 'user'}
    """
    data = get_fast_converter().unstructure(obj)
    if not isinstance(data, dict):
        raise TypeError(f"expected a model object, got {type(obj).__name__}")
    return data
