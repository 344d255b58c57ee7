"""
A server that breaks HTTP itself (bad status line, bad header, bad chunk framing): the call fails
with a `SequrityConnectionError` that says what broke, and no key is reachable from the error, its
cause or context chain, or its formatted traceback. Through both clients, plain and streaming.
"""

from __future__ import annotations

import asyncio
import traceback

import pytest
from hostile_server import SECRETS, Handler, Request, run_call, serving

from sequrity import SequrityConnectionError

pytestmark = pytest.mark.anyio


def raw(data: bytes) -> Handler:
    """Answer with exactly these bytes."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(data)
        await writer.drain()

    return handler


BROKEN = {
    "status_line": b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\n{}",
    "header": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nBad Header: x\r\n"
    b"Content-Length: 2\r\n\r\n{}",
    "chunk_size": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
}


def everything_reachable_from(error: BaseException) -> str:
    """The text of the error, every error chained to it (cause or context) and the traceback."""
    parts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        parts += [repr(current), str(current), repr(vars(current))]
        todo += [current.__cause__, current.__context__]
    return "\n".join(parts)


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("mode", ["async", "sync"])
@pytest.mark.parametrize("kind", sorted(BROKEN))
async def test_broken_http_is_a_connection_error_revealing_no_key(kind, mode, stream):
    """A protocol violation is a typed connection error; neither key is anywhere in its chain."""
    async with serving(raw(BROKEN[kind])) as server:
        outcome = await run_call(mode, server.base_url, stream=stream)

    assert isinstance(outcome.error, SequrityConnectionError)
    assert "broke the HTTP protocol" in str(outcome.error)
    reachable = everything_reachable_from(outcome.error)
    for secret in SECRETS:
        assert secret not in reachable


@pytest.mark.parametrize("kind", sorted(BROKEN))
async def test_a_protocol_error_claims_no_status_the_server_never_sent(kind):
    """aiohttp reports parser failures as "400"; the error says what broke, not a fake status."""
    async with serving(raw(BROKEN[kind])) as server:
        outcome = await run_call("async", server.base_url)

    assert "400" not in str(outcome.error)
    assert outcome.error.__cause__ is None
    assert outcome.error.__context__ is None


async def echo_keys_in_a_broken_status_line(request: Request, writer: asyncio.StreamWriter) -> None:
    """Answer with a status line made of the request's own credential headers."""
    keys = [
        line.partition(":")[2].strip()
        for line in request.head.split("\r\n")
        if line.lower().startswith(("authorization:", "x-api-key:"))
    ]
    writer.write(f"HTTP/1.1 2OO {' '.join(keys)}\r\nContent-Length: 0\r\n\r\n".encode())
    await writer.drain()


@pytest.mark.parametrize("mode", ["async", "sync"])
async def test_keys_echoed_by_a_broken_server_are_redacted_from_the_error(mode):
    """A server that echoes the keys inside its broken status line does not leak them."""
    async with serving(echo_keys_in_a_broken_status_line) as server:
        outcome = await run_call(mode, server.base_url)

    assert isinstance(outcome.error, SequrityConnectionError)
    assert "<redacted>" in str(outcome.error)
    reachable = everything_reachable_from(outcome.error)
    for secret in SECRETS:
        assert secret not in reachable
