"""
Reading a complete response body within `Limits`: every piece is counted as it arrives, and the
body is abandoned (its connection closed) as soon as it crosses a limit. The response is an aiohttp
``ClientResponse``, used through its public methods only (`_transport` owns aiohttp).
"""

from __future__ import annotations

from typing import Any

from .._exceptions import SequrityLimitError
from ._deadlines import Deadlines
from ._errors import request_id_of
from ._wire import ApiRequest

__all__ = ["read_body"]


def _too_large(
    limit: str,
    max_size: int,
    request: ApiRequest,
    response: Any,
    chunks: list[bytes],
) -> SequrityLimitError:
    response.close()  # the rest is never read: drop the connection instead of reusing it
    start = bytearray()
    for chunk in chunks:
        start += chunk[: 1024 - len(start)]
        if len(start) >= 1024:
            break
    return SequrityLimitError(
        limit,
        max_size,
        url=request.url,
        status_code=response.status,
        body=start.decode("utf-8", "replace"),
        request_id=request_id_of(response.headers),
        headers=response.headers,
    )


async def read_body(
    response: Any, request: ApiRequest, deadlines: Deadlines | None = None
) -> bytes:
    """Read a whole body, checking `request.limits` after every piece (before reading more)."""
    limits = request.limits
    declared = response.content_length
    if declared is not None and declared > limits.max_body_size:
        raise _too_large("max_body_size", limits.max_body_size, request, response, [])
    content = response.content
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await content.readany()
        if not chunk:
            return b"".join(chunks)
        if deadlines is not None:
            deadlines.progress()
        chunks.append(chunk)
        size += len(chunk)
        if size > limits.max_decompressed_size:
            raise _too_large(
                "max_decompressed_size", limits.max_decompressed_size, request, response, chunks
            )
        # aiohttp >= 3.12 counts the bytes received before decompression; without that count the
        # decompressed size stands in for it (never smaller for a compressed body).
        received: int = getattr(content, "total_raw_bytes", size)
        if received > limits.max_body_size:
            raise _too_large("max_body_size", limits.max_body_size, request, response, chunks)
