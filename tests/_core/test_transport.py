"""Tests for the aiohttp transport (`sequrity._core._transport`), straight against the emulator."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from sequrity import (
    SequrityConnectionError,
    SequrityError,
    SequrityLimitError,
    SequrityTimeoutError,
    Timeout,
)
from sequrity._core import _transport
from sequrity._core._limits import Limits
from sequrity._core._transport import AiohttpTransport, AsyncTransport, _map_error, _scrub
from sequrity._core._wire import ApiRequest, StreamingResponse
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

CHAT = "/control/chat/v1/chat/completions"
KEY = "sq-transport-secret"
BODY = json.dumps(
    {"model": "openai/gpt-5-mini", "messages": [{"role": "user", "content": "hi"}]}
).encode()


def chat_request(
    emulator: Emulator,
    *,
    stream: bool = False,
    timeout: Timeout | None = None,
    limits: Limits | None = None,
) -> ApiRequest:
    """A chat request for the emulator, streamed or not."""
    body = BODY if not stream else BODY[:-1] + b', "stream": true}'
    return ApiRequest(
        "POST",
        emulator.base_url + CHAT,
        {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        body,
        timeout or Timeout(total=10.0),
        stream=stream,
        limits=limits or Limits(),
    )


@pytest.fixture
async def transport() -> AsyncIterator[AiohttpTransport]:
    """A transport of its own, closed after the test."""
    t = AiohttpTransport(max_connections=4)
    yield t
    await t.aclose()


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


async def test_send_returns_the_whole_answer(transport: AiohttpTransport, emulator: Emulator):
    """`send` gives the status, headers, body and URL of a complete answer."""
    emulator.script.reply("Hello!")
    request = chat_request(emulator)

    response = await transport.send(request)

    assert response.status == 200
    assert response.url == request.url
    assert response.headers["Content-Type"].startswith("application/json")
    assert json.loads(response.body)["choices"][0]["message"]["content"] == "Hello!"
    assert emulator.requests[-1].json == json.loads(BODY)


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("agent", [None, "User-Agent", "user-agent"])
async def test_aiohttps_user_agent_is_never_sent(
    transport: AiohttpTransport, emulator: Emulator, agent: str | None, stream: bool
):
    """A request's own User-Agent goes out alone, however spelled; without one, none goes out."""
    base = chat_request(emulator, stream=stream)
    headers = dict(base.headers)
    if agent is not None:
        headers[agent] = "ours/1.0"
    request = ApiRequest("POST", base.url, headers, base.body, base.timeout, stream=stream)

    if stream:
        response = await transport.open_stream(request)
        await response.aclose()
    else:
        await transport.send(request)

    sent = emulator.requests[-1].headers.getall("User-Agent", [])
    assert sent == ([] if agent is None else ["ours/1.0"])


async def test_the_transport_is_the_protocol(transport: AiohttpTransport):
    """`AiohttpTransport` satisfies the `AsyncTransport` seam."""
    assert isinstance(transport, AsyncTransport)


async def test_nothing_listening_is_a_connection_error(transport: AiohttpTransport):
    """A refused connection is a `SequrityConnectionError` naming host and port."""
    port = free_port()
    request = ApiRequest("GET", f"http://127.0.0.1:{port}/x", {}, None, Timeout(total=5.0))

    with pytest.raises(SequrityConnectionError, match=f"cannot connect to 127.0.0.1:{port}"):
        await transport.send(request)


async def test_a_slow_answer_is_a_read_timeout(transport: AiohttpTransport, emulator: Emulator):
    """A server slower than the read timeout raises a ``read`` `SequrityTimeoutError`."""
    emulator.faults.next.delay(5)

    with pytest.raises(SequrityTimeoutError) as info:
        await transport.send(chat_request(emulator, timeout=Timeout(read=0.05, total=10.0)))

    assert (info.value.kind, info.value.timeout) == ("read", 0.05)


async def test_a_body_that_stops_arriving_is_a_read_timeout(
    transport: AiohttpTransport, emulator: Emulator
):
    """Headers arrive, then the body stalls longer than the read timeout: a ``read`` timeout."""
    emulator.faults.next.trickle(chunk_size=64, seconds=0.3)

    with pytest.raises(SequrityTimeoutError) as info:
        await transport.send(chat_request(emulator, timeout=Timeout(read=0.1, total=10.0)))

    assert (info.value.kind, info.value.timeout) == ("read", 0.1)


