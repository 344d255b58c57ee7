"""A chat stream read through its plain-data path gives what the event decoder gives, failures too."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from _budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from json_backends import backends, using

from sequrity import SequrityError
from sequrity._core import _stream
from sequrity._core._stream import DECODE_AHEAD, AsyncStream
from sequrity.control.resources.chat import decode_chat_batch, decode_chat_chunk


def chunk(delta: dict[str, Any], finish: str | None = None, **more: Any) -> dict[str, Any]:
    """A chunk in the shape OpenAI sends (every key, nulls included)."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1769043728,
        "model": "gpt-5-mini",
        "service_tier": "default",
        "system_fingerprint": "fp_1",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        "usage": None,
        **more,
    }


text = st.text(max_size=6)
usage = {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}
call = {"index": 0, "id": "t", "type": "function", "function": {"name": "f", "arguments": ""}}
#: The data of one event: chunks of every shape, in-band errors, and data that is not a chunk.
event_data = st.one_of(
    text.map(lambda t: json.dumps(chunk({"content": t})).encode()),
    text.map(lambda t: json.dumps(chunk({"content": t}), ensure_ascii=False).encode()),
    st.just(json.dumps(chunk({"role": "assistant", "content": "", "refusal": None})).encode()),
    st.just(json.dumps(chunk({}, "stop")).encode()),
    st.just(json.dumps(chunk({"content": "x"}, obfuscation="ab")).encode()),
    st.just(json.dumps({**chunk({}), "choices": [], "usage": usage}).encode()),
    st.just(json.dumps(chunk({"tool_calls": [call]})).encode()),
    st.just(json.dumps({"id": "c", "created": 1, "model": "m", "choices": []}).encode()),
    st.just(json.dumps({"id": "c", "created": "1", "model": "m", "choices": []}).encode()),
    st.just(b'{"error": {"message": "upstream exploded"}}'),
    st.just(b'{"error": "quota", "choices": []}'),
    st.just(b"{oops"),
    st.just(b"[1, 2]"),
    st.just(b' {"id": "c", "created": 1, "model": "m", "choices": []} '),
    st.just(b'{"id": "c", "created": 1, "model": "m", "choices": []}  '),
    st.just(b'{"id": "c", "created": 1, "model": "m", "choices": []} {}'),
    st.just(b'{"id": "c\xff", "created": 1, "model": "m", "choices": []}'),
    st.just(b'{"id": "c", "created": 12345678901234567890123, "model": "m", "choices": []}'),
    st.just(b"[DONE]"),
)


class Response:
    """A `StreamingResponse` playing the given chunks."""

    status = 200
    headers: dict[str, str] = {}
    url = "http://emulator/x"

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def iter_chunks(self) -> AsyncIterator[bytes]:
        for piece in self.chunks:
            yield piece

    async def read(self) -> bytes:
        return b"".join(self.chunks)

    async def aclose(self) -> None:
        pass


def chat_stream(response: Response, decode_data: Any) -> AsyncStream[Any]:
    """A chat stream over `response`, its plain events decoded by `decode_data`."""
    return AsyncStream(
        response,
        decode_chat_chunk,
        session_id=None,
        request_id=None,
        require_done=True,
        decode_data=decode_data,
    )


def read(chunks: list[bytes], plain: bool, ahead: int = DECODE_AHEAD) -> tuple[list[Any], Any]:
    """
    The chunks a chat stream gives, and its failure (type, message, body, events received),
    decoding at most `ahead` plain events ahead of the reader.
    """
    saved, _stream.DECODE_AHEAD = _stream.DECODE_AHEAD, ahead
    try:
        return _read(chunks, plain)
    finally:
        _stream.DECODE_AHEAD = saved


def _read(chunks: list[bytes], plain: bool) -> tuple[list[Any], Any]:
    stream = chat_stream(Response(chunks), decode_chat_batch if plain else None)
    seen: list[Any] = []

    async def drain() -> Any:
        try:
            async for value in stream:
                seen.append(value)
        except SequrityError as exc:
            body = getattr(exc, "body", None)
            return type(exc), str(exc), body, getattr(exc, "events_received", None)
        return None

    return seen, anyio.run(drain)


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    """`body` cut at the given positions (clamped), dropping empty pieces."""
    points = sorted({min(c, len(body)) for c in cuts} | {0, len(body)})
    return [body[a:b] for a, b in itertools.pairwise(points) if body[a:b]]


