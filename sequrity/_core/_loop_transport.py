"""
`LoopTransport`: what the blocking runner needs from a transport, declared once. A transport that
keeps separate state per event loop (the default `AiohttpTransport` of `SequrityClient`) lets every
calling thread run its own loop; any other transport is wrapped in `OneLoop` and driven from one
loop only.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ._transport import AsyncTransport

__all__ = ["LoopTransport", "OneLoop", "for_blocking"]


@runtime_checkable
class LoopTransport(Protocol):
    """
    A transport the blocking runner can drive.

    Implement it (besides `AsyncTransport`) to let `SequrityClient` call a custom transport from
    each thread's own event loop; a transport without it is used from one shared loop thread.
    """

    @property
    def per_loop(self) -> bool:
        """True when the transport may be used from many event loops (separate state per loop)."""
        ...

    async def aclose_loop(self) -> None:
        """
        Release what belongs to the running loop: called on every loop before the runner closes
        it (for a transport that is not `per_loop`, on its one loop: close everything).
        """
        ...

    def forget_after_fork(self) -> None:
        """In a forked child: drop, without closing, all state bound to the parent's loops."""
        ...


class OneLoop:
    """
    Adapts a plain `AsyncTransport` for the runner: never used from more than one loop, closed
    (once) when the runner closes that loop, and left as is in a forked child.
    """

    __slots__ = ("_transport",)

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def per_loop(self) -> bool:
        """Always False: a plain transport may be bound to the loop it first ran on."""
        return False

    async def aclose_loop(self) -> None:
        """Close the transport."""
        await self._transport.aclose()

    def forget_after_fork(self) -> None:
        """Nothing to drop: the transport knows nothing of loops."""


def for_blocking(transport: AsyncTransport) -> LoopTransport:
    """The transport as the runner drives it: itself when it is a `LoopTransport`."""
    return transport if isinstance(transport, LoopTransport) else OneLoop(transport)