async def test_no_attempt_is_remembered_after_it_ends(
    transport: AiohttpTransport, emulator: Emulator
):
    """Answered, refused or timed out, no attempt's deadlines stay behind (nothing leaks)."""
    emulator.script.reply("Hello!")
    await transport.send(chat_request(emulator))
    stream = await transport.open_stream(chat_request(emulator, stream=True))
    await stream.aclose()
    refused = ApiRequest("GET", f"http://127.0.0.1:{free_port()}/x", {}, None, Timeout(total=5.0))
    with pytest.raises(SequrityConnectionError):
        await transport.send(refused)
    emulator.faults.next.delay(5)
    with pytest.raises(SequrityTimeoutError):
        await transport.send(chat_request(emulator, timeout=Timeout(read=0.05, total=10.0)))

    assert _transport._CONNECTING == {}


async def test_a_slow_but_steady_body_is_not_a_read_timeout(
    transport: AiohttpTransport, emulator: Emulator
):
    """A body arriving in small pieces, each within the read timeout, is read whole."""
    emulator.faults.next.trickle(chunk_size=32, seconds=0.01)

    response = await transport.send(chat_request(emulator, timeout=Timeout(read=1.0, total=10.0)))

    assert json.loads(response.body)["object"] == "chat.completion"


async def test_a_timed_send_past_its_deadline_raises_timeout_error(
    transport: AiohttpTransport, emulator: Emulator
):
    """`send_by` raises the built-in `TimeoutError` at the loop-clock deadline it is given."""
    emulator.faults.next.delay(5)
    deadline = asyncio.get_running_loop().time() + 0.05

    with pytest.raises(TimeoutError) as info:
        await transport.send_by(chat_request(emulator), deadline)

    assert not isinstance(info.value, SequrityTimeoutError)


async def test_a_callers_session_keeps_aiohttps_connect_and_read_timeouts(emulator: Emulator):
    """With a session the caller owns, a slow answer is still a ``read`` timeout."""
    async with aiohttp.ClientSession() as session:
        transport = AiohttpTransport(session=session)
        emulator.faults.next.delay(5)

        with pytest.raises(SequrityTimeoutError) as info:
            await transport.send(chat_request(emulator, timeout=Timeout(read=0.05, total=10.0)))

    assert info.value.kind == "read"


async def test_a_body_over_the_limit_is_refused(transport: AiohttpTransport, emulator: Emulator):
    """A declared body larger than `max_body_size` is refused before any of it is read."""
    emulator.script.reply("x" * 5000)

    with pytest.raises(SequrityLimitError) as info:
        await transport.send(chat_request(emulator, limits=Limits(max_body_size=1024)))

    assert info.value.limit == "max_body_size"
    assert info.value.status_code == 200
    assert info.value.body == ""


async def test_a_reset_is_a_connection_error(transport: AiohttpTransport, emulator: Emulator):
    """A connection reset before the answer is a `SequrityConnectionError`."""
    emulator.faults.next.reset()

    with pytest.raises(SequrityConnectionError):
        await transport.send(chat_request(emulator))


async def test_stream_chunks_arrive_until_the_end(transport: AiohttpTransport, emulator: Emulator):
    """`open_stream` gives the status at once and the event-stream bytes chunk by chunk."""
    emulator.script.reply("one two")
    request = chat_request(emulator, stream=True)

    stream = await transport.open_stream(request)
    chunks = [chunk async for chunk in stream.iter_chunks()]
    await stream.aclose()

    text = b"".join(chunks).decode()
    assert (stream.status, stream.url) == (200, request.url)
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    assert text.rstrip().endswith("data: [DONE]")
    assert "one" in text


async def test_reading_a_streamed_error_answer_whole(
    transport: AiohttpTransport, emulator: Emulator
):
    """An error answer to a stream request can be read whole with `read`."""
    emulator.faults.next.status(503, "busy")

    stream = await transport.open_stream(chat_request(emulator, stream=True))
    body = await stream.read()
    await stream.aclose()

    assert stream.status == 503
    assert json.loads(body) == {"detail": "busy"}


async def open_chat_stream(
    transport: AiohttpTransport, emulator: Emulator, *, read: float
) -> StreamingResponse:
    """A chat stream from the emulator, opened with the read timeout `read`."""
    return await transport.open_stream(
        chat_request(emulator, stream=True, timeout=Timeout(read=read, total=10.0))
    )


