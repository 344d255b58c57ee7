"""
A deliberately hostile HTTP/1.1 server for tests: a raw asyncio server on 127.0.0.1:0 whose every
connection is answered by a scripted coroutine that writes whatever bytes it likes (broken status
lines, endless bodies, gzip bombs, events split or packed any way). Also a helper that runs one call
through the async or the blocking client and reports the events delivered and the error raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
import attrs

from sequrity import AsyncSequrityClient, ControlConfig, SequrityClient, SequrityError

API_KEY = "sq-SECRET-api-key-7f3a9c"
LLM_KEY = "sk-LLM-SECRET-b81e2d"
SECRETS = (API_KEY, LLM_KEY, "SECRET")
MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]
MiB = 1024 * 1024


@attrs.frozen
class Request:
    """What the server read: the request head (as text) and the body."""

    head: str
    body: bytes


Handler = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]


class HostileServer:
    """
    Serves every request with `handler`, which writes the raw answer and returns; the connection
    is then closed. `requests` records what arrived.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def base_url(self) -> str:
        """The server's ``http://127.0.0.1:<port>``."""
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aenter__(self) -> HostileServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        # Hang up on clients still being served: their handlers end with a ConnectionError.
        for writer in list(self._writers):
            writer.transport.abort()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            length = 0
            for line in head.split("\r\n"):
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = await reader.readexactly(length) if length else b""
            request = Request(head, body)
            self.requests.append(request)
            await self.handler(request, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client hung up: that is what these tests provoke
        finally:
            self._tasks.discard(task)
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def head(status: str = "200 OK", **headers: str) -> bytes:
    """
    A response head: status line, ``Name-With-Dashes: value`` lines (``Connection: close``
    unless given: the server serves one request per connection), blank line.
    """
    headers.setdefault("Connection", "close")
    lines = [f"HTTP/1.1 {status}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def json_answer(body: bytes, status: str = "200 OK") -> Handler:
    """A complete answer with a JSON body."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(
            head(status, Content_Type="application/json", Content_Length=str(len(body))) + body
        )
        await writer.drain()

    return handler


def sse_answer(*writes: bytes, content_type: str = "text/event-stream") -> Handler:
    """An event stream delivered in exactly these writes (a pause between them), then the end."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(head(Content_Type=content_type))
        await writer.drain()
        for data in writes:
            writer.write(data)
            await writer.drain()
            await asyncio.sleep(0.01)

    return handler


def endless(start: bytes, unit: bytes, total: int, **headers: str) -> Handler:
    """A ``200`` with `headers`, then `start`, then `unit` repeated until `total` bytes were sent."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(head(**headers) + start)
        sent = len(start)
        while sent < total:
            writer.write(unit)
            sent += len(unit)
            await writer.drain()

    return handler


@functools.cache
def gzip_bomb(gib: int = 1) -> bytes:
    """
    A valid gzip body of about 1 MB that inflates to `gib` GiB of zeros. Deflating 1 MiB of
    zeros after a full flush always gives the same bytes, so one segment is repeated.
    """
    zeros = bytes(MiB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = gib * 1024
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = crc.to_bytes(4, "little") + ((count * MiB) & 0xFFFFFFFF).to_bytes(4, "little")
    return header + segment * count + b"\x03\x00" + trailer


def bomb_answer(body: bytes) -> Handler:
    """A ``200`` JSON answer whose gzip-encoded body is `body`."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(
            head(
                Content_Type="application/json",
                Content_Encoding="gzip",
                Content_Length=str(len(body)),
            )
        )
        for start in range(0, len(body), 64 * 1024):
            writer.write(body[start : start + 64 * 1024])
            await writer.drain()

    return handler


def chunk(text: str, index: int = 0) -> bytes:
    """One chat-completion chunk event carrying `text`."""
    data = {
        "id": f"chatcmpl-{index}",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": MODEL,
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
    }
    return b"data: " + json.dumps(data).encode() + b"\n\n"


def event(name: str | None, data: object) -> bytes:
    """One SSE event: an optional ``event:`` line and one ``data:`` line (JSON unless bytes)."""
    payload = data if isinstance(data, bytes) else json.dumps(data).encode()
    line = b"data: " + payload + b"\n\n"
    return (b"event: " + name.encode() + b"\n" + line) if name is not None else line


DONE = b"data: [DONE]\n\n"


@contextlib.asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[HostileServer]:
    """Run a `HostileServer` for the duration of the block."""
    async with HostileServer(handler) as server:
        yield server


@attrs.define
class Outcome:
    """How one call ended: the events delivered (for streams) and the error raised, if any."""

    events: list[Any] = attrs.field(factory=list)
    error: BaseException | None = None
    result: Any = None
    #: For streams: ``stream.unknown_events`` once the stream ended.
    unknown: list[Any] | None = None


def _resolve(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


async def run_call(
    mode: str,
    base_url: str,
    path: str = "control.chat.create",
    *args: Any,
    stream: bool = False,
    client_options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Outcome:
    """
    Call ``client.<path>(*args, **kwargs)`` through the async client (`mode` ``"async"``) or the
    blocking one on a worker thread (``"sync"``), holding both secret keys and not retrying.
    Events delivered before an error are kept; only `SequrityError`s are caught.
    """
    options: dict[str, Any] = {
        "base_url": base_url,
        "control": ControlConfig(llm_api_key=LLM_KEY),
        "retry": None,
        **(client_options or {}),
    }
    if not args and path.endswith("chat.create"):
        args = (HELLO, MODEL)
    outcome = Outcome()
    if mode == "async":
        async with AsyncSequrityClient(API_KEY, **options) as client:
            try:
                method = _resolve(client, path)
                if stream:
                    async with await method(*args, stream=True, **kwargs) as s:
                        try:
                            async for event in s:
                                outcome.events.append(event)
                        finally:
                            outcome.unknown = s.unknown_events
                else:
                    outcome.result = await method(*args, **kwargs)
            except SequrityError as exc:
                outcome.error = exc
        return outcome

    def blocking() -> None:
        with SequrityClient(API_KEY, **options) as client:
            try:
                method = _resolve(client, path)
                if stream:
                    with method(*args, stream=True, **kwargs) as s:
                        try:
                            for event in s:
                                outcome.events.append(event)
                        finally:
                            outcome.unknown = s.unknown_events
                else:
                    outcome.result = method(*args, **kwargs)
            except SequrityError as exc:
                outcome.error = exc

    await anyio.to_thread.run_sync(blocking)
    return outcome
