"""The plain-data fast path of the SSE decoder gives the general decoder's events, or declines."""

from __future__ import annotations

import itertools

from _budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sequrity._core._sse import SSEDecoder

#: One block of an event stream: mostly plain one-line data events, sometimes anything else.
plain_data = st.text(
    st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]), max_size=10
).map(lambda t: f"data: {t}\n\n".encode())
raw_data = st.binary(max_size=8).filter(lambda b: b"\r" not in b and b"\n" not in b)
block = st.one_of(
    plain_data,
    plain_data,
    plain_data,
    raw_data.map(lambda b: b"data:" + b + b"\n\n"),
    st.just(b": keep-alive\n\n"),
    st.just(b"\n\n"),
    st.just(b"event: ping\ndata: {}\n\n"),
    st.just(b"id: 7\n\n"),
    st.just(b"retry: 10\ndata: x\n\n"),
    st.just(b"data: a\ndata: b\n\n"),
    st.just(b"data: crlf\r\n\r\n"),
    st.just(b"\xef\xbb\xbfdata: bom\n\n"),
    st.just(b"data: [DONE]\n\n"),
    st.just(b"data: unterminated"),
)


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    """`body` cut at the given positions (clamped), dropping empty pieces."""
    points = sorted({min(c, len(body)) for c in cuts} | {0, len(body)})
    return [body[a:b] for a, b in itertools.pairwise(points) if body[a:b]]


def general(chunks: list[bytes], decoder: SSEDecoder) -> list[tuple[object, ...]]:
    """Every event of the general decoder, as (data, event, id, retry)."""
    found = [(e.data, e.event, e.id, e.retry) for c in chunks for e in decoder.feed(c)]
    return found + [(e.data, e.event, e.id, e.retry) for e in decoder.close()]


def with_fast_path(chunks: list[bytes], decoder: SSEDecoder) -> tuple[list[object], bool]:
    """Events through `feed_plain` while it accepts, then `feed`; and whether it declined."""
    found: list[tuple[object, ...]] = []
    declined = False
    for chunk in chunks:
        plain = None if declined else decoder.feed_plain(chunk)
        if plain is None:
            declined = True
            found += [(e.data, e.event, e.id, e.retry) for e in decoder.feed(chunk)]
        else:
            found += [(d.decode("utf-8", "replace"), None, None, None) for d in plain]
    found += [(e.data, e.event, e.id, e.retry) for e in decoder.close()]
    return found, declined


@settings(max_examples=examples(400))
@given(
    blocks=st.lists(block, max_size=8),
    cuts=st.lists(st.integers(0, 400), max_size=6),
    max_line=st.sampled_from([8, 40, 1 << 20]),
)
def test_the_fast_path_gives_the_general_decoders_events(blocks, cuts, max_line):
    """Any stream, cut anywhere: the same events as the general decoder (or the same limit error)."""
    chunks = split(b"".join(blocks), cuts)

    def run(function):  # type: ignore[no-untyped-def]
        try:
            return function(chunks, SSEDecoder(max_line=max_line, max_event=max_line))
        except Exception as exc:
            return type(exc).__name__

    expected = run(general)
    actual = run(with_fast_path)

    if isinstance(actual, tuple):
        actual = actual[0]
    assert actual == expected


def test_plain_events_are_read_without_building_events():
    """A plain stream, cut inside an event, gives each event's data as bytes."""
    decoder = SSEDecoder()

    first = decoder.feed_plain(b'data: {"a": 1}\n\ndata: {"b"')
    second = decoder.feed_plain(b": 2}\n\n: ping\n\ndata: [DONE]\n\n")

    assert first == [b'{"a": 1}']
    assert second == [b'{"b": 2}', b"[DONE]"]
    assert not decoder.has_pending


def test_anything_else_is_declined_and_the_held_bytes_go_to_the_general_decoder():
    """After a named event the fast path declines; `feed` then decodes the held-back bytes too."""
    decoder = SSEDecoder()

    assert decoder.feed_plain(b"data: one\n\ndata: tw") == [b"one"]
    assert decoder.feed_plain(b"o\n\nevent: ping\ndata: {}\n\n") is None
    events = decoder.feed(b"o\n\nevent: ping\ndata: {}\n\n")

    assert [(e.data, e.event) for e in events] == [("two", None), ("{}", "ping")]
    assert decoder.feed_plain(b"data: later\n\n") is None