async def test_a_stream_that_stops_arriving_is_a_read_timeout(
    transport: AiohttpTransport, emulator: Emulator
):
    """Headers arrive, then no event for longer than the read timeout: a ``read`` timeout."""
    emulator.faults.next.stream_delay(5)
    stream = await open_chat_stream(transport, emulator, read=0.05)

    with pytest.raises(SequrityTimeoutError) as info:
        async for _ in stream.iter_chunks():
            pass
    await stream.aclose()

    assert (info.value.kind, info.value.timeout) == ("read", 0.05)


async def test_a_slow_but_steady_stream_is_not_a_read_timeout(
    transport: AiohttpTransport, emulator: Emulator
):
    """Events arriving apart, each within the read timeout, are all read."""
    emulator.script.reply("one two three four")
    emulator.faults.next.stream_delay(0.01)
    stream = await open_chat_stream(transport, emulator, read=1.0)

    text = b"".join([chunk async for chunk in stream.iter_chunks()]).decode()
    await stream.aclose()

    assert text.rstrip().endswith("data: [DONE]")


async def test_a_reader_slow_to_come_back_is_not_a_read_timeout(
    transport: AiohttpTransport, emulator: Emulator
):
    """Only waiting for bytes counts: a reader busy for longer than the timeout is not failed."""
    emulator.script.reply("one two three")
    emulator.faults.next.stream_delay(0.01)
    stream = await open_chat_stream(transport, emulator, read=0.05)

    chunks = []
    async for chunk in stream.iter_chunks():
        chunks.append(chunk)
        await asyncio.sleep(0.1)  # busy elsewhere, longer than the read timeout
    await stream.aclose()

    assert b"".join(chunks).decode().rstrip().endswith("data: [DONE]")


async def test_a_stream_of_many_reads_sets_one_read_timer(
    transport: AiohttpTransport, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
):
    """The read timeout costs one timer per stream, not one per network read."""
    loop = asyncio.get_running_loop()
    read_timers = []
    call_at = loop.call_at

    def counting_call_at(when: float, callback: Any, *args: Any, **kwargs: Any) -> Any:
        if "read" in getattr(callback, "__name__", ""):
            read_timers.append(callback)
        return call_at(when, callback, *args, **kwargs)

    monkeypatch.setattr(loop, "call_at", counting_call_at)
    emulator.script.reply("one two three four five six")
    emulator.faults.next.stream_delay(0.005)
    stream = await open_chat_stream(transport, emulator, read=5.0)

    chunks = [chunk async for chunk in stream.iter_chunks()]
    await stream.aclose()

    assert len(chunks) > 3
    assert len(read_timers) == 1


async def silent_after(head: bytes) -> tuple[asyncio.Server, str, asyncio.Event]:
    """
    A server answering a request with `head` (headers, part of a body), then silence; the event
    is set once the client has hung up.
    """
    gone = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(head)
            await writer.drain()
            await reader.read()  # until the client hangs up
        finally:
            writer.close()
            gone.set()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", gone


async def test_a_streams_error_body_that_stalls_is_a_read_timeout(transport: AiohttpTransport):
    """An error answer to a stream request, whose body stops arriving, is read by `read` too."""
    server, base, gone = await silent_after(
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"detail": '
    )
    request = ApiRequest("POST", base + CHAT, {}, BODY, Timeout(read=0.05, total=None), stream=True)
    async with server:
        stream = await transport.open_stream(request)
        with pytest.raises(SequrityTimeoutError) as info:
            # The outer bound only turns a hang (nothing watching the read) into a failure.
            await asyncio.wait_for(stream.read(), 30)
        await stream.aclose()
        await gone.wait()

    assert stream.status == 500
    assert (info.value.kind, info.value.timeout) == ("read", 0.05)


async def test_the_read_timer_fails_a_read_even_when_the_loop_runs_it_early():
    """The watcher judges by the time it was set for, not the loop's clock (timers run early)."""

    class Content:
        failure: BaseException | None = None

        def set_exception(self, exc: BaseException) -> None:
            self.failure = exc

    response: Any = type("Response", (), {"content": Content()})()
    request = ApiRequest("GET", "http://x/y", {}, None, Timeout(read=5.0))
    stream = _transport._AiohttpStream(response, request, None, 5.0)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    stream._waiting_since = loop.time()
    stream._timer_at = stream._waiting_since + 5.0

    stream._check_read()  # the timer ran now, well before the loop's clock reaches its time

    assert isinstance(response.content.failure, SequrityTimeoutError)
    assert stream._timer is None


