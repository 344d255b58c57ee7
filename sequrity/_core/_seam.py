"""
The transport seam: what the SDK needs from an HTTP stack (`AsyncTransport`), and what a transport
may add to save the caller a timer (`DeadlineTransport`). `_transport.AiohttpTransport` is the
default implementation.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ._wire import ApiRequest, ApiResponse, StreamingResponse

__all__ = ["AsyncTransport", "DeadlineTransport"]


@runtime_checkable
class AsyncTransport(Protocol):
    """
    Sends built requests. Implement this to put the SDK over another HTTP stack or an in-memory
    handler; the SDK never touches the network any other way.
    """

    async def send(self, request: ApiRequest) -> ApiResponse:
        """
        Send `request` and return the complete response (any status).

        The caller enforces ``request.timeout.total``; a transport honours connect and read, and
        raises `SequrityLimitError` as soon as the body crosses ``request.limits``.
        """
        ...

    async def open_stream(self, request: ApiRequest) -> StreamingResponse:
        """
        Send `request` and return as soon as the response headers have arrived.

        The caller enforces ``request.timeout.total`` (it spans retries); a transport honours
        the connect and read limits.
        """
        ...

    async def aclose(self) -> None:
        """Release every connection; the transport may not be used afterwards."""
        ...


@runtime_checkable
class DeadlineTransport(AsyncTransport, Protocol):
    """
    A transport that also enforces the total deadline itself, so the caller arms no timer of its
    own around an attempt (`AiohttpTransport`: one loop timer watches every deadline of every
    attempt on its loop).
    """

    async def send_by(self, request: ApiRequest, deadline: float | None) -> ApiResponse:
        """`send`, raising `TimeoutError` when the loop's clock reaches `deadline`."""
        ...

    async def open_stream_by(
        self, request: ApiRequest, deadline: float | None
    ) -> StreamingResponse:
        """`open_stream`, raising `TimeoutError` when the loop's clock reaches `deadline`."""
        ...
