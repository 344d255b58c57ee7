"""
Writing an `Outcome` to the wire, with the body-phase faults (resets, truncation, stream errors,
delays between events, trickling) applied.
"""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from ._context import STATE
from ._faults import Fault
from ._outcome import JsonOutcome, StreamOutcome
from ._sse import DONE, encode_event

__all__ = ["hard_reset", "write_json", "write_stream"]


def hard_reset(request: web.Request) -> None:
    """
    Drop the connection with a TCP reset (``SO_LINGER`` 0), so the client sees a reset, not EOF.
    """
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if isinstance(sock, socket.socket):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def _sleep(request: web.Request) -> Callable[[float], Awaitable[None]]:
    return request.app[STATE].faults.sleep


async def _trickle(
    request: web.Request, response: web.StreamResponse, data: bytes, fault: Fault
) -> None:
    for start in range(0, len(data), fault.chunk_size):
        await response.write(data[start : start + fault.chunk_size])
        await _sleep(request)(fault.seconds)


async def write_json(
    request: web.Request, outcome: JsonOutcome, headers: Mapping[str, str], fault: Fault | None
) -> web.StreamResponse:
    """
    Write a JSON answer, applying `fault` (``truncate_body``, ``reset`` during the body, ``trickle``).
    """
    body = json.dumps(outcome.body).encode()
    all_headers = {**headers, **outcome.headers}
    if fault is None or fault.kind not in ("truncate_body", "reset", "trickle"):
        return web.Response(
            status=outcome.status, body=body, content_type="application/json", headers=all_headers
        )
    if fault.kind == "truncate_body":
        return web.Response(
            status=outcome.status,
            body=body[: len(body) // 2],
            content_type="application/json",
            headers=all_headers,
        )
    response = web.StreamResponse(status=outcome.status, headers=all_headers)
    response.content_type = "application/json"
    response.content_length = len(body)
    await response.prepare(request)
    if fault.kind == "trickle":
        await _trickle(request, response, body, fault)
        await response.write_eof()
        return response
    await response.write(body[: len(body) // 2])
    hard_reset(request)
    return response


async def write_stream(
    request: web.Request, outcome: StreamOutcome, headers: Mapping[str, str], fault: Fault | None
) -> web.StreamResponse:
    """
    Write a chat stream (``data: {chunk}`` events, then ``data: [DONE]``), applying `fault`.
    """
    response = web.StreamResponse(
        status=200, headers={**headers, **outcome.headers, "Cache-Control": "no-cache"}
    )
    response.content_type = "text/event-stream"
    await response.prepare(request)
    named = outcome.named
    frames = [encode_event(e, named=named) for e in outcome.events]
    kind = fault.kind if fault is not None else None
    if outcome.done and kind not in ("truncate_stream", "stream_error"):
        frames.append(DONE)
    if fault is not None and kind in ("truncate_stream", "stream_error", "reset"):
        if fault.after_events is not None:
            frames = frames[: fault.after_events]
        if kind == "stream_error":
            error = {"message": fault.message, "type": "server_error"}
            payload = {"type": "error", "error": error} if named else {"error": error}
            frames.append(encode_event(payload, named=named))
    for frame in frames:
        if fault is not None and kind == "stream_delay":
            await _sleep(request)(fault.seconds)
        if fault is not None and kind == "trickle":
            await _trickle(request, response, frame, fault)
        else:
            await response.write(frame)
    if fault is not None and kind == "reset":
        hard_reset(request)
        return response
    await response.write_eof()
    return response