async def test_closing_the_transport_breaks_its_open_streams(emulator: Emulator):
    """Closing the transport closes a stream left open; reading it then is a connection error."""
    transport = AiohttpTransport()
    emulator.faults.next.stream_delay(0.05)
    stream = await transport.open_stream(chat_request(emulator, stream=True))
    chunks = stream.iter_chunks()
    await anext(chunks)

    await transport.aclose()

    with pytest.raises(SequrityConnectionError):
        async for _ in chunks:
            pass


async def test_a_given_session_stays_open(emulator: Emulator):
    """A session passed in belongs to the caller: the transport uses it and never closes it."""
    async with aiohttp.ClientSession() as session:
        transport = AiohttpTransport(session=session)
        response = await transport.send(chat_request(emulator))
        await transport.aclose()

        assert response.status == 200
        assert not session.closed


async def test_a_transport_works_again_after_forgetting_its_session(
    transport: AiohttpTransport, emulator: Emulator
):
    """After `forget_after_fork` the next request opens a fresh session and succeeds."""
    await transport.send(chat_request(emulator))
    abandoned = len(_transport._ABANDONED)

    transport.forget_after_fork()
    response = await transport.send(chat_request(emulator))

    assert response.status == 200
    assert len(emulator.requests) == 2
    # In this process the old session still works: close it, as the parent process would.
    for session in _transport._ABANDONED[abandoned:]:
        await session.close()
    del _transport._ABANDONED[abandoned:]


@pytest.mark.parametrize(
    "kwargs",
    [{"max_connections": 0}, {"max_connections_per_host": -1}, {"multi_loop": True, "session": 1}],
)
def test_bad_construction_is_refused(kwargs: dict[str, Any]):
    """A pool below one, a negative per-host cap, or a given session with multi_loop is refused."""
    with pytest.raises(ValueError):
        AiohttpTransport(**kwargs)


def test_scrub_removes_the_key_and_the_bearer_header():
    """Error text echoing a credential loses the whole header value and the bare key."""
    request = ApiRequest(
        "GET", "http://h/x", {"Authorization": f"Bearer {KEY}"}, None, Timeout(total=1.0)
    )

    text = _scrub(f"bad header 'Bearer {KEY}' and {KEY}", request)

    assert KEY not in text
    assert text.count("<redacted>") == 2


@pytest.mark.parametrize(
    ("exc", "kind", "fragment"),
    [
        (TimeoutError(), SequrityTimeoutError, "total"),
        (aiohttp.ServerDisconnectedError(), SequrityConnectionError, "server disconnected"),
        (aiohttp.ClientPayloadError("cut"), SequrityConnectionError, "response body broken"),
        (OSError("boom"), SequrityConnectionError, "connection failed"),
    ],
)
def test_map_error_gives_typed_errors(exc: BaseException, kind: type, fragment: str):
    """Each aiohttp or asyncio failure maps to a typed error saying what happened."""
    request = ApiRequest("GET", "http://h/x", {}, None, Timeout(total=1.0))

    error = _map_error(exc, request, "while testing")

    assert isinstance(error, kind)
    assert fragment in str(error)


async def test_a_loop_whose_session_was_closed_gets_no_new_one(emulator: Emulator):
    """After `aclose_loop` (the blocking client closing a loop), a late retry on that loop is
    refused with SequrityError instead of opening a session nobody will close."""
    transport = AiohttpTransport(max_connections=4, multi_loop=True)
    try:
        answer = await transport.send(chat_request(emulator))
        assert answer.status == 200
        await transport.aclose_loop()

        with pytest.raises(SequrityError, match="closed"):
            await transport.send(chat_request(emulator))
        assert transport._sessions == {}
    finally:
        await transport.aclose()


async def test_released_streams_leave_the_transports_open_set(
    transport: AiohttpTransport, emulator: Emulator
):
    """Read to the end, closed early or dropped at once: no stream stays tracked once released."""
    read = await transport.open_stream(chat_request(emulator, stream=True))
    [_ async for _ in read.iter_chunks()]
    await read.aclose()
    closed = await transport.open_stream(chat_request(emulator, stream=True))
    await closed.aclose()
    emulator.faults.next.stream_delay(0.05)
    dropped = await transport.open_stream(chat_request(emulator, stream=True))
    assert dropped in transport._streams

    dropped.close_now()

    assert transport._streams == set()