@backends
@settings(max_examples=examples(300))
@given(
    datas=st.lists(event_data, max_size=8),
    done=st.booleans(),
    cuts=st.lists(st.integers(0, 4000), max_size=4),
    ahead=st.sampled_from([DECODE_AHEAD, 1, 2, 3]),
)
def test_the_plain_path_gives_the_event_decoders_chunks_and_failures(
    backend, datas, done, cuts, ahead
):
    """
    Chunks, in-band errors, bad data, ``[DONE]`` and early ends read alike on both paths, however
    many events the plain path decodes ahead of the reader.
    """
    body = b"".join(b"data: " + d + b"\n\n" for d in datas) + (b"data: [DONE]\n\n" if done else b"")
    chunks = split(body, cuts)

    with using(backend):
        plain = read(chunks, plain=True, ahead=ahead)
    with using("json"):
        general = read(chunks, plain=False)

    assert plain == general


def test_a_whole_realistic_answer_in_one_read_takes_the_plain_path():
    """A role chunk, text chunks and a final chunk in one read decode to the event path's chunks."""
    datas = [chunk({"role": "assistant", "content": "", "refusal": None})]
    datas += [chunk({"content": f" tok{i}"}) for i in range(19)] + [chunk({}, "stop")]
    body = b"".join(b"data: " + json.dumps(d).encode() + b"\n\n" for d in datas)
    body += b"data: [DONE]\n\n"

    seen, failure = read([body], plain=True)

    assert failure is None
    assert seen == read([body], plain=False)[0]
    assert "".join(c.choices[0].delta.content or "" for c in seen) == "".join(
        f" tok{i}" for i in range(19)
    )
    assert seen[-1].choices[0].finish_reason == "stop"


def long_answer(texts: int) -> bytes:
    """A realistic answer of `texts` text chunks, ended by ``[DONE]``, as one body."""
    datas = [chunk({"role": "assistant", "content": "", "refusal": None})]
    datas += [chunk({"content": f" tok{i}"}) for i in range(texts)] + [chunk({}, "stop")]
    return b"".join(b"data: " + json.dumps(d).encode() + b"\n\n" for d in datas) + (
        b"data: [DONE]\n\n"
    )


class Closing(Response):
    """A `Response` that records when it is closed."""

    closed = False

    async def aclose(self) -> None:
        self.closed = True


def test_a_long_read_is_decoded_as_the_reader_gets_to_it():
    """
    Hundreds of events in one read are not all decoded at once: at most `DECODE_AHEAD` typed
    events wait for the reader (so a long read does not hold hundreds of new objects), and the
    connection is released when the reader reaches ``[DONE]``.
    """
    handed: list[int] = []

    def decode(stream: Any, raws: list[bytes], start: int, out: Any) -> int:
        handed.append(len(raws) - start)
        return decode_chat_batch(stream, raws, start, out)

    response = Closing([long_answer(500)])
    stream = chat_stream(response, decode)

    async def main() -> list[Any]:
        first = await anext(stream)
        assert sum(handed) <= DECODE_AHEAD
        assert not response.closed
        return [first] + [c async for c in stream]

    seen = anyio.run(main)

    assert max(handed) <= DECODE_AHEAD
    assert len(seen) == 502
    assert "".join(c.choices[0].delta.content or "" for c in seen) == "".join(
        f" tok{i}" for i in range(500)
    )
    assert response.closed
    assert stream.closed


def test_closing_a_stream_drops_the_events_not_decoded_yet():
    """`aclose()` while a read's later events wait undecoded: reading on is the usual error."""
    response = Closing([long_answer(500)])
    stream = chat_stream(response, decode_chat_batch)

    async def main() -> None:
        await anext(stream)
        await stream.aclose()
        assert response.closed
        with pytest.raises(SequrityError, match="closed"):
            await anext(stream)

    anyio.run(main)
