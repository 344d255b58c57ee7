"""
OpenAI Responses stream events from their JSON objects, built the way the OpenAI SDK builds
what it receives (nested models, no validation). Needs only ``openai``.
"""

from __future__ import annotations

import typing
from typing import Any, cast

from ._extras import missing_extra

try:
    import pydantic
    from openai.types.responses import ResponseStreamEvent
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("agents", exc) from exc

__all__ = ["stream_event"]


def _event_classes() -> dict[str, type[pydantic.BaseModel]]:
    # `ResponseStreamEvent` is Annotated[Union[...], discriminator]: map each `type` to its class.
    union = typing.get_args(ResponseStreamEvent)[0]
    classes: dict[str, type[pydantic.BaseModel]] = {}
    for cls in typing.get_args(union):
        for tag in typing.get_args(cls.model_fields["type"].annotation):
            classes[tag] = cls
    return classes


_EVENTS = _event_classes()


def stream_event(data: dict[str, Any]) -> ResponseStreamEvent | None:
    """
    The OpenAI event for `data`, built the way the OpenAI SDK builds what it receives (nested
    models, no validation); `None` for an event type the OpenAI SDK does not know.
    """
    cls = _EVENTS.get(str(data.get("type")))
    return None if cls is None else cast("ResponseStreamEvent", cls.model_construct(**data))
