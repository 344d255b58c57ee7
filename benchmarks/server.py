"""
A fast canned HTTP/1.1 server for benchmarks: a bare asyncio protocol, keep-alive, no routing.

It answers every POST the way OpenAI-compatible providers do (optional keys sent as ``null``,
``refusal``, ``logprobs``, ``annotations``, usage details, ``service_tier``,
``system_fingerprint``), with one chat completion, or (when the body says ``"stream": true``) a
stream of chunk events ending in ``[DONE]``: a role chunk, text chunks and a final chunk with the
finish reason. A path starting ``/eN/`` asks for N events (default: the command line's). Client-side
cost dominates the measurement. Run it in its own process:
``python benchmarks/server.py PORT_FILE [EVENTS]``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

FINGERPRINT = "fp_8bda4d3a2c"
CREATED = 1769043728
MODEL = "openai/gpt-5-mini-2025-08-07"

COMPLETION = json.dumps(
    {
        "id": "chatcmpl-CQ8a7uVgJ0sPq2xLh4mYd1b9rKf3E",
        "object": "chat.completion",
        "created": CREATED,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "97 is the largest prime below 100.",
                    "refusal": None,
                    "annotations": [],
                    "tool_calls": None,
                    "function_call": None,
                    "audio": None,
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 16,
            "completion_tokens": 9,
            "total_tokens": 25,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }
).encode()

HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    b"X-Session-ID: 7f4f6398-f72d-11f0-b822-0f87f79310f1\r\nX-Request-ID: req_bench\r\n"
    b"Content-Length: %d\r\n\r\n"
)


def _chunk(delta: dict[str, object], finish: str | None) -> bytes:
    chunk = {
        "id": "chatcmpl-CQ8a7uVgJ0sPq2xLh4mYd1b9rKf3E",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": MODEL,
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        "usage": None,
    }
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


def stream_body(events: int) -> bytes:
    """`events` chunk events (a role chunk, text chunks, a final chunk), then ``[DONE]``."""
    parts = [_chunk({"role": "assistant", "content": "", "refusal": None}, None)]
    parts += [_chunk({"content": f" tok{i}"}, None) for i in range(max(events - 2, 0))]
    parts.append(_chunk({}, "stop"))
    parts.append(b"data: [DONE]\n\n")
    return b"".join(parts[:events] + parts[-1:])


def stream_response(events: int) -> bytes:
    body = stream_body(events)
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
        b"X-Session-ID: 7f4f6398-f72d-11f0-b822-0f87f79310f1\r\nContent-Length: %d\r\n\r\n"
        % len(body)
    ) + body


class Handler(asyncio.Protocol):
    def __init__(self, plain: bytes, default_events: int, streams: dict[int, bytes]) -> None:
        self.buffer = b""
        self.plain = plain
        self.default_events = default_events
        self.streams = streams
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def streamed(self, head: bytes) -> bytes:
        events = self.default_events
        path = head.split(b" ", 2)[1]
        if path.startswith(b"/e"):
            events = int(path[2 : path.index(b"/", 1)])
        found = self.streams.get(events)
        if found is None:
            found = self.streams[events] = stream_response(events)
        return found

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
                stop = head.find(b"\r\n", pos)
                length = int(head[pos + 15 : stop if stop > 0 else None])
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            body = self.buffer[end + 4 : total]
            self.buffer = self.buffer[total:]
            assert self.transport is not None
            stream = b'"stream":true' in body.replace(b" ", b"")
            self.transport.write(self.streamed(head) if stream else self.plain)


async def main(port_file: str, events: int) -> None:
    plain = HEAD % len(COMPLETION) + COMPLETION
    streams: dict[int, bytes] = {}
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: Handler(plain, events, streams), "127.0.0.1", 0, backlog=4096
    )
    port = server.sockets[0].getsockname()[1]
    Path(port_file).write_text(str(port))  # noqa: ASYNC240 - once, at start-up
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 21))
