"""Tests for fault injection: statuses with retry hints, delays, resets, truncation, trickles."""

from __future__ import annotations

import json

import aiohttp
import pytest
from emulator_helpers import AUTH, CHAT, body, post, stream

from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio


async def _read_lines(
    http: aiohttp.ClientSession,
    emu: Emulator,
    payload: dict[str, object],
    into: list[bytes] | None = None,
) -> None:
    """Read a chat answer line by line into `into` (keeps what arrived before an error)."""
    lines = [] if into is None else into
    async with http.post(emu.base_url + CHAT, json=payload, headers=AUTH) as resp:
        async for line in resp.content:
            lines.append(line)


async def test_status_fault_with_retry_hints(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A status fault answers the status with Retry-After, retry-after-ms and x-should-retry."""
    fault = emu.faults.next.status(
        503, "try later", retry_after=1.5, retry_after_ms=1500, should_retry=True
    )

    status, data, headers = await post(http, emu, body())
    after, _, _ = await post(http, emu, body())

    assert (status, data) == (503, {"detail": "try later"})
    assert headers["Retry-After"] == "1.5"
    assert headers["retry-after-ms"] == "1500"
    assert headers["x-should-retry"] == "true"
    assert headers["X-Request-ID"].startswith("req_")
    assert after == 200
    assert fault.hits == 1


async def test_next_n_counts_attempts(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """next_n(2) fails two requests and counts both attempts; the third succeeds."""
    fault = emu.faults.next_n(2).status(429, retry_after=0)

    statuses = [(await post(http, emu, body()))[0] for _ in range(3)]

    assert statuses == [429, 429, 200]
    assert fault.hits == 2
    assert fault.remaining == 0
    assert len(emu.requests) == 3


async def test_route_scoped_faults(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A fault scoped to a route pattern leaves other paths alone."""
    emu.faults.on("/control/code/*").status(500)

    chat, _, _ = await post(http, emu, body())
    code, _, _ = await post(http, emu, body(), path="/control/code/v1/chat/completions")

    assert (chat, code) == (200, 500)


async def test_always_until_cleared(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """always() applies to every request until faults.clear()."""
    fault = emu.faults.always().status(502)

    first = [(await post(http, emu, body()))[0] for _ in range(3)]
    emu.faults.clear()
    after, _, _ = await post(http, emu, body())

    assert first == [502, 502, 502]
    assert after == 200
    assert fault.hits == 3


class Pauses:
    """A stand-in for the emulator's sleep: records each pause and what was sent before it."""

    def __init__(self, emu: Emulator) -> None:
        self.seen: list[float] = []
        self.requests_before: list[int] = []
        self._emu = emu
        emu.faults.sleep = self

    async def __call__(self, seconds: float) -> None:
        self.seen.append(seconds)
        self.requests_before.append(len(self._emu.requests))


async def test_delay_before_headers(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A delay fault holds the answer back for the given time, once the request has arrived."""
    pauses = Pauses(emu)
    emu.faults.next.delay(0.15)

    status, _, _ = await post(http, emu, body())
    again, _, _ = await post(http, emu, body())

    assert (status, again) == (200, 200)
    assert pauses.seen == [0.15]
    assert pauses.requests_before == [1]


async def test_delay_triggers_client_timeouts(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A client timeout shorter than the delay fires."""
    emu.faults.next.delay(0.2)

    with pytest.raises(TimeoutError):
        async with http.post(
            emu.base_url + CHAT,
            json=body(),
            headers=AUTH,
            timeout=aiohttp.ClientTimeout(total=0.05),
        ):
            pass


async def test_reset_before_body(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A reset before the body drops the connection without any response."""
    emu.faults.next.reset()

    with pytest.raises(aiohttp.ClientConnectionError):
        await post(http, emu, body())


async def test_reset_during_json_body(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A reset during a JSON body leaves the client with an incomplete payload."""
    emu.faults.next.reset(during_body=True)

    with pytest.raises(aiohttp.ClientPayloadError):
        await _read_lines(http, emu, body())


async def test_reset_during_stream(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A reset during a stream arrives after the given number of events."""
    emu.faults.next.reset(during_body=True, after_events=2)
    received: list[bytes] = []

    with pytest.raises(aiohttp.ClientPayloadError):
        await _read_lines(http, emu, body(stream=True), received)

    assert sum(1 for line in received if line.startswith(b"data: ")) == 2


async def test_truncated_json_body(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A truncated body is cut JSON with a matching Content-Length."""
    emu.faults.next.truncate_body()

    async with http.post(emu.base_url + CHAT, json=body(), headers=AUTH) as resp:
        raw = await resp.read()

    assert resp.status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)


async def test_truncated_stream_has_no_done(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A truncated stream ends cleanly without [DONE] (after N events when given)."""
    emu.faults.next.truncate_stream()
    emu.faults.next.truncate_stream(after_events=2)

    _, full, _ = await stream(http, emu, body(stream=True))
    _, short, _ = await stream(http, emu, body(stream=True))

    assert "[DONE]" not in full
    assert json.loads(full[-1])["choices"][0]["finish_reason"] == "stop"
    assert len(short) == 2


async def test_stream_error_event(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """An in-band error event follows the first events and ends the stream."""
    emu.faults.next.stream_error("upstream exploded", after_events=1)

    _, payloads, _ = await stream(http, emu, body(stream=True))

    assert len(payloads) == 2
    assert json.loads(payloads[1])["error"]["message"] == "upstream exploded"


async def test_stream_faults_skip_json_answers(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A stream fault waits for a streaming answer; JSON answers do not use it up."""
    fault = emu.faults.next.stream_error()

    status, _, _ = await post(http, emu, body())
    _, payloads, _ = await stream(http, emu, body(stream=True))

    assert status == 200
    assert "error" in json.loads(payloads[-1])
    assert fault.hits == 1


async def test_stream_delay_between_events(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A stream delay paces every event."""
    pauses = Pauses(emu)
    emu.faults.next.stream_delay(0.02)
    emu.script.reply("one two")

    _, payloads, _ = await stream(http, emu, body(stream=True))

    assert len(payloads) == 5
    assert pauses.seen == [0.02] * 5


@pytest.mark.parametrize("streaming", [False, True])
async def test_trickle_keeps_bodies_intact(
    http: aiohttp.ClientSession, emu: Emulator, streaming: bool
) -> None:
    """A trickle writes the body in small pieces without changing it."""
    fault = emu.faults.next.trickle(chunk_size=16, seconds=0)
    emu.script.reply("slow and steady")

    if streaming:
        _, payloads, _ = await stream(http, emu, body(stream=True))
        assert payloads[-1] == "[DONE]"
    else:
        status, data, _ = await post(http, emu, body())
        assert (status, data["choices"][0]["message"]["content"]) == (200, "slow and steady")
    assert fault.hits == 1


async def test_fault_bad_arguments(emu: Emulator) -> None:
    """Invalid counts and chunk sizes are refused up front."""
    with pytest.raises(ValueError, match="n must be"):
        emu.faults.next_n(0)
    with pytest.raises(ValueError, match="chunk_size"):
        emu.faults.next.trickle(chunk_size=0)
