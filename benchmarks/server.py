"""
A fast canned HTTP/1.1 server for benchmarks: a bare asyncio protocol, keep-alive, no routing.

It answers every POST with the same chat completion, or (when the body says ``"stream": true``) with a
stream of N chunk events ending in ``[DONE]``, so client-side cost dominates the measurement. Run it in
its own process: ``python benchmarks/server.py PORT_FILE [EVENTS]``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

COMPLETION = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1769043728,
        "model": "openai/gpt-5-mini",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "97 is the largest prime below 100."},
            }
        ],
        "usage": {"completion_tokens": 9, "prompt_tokens": 16, "total_tokens": 25},
    }
).encode()

HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    b"X-Session-ID: 7f4f6398-f72d-11f0-b822-0f87f79310f1\r\nX-Request-ID: req_bench\r\n"
    b"Content-Length: %d\r\n\r\n"
)


def stream_body(events: int) -> bytes:
    parts = []
    for i in range(events):
        chunk = {
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1769043728,
            "model": "openai/gpt-5-mini",
            "choices": [{"index": 0, "delta": {"content": f"tok{i} "}, "finish_reason": None}],
        }
        parts.append(b"data: " + json.dumps(chunk).encode() + b"\n\n")
    parts.append(b"data: [DONE]\n\n")
    return b"".join(parts)


class Handler(asyncio.Protocol):
    def __init__(self, plain: bytes, streamed: bytes) -> None:
        self.buffer = b""
        self.plain = plain
        self.streamed = streamed
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            length = 0
            pos = head.find(b"content-length:")
            if pos >= 0:
                length = int(
                    head[
                        pos + 15 : head.find(b"\r\n", pos) if head.find(b"\r\n", pos) > 0 else None
                    ]
                )
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            body = self.buffer[end + 4 : total]
            self.buffer = self.buffer[total:]
            assert self.transport is not None
            self.transport.write(
                self.streamed if b'"stream":true' in body.replace(b" ", b"") else self.plain
            )


async def main(port_file: str, events: int) -> None:
    plain = HEAD % len(COMPLETION) + COMPLETION
    body = stream_body(events)
    streamed = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        b"X-Session-ID: 7f4f6398-f72d-11f0-b822-0f87f79310f1\r\nContent-Length: %d\r\n\r\n"
        % len(body)
    ) + body
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: Handler(plain, streamed), "127.0.0.1", 0, backlog=4096
    )
    port = server.sockets[0].getsockname()[1]
    Path(port_file).write_text(str(port))  # noqa: ASYNC240 - once, at start-up
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20))
