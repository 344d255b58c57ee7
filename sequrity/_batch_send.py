"""
How a batch sends one request: the line's API (``chat``, ``messages``, ``responses``) through a
client whose every attempt passes the run's `RateGate`. Shared by both engines.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ._batch_io import BatchItem
from ._core._fanout import kwargs_caller
from ._core._gate import RateGate
from ._exceptions import SequrityValidationError
from .control.resources._base import AsyncCreateResource

if TYPE_CHECKING:
    from ._client import AsyncSequrityClient

__all__ = ["dispatcher"]


def dispatcher(
    client: AsyncSequrityClient, gate: RateGate
) -> Callable[[BatchItem], Awaitable[Any]]:
    """
    A function sending one batch item through `client`, every attempt passing `gate`.

    A wire body (``{"body": ...}`` lines) is split: what ``create`` names becomes its keyword
    arguments, the rest goes on the wire unchanged (``extra_body``).
    """
    callers: dict[str, tuple[Callable[..., Awaitable[Any]], frozenset[str]]] = {}

    def caller(api: str) -> tuple[Callable[..., Awaitable[Any]], frozenset[str]]:
        if api not in callers:
            resource = getattr(client.control, api, None)
            if not isinstance(resource, AsyncCreateResource):
                raise SequrityValidationError(f"this client has no {api} API")
            # Every attempt of the run passes the run's one gate (a 429 pauses all workers).
            create = getattr(resource._gated(gate), "create")  # noqa: B009
            names = frozenset(inspect.signature(create).parameters)
            callers[api] = (kwargs_caller(create, f"{api}.create"), names)
        return callers[api]

    async def call(item: BatchItem) -> Any:
        send, names = caller(item.api)
        arguments = item.arguments
        if item.is_body:
            # A wire body: what `create` does not name goes on the wire unchanged.
            extra = {k: v for k, v in arguments.items() if k not in names}
            arguments = {k: v for k, v in arguments.items() if k in names}
            if extra:
                arguments["extra_body"] = extra
        return await send(arguments)

    return call
