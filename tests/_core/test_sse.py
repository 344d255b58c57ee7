"""Tests for the incremental SSE decoder in `sequrity._core._sse`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sequrity._core._sse import ServerSentEvent, SSEDecoder, SSELimitExceeded, iter_events


def feed_all(*chunks: bytes) -> list[ServerSentEvent]:
    """Feed chunks to a fresh decoder and return the events, including those from close()."""
    return list(iter_events(chunks))


def feed_only(*chunks: bytes) -> list[ServerSentEvent]:
    """Feed chunks to a fresh decoder without closing it."""
    decoder = SSEDecoder()
    return [event for chunk in chunks for event in decoder.feed(chunk)]


def test_decodes_one_event() -> None:
    """A data line followed by a blank line is one event."""
    events = feed_only(b'data: {"a": 1}\n\n')

    assert events == [ServerSentEvent(data='{"a": 1}')]


def test_returns_each_event_when_its_chunk_completes_it() -> None:
    """An event is returned by the feed() call that brings its blank line, not earlier."""
    decoder = SSEDecoder()

    results = [decoder.feed(b"data: a\n"), decoder.feed(b"\ndata: b\n\nda"), decoder.feed(b"ta: c")]

    assert results == [[], [ServerSentEvent("a"), ServerSentEvent("b")], []]


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_accepts_every_line_ending(eol: bytes) -> None:
    """LF, CRLF and lone CR all end lines."""
    body = b"event: e" + eol + b"data: 1" + eol + b"data: 2" + eol + eol + b"data: 3" + eol + eol

    events = feed_only(body)

    assert events == [ServerSentEvent("1\n2", event="e"), ServerSentEvent("3")]


def test_mixed_line_endings_in_one_stream() -> None:
    """Line endings may change from line to line."""
    events = feed_only(b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r")

    assert events == [ServerSentEvent("a\nb\nc"), ServerSentEvent("d")]


def test_crlf_split_across_chunks_is_one_line_break() -> None:
    """A CR ending one chunk and a LF starting the next are one line break, not two."""
    events = feed_only(b"data: a\r", b"\n", b"data: b\r", b"\n\r", b"\n")

    assert events == [ServerSentEvent("a\nb")]


def test_cr_then_cr_across_chunks_is_two_line_breaks() -> None:
    """Only a LF is merged into a preceding CR; a second CR is another line break."""
    events = feed_only(b"data: a\r", b"\rdata: b\n\n")

    assert events == [ServerSentEvent("a"), ServerSentEvent("b")]


def test_event_ending_in_cr_is_dispatched_without_waiting_for_more_bytes() -> None:
    """A blank line ended by CR dispatches at once, although a LF might still follow."""
    decoder = SSEDecoder()

    events = decoder.feed(b"data: a\r\r")

    assert events == [ServerSentEvent("a")]


def test_multiline_data_is_joined_with_newlines() -> None:
    """Several data lines form one payload joined with newlines, with no trailing newline."""
    events = feed_only(b"data: line one\ndata:\ndata: line three\n\n")

    assert events == [ServerSentEvent("line one\n\nline three")]


def test_comment_lines_are_ignored() -> None:
    """Lines starting with a colon are comments, also between fields and as keep-alives."""
    events = feed_only(b": keep-alive\n\n:ping\ndata: x\n: note\ndata: y\n\n")

    assert events == [ServerSentEvent("x\ny")]


def test_reads_event_id_and_retry_fields() -> None:
    """The event, id and retry fields are reported on the event."""
    events = feed_only(b"event: message_start\nid: 42\nretry: 1500\ndata: {}\n\n")

    assert events == [ServerSentEvent("{}", event="message_start", id="42", retry=1500)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [(b"data:x", "x"), (b"data: x", "x"), (b"data:  x", " x"), (b"data: ", ""), (b"data:", "")],
)
def test_strips_only_one_space_after_the_colon(line: bytes, expected: str) -> None:
    """Exactly one optional space after the colon is dropped; others are data."""
    events = feed_only(line + b"\n\n")

    assert events == [ServerSentEvent(expected)]


def test_colons_inside_a_value_are_kept() -> None:
    """Only the first colon separates the field name from the value."""
    events = feed_only(b'data: {"url": "http://x:80"}\n\n')

    assert events == [ServerSentEvent('{"url": "http://x:80"}')]


def test_line_without_colon_is_a_field_with_empty_value() -> None:
    """A bare `data` line adds an empty data line; a bare `event` line sets no event name."""
    events = feed_only(b"event: e\nevent\ndata\n\n")

    assert events == [ServerSentEvent("", event=None)]


def test_unknown_fields_are_ignored() -> None:
    """Fields other than data, event, id and retry change nothing; names are case-sensitive."""
    events = feed_only(b"foo: bar\nDATA: no\nData: no\ndata: yes\n\n")

    assert events == [ServerSentEvent("yes")]


@pytest.mark.parametrize(
    "value", [b"12a", b"-1", b"1.5", b"", b" 10", b"\xd9\xa1\xd9\xa2", b"9" * 5000]
)
def test_retry_other_than_ascii_digits_is_ignored(value: bytes) -> None:
    """A retry value that is not all ASCII digits (or absurdly long) is ignored."""
    events = feed_only(b"retry: " + value + b"\ndata: x\n\n")

    assert events == [ServerSentEvent("x", retry=None)]


def test_id_and_retry_persist_until_changed() -> None:
    """The last event id and the retry delay carry over to later events, as in the spec."""
    events = feed_only(b"id: 1\nretry: 10\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n")

    assert events == [
        ServerSentEvent("a", id="1", retry=10),
        ServerSentEvent("b", id="1", retry=10),
        ServerSentEvent("c", id="2", retry=10),
    ]


def test_empty_id_clears_the_last_event_id() -> None:
    """An `id:` field with no value resets the last event id to None."""
    events = feed_only(b"id: 1\ndata: a\n\nid\ndata: b\n\n")

    assert events == [ServerSentEvent("a", id="1"), ServerSentEvent("b", id=None)]


def test_id_containing_nul_is_ignored() -> None:
    """An id with a NUL character does not change the last event id."""
    events = feed_only(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n")

    assert events == [ServerSentEvent("a", id="1"), ServerSentEvent("b", id="1")]


def test_event_name_does_not_leak_into_the_next_event() -> None:
    """The event name belongs to one event and is reset after dispatch."""
    events = feed_only(b"event: first\ndata: a\n\ndata: b\n\n")

    assert events == [ServerSentEvent("a", event="first"), ServerSentEvent("b")]


def test_blocks_without_data_are_not_dispatched() -> None:
    """Blocks with no data line dispatch nothing, but their id and retry still apply later."""
    events = feed_only(b"event: ping\n\nid: 7\n\nretry: 3000\n\n\n\ndata: x\n\n")

    assert events == [ServerSentEvent("x", event=None, id="7", retry=3000)]


@pytest.mark.parametrize("text", ["é", "€", "😀", "日本語"])
def test_multibyte_character_split_at_every_byte(text: str) -> None:
    """A UTF-8 character split between chunks at any byte decodes intact."""
    body = f"data: {text}\n\n".encode()

    results = [feed_only(body[:cut], body[cut:]) for cut in range(len(body) + 1)]

    assert results == [[ServerSentEvent(text)]] * (len(body) + 1)


def test_one_byte_chunks() -> None:
    """Feeding one byte at a time gives the same events as one chunk."""
    body = "event: é\r\nid: ü\r\ndata: 😀\r\n\r\ndata: b\r\r".encode()

    events = feed_only(*(body[i : i + 1] for i in range(len(body))))

    assert events == [ServerSentEvent("😀", event="é", id="ü"), ServerSentEvent("b", id="ü")]


def test_invalid_utf8_becomes_replacement_characters() -> None:
    """Invalid UTF-8 bytes decode to U+FFFD instead of raising."""
    events = feed_only(b"data: a\xffb\xc3\n\n")

    assert events == [ServerSentEvent("a\ufffdb\ufffd")]


def test_truncated_character_at_close_becomes_a_replacement_character() -> None:
    """An incomplete UTF-8 sequence at the end of the body decodes to U+FFFD."""
    events = feed_all(b"data: a\xe2\x82")

    assert events == [ServerSentEvent("a\ufffd")]


@pytest.mark.parametrize("cut", [0, 1, 2, 3, 4])
def test_bom_at_start_is_ignored_even_when_split(cut: int) -> None:
    """A UTF-8 byte-order mark at the very start is skipped, wherever the chunk splits it."""
    body = b"\xef\xbb\xbfdata: x\n\n"

    events = feed_only(body[:cut], body[cut:])

    assert events == [ServerSentEvent("x")]


def test_bom_after_the_start_is_data() -> None:
    """Only the first BOM of the stream is skipped; a later one is part of the value."""
    events = feed_only(b"\xef\xbb\xbf", b"data: \xef\xbb\xbfx\n\n")

    assert events == [ServerSentEvent("\ufeffx")]


def test_bom_before_a_blank_first_line_is_skipped() -> None:
    """The BOM check looks only at the first character, then never again."""
    events = feed_only(b"\xef\xbb\xbf\ndata: x\n\n")

    assert events == [ServerSentEvent("x")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [("[DONE]", True), (" [DONE]\t", True), ("[DONE]x", False), ('"[DONE]"', False), ("", False)],
)
def test_is_done_recognises_the_done_sentinel(data: str, expected: bool) -> None:
    """is_done is true exactly for the [DONE] sentinel, ignoring surrounding whitespace."""
    (event,) = feed_only(f"data: {data}\n\n".encode())

    assert event.is_done is expected


def test_done_event_is_an_ordinary_event() -> None:
    """The decoder reports [DONE] as an event and keeps decoding after it."""
    events = feed_only(b"data: {}\n\ndata: [DONE]\n\ndata: late\n\n")

    assert [event.is_done for event in events] == [False, True, False]


def test_five_megabyte_data_line_in_small_chunks() -> None:
    """A 5 MB single data line arriving in 4 KiB chunks decodes to one event."""
    payload = "x" * (5 * 1024 * 1024)
    body = b"data: " + payload.encode() + b"\n\n"
    chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)]

    events = feed_only(*chunks)

    assert events == [ServerSentEvent(payload)]


def test_close_dispatches_an_unterminated_event() -> None:
    """At the end of the body an event without its blank line is still dispatched."""
    decoder = SSEDecoder()

    fed = decoder.feed(b"data: a\n\nevent: e\ndata: [DONE]")
    closed = decoder.close()

    assert (fed, closed) == ([ServerSentEvent("a")], [ServerSentEvent("[DONE]", event="e")])


def test_close_dispatches_a_final_line_that_has_its_line_break() -> None:
    """A body ending after a data line's line break but before the blank line dispatches it."""
    events = feed_all(b"data: a\r\n")

    assert events == [ServerSentEvent("a")]


def test_close_discards_fields_without_data() -> None:
    """An unterminated block with no data line dispatches nothing at close."""
    events = feed_all(b"data: a\n\nevent: e\nid: 3")

    assert events == [ServerSentEvent("a")]


def test_close_resets_the_decoder() -> None:
    """After close the decoder starts over: no last id, and a BOM is skipped again."""
    decoder = SSEDecoder()
    decoder.feed(b"id: 1\nretry: 5\ndata: a\n\nevent: e\ndata: b")
    decoder.close()

    events = decoder.feed(b"\xef\xbb\xbfdata: c\n\n")

    assert events == [ServerSentEvent("c")]


def test_close_of_a_fresh_decoder_returns_nothing() -> None:
    """Closing an empty stream gives no events."""
    assert SSEDecoder().close() == []


def test_empty_chunk_returns_no_events() -> None:
    """Feeding no bytes is allowed and yields nothing."""
    assert SSEDecoder().feed(b"") == []


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        ((), False),
        ((b"data: a\n\n",), False),
        ((b"data: a\n\n", b": comment\n"), False),
        ((b"da",), True),
        ((b"data: a\n",), True),
        ((b"event: e\n",), True),
        ((b"\xe2\x82",), True),
        ((b"id: 1\n",), False),
    ],
)
def test_has_pending_reports_buffered_partial_input(
    chunks: tuple[bytes, ...], expected: bool
) -> None:
    """has_pending is true while a partial line, character or event is buffered."""
    decoder = SSEDecoder()
    for chunk in chunks:
        decoder.feed(chunk)

    assert decoder.has_pending is expected


def test_has_pending_is_false_after_close() -> None:
    """close() empties every buffer."""
    decoder = SSEDecoder()
    decoder.feed(b"data: a\ndata: b")
    decoder.close()

    assert decoder.has_pending is False


def test_iter_events_yields_events_then_the_final_one() -> None:
    """iter_events decodes an iterable of chunks and includes the unterminated last event."""
    events = list(iter_events(iter([b"data: a\n", b"\ndata: b"])))

    assert events == [ServerSentEvent("a"), ServerSentEvent("b")]


# ---------------------------------------------------------------------------------------------
# Property tests: encode arbitrary events, split the bytes anywhere, decode.

_line_text = st.text(
    alphabet=st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]), max_size=20
)
_event_field = st.one_of(st.none(), _line_text.filter(bool))
_id_field = st.one_of(st.none(), _line_text.filter(lambda text: bool(text) and "\0" not in text))
_retry_field = st.one_of(st.none(), st.integers(min_value=0, max_value=10**12))
_event = st.builds(
    ServerSentEvent,
    data=st.lists(_line_text, min_size=1, max_size=4).map("\n".join),
    event=_event_field,
    id=_id_field,
    retry=_retry_field,
)
_eol = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def _streams(draw: st.DrawFn) -> tuple[list[ServerSentEvent], bytes]:
    """Draw events and their encoding, with random line endings and comments."""
    events = draw(st.lists(_event, max_size=8))
    parts: list[str] = []
    for event in events:
        lines = [f": {draw(_line_text)}"] if draw(st.booleans()) else []
        if event.event is not None:
            lines.append(f"event: {event.event}")
        if event.id is not None:
            lines.append(f"id: {event.id}")
        if event.retry is not None:
            lines.append(f"retry:{event.retry}")
        lines.extend(f"data: {line}" for line in event.data.split("\n"))
        eol = draw(_eol)
        parts.append(eol.join([*lines, "", ""]))
    return events, "".join(parts).encode()


def _as_decoded(events: list[ServerSentEvent]) -> list[ServerSentEvent]:
    """Apply the spec's carry-over of id and retry to a list of encoded events."""
    decoded: list[ServerSentEvent] = []
    last_id: str | None = None
    retry: int | None = None
    for event in events:
        last_id = event.id if event.id is not None else last_id
        retry = event.retry if event.retry is not None else retry
        decoded.append(ServerSentEvent(event.data, event.event, last_id, retry))
    return decoded


@given(stream=_streams(), data=st.data())
def test_splitting_the_stream_anywhere_gives_the_same_events(
    stream: tuple[list[ServerSentEvent], bytes], data: st.DataObject
) -> None:
    """Cutting the encoded bytes at arbitrary points gives the events of feeding them whole."""
    events, body = stream
    cuts = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=10)))
    chunks = [body[start:end] for start, end in zip([0, *cuts], [*cuts, len(body)], strict=True)]

    whole = feed_all(body)
    split = feed_all(*chunks)

    assert (whole, split) == (_as_decoded(events), _as_decoded(events))


@given(body=st.binary(max_size=200), data=st.data())
def test_arbitrary_bytes_never_raise_and_split_invariantly(
    body: bytes, data: st.DataObject
) -> None:
    """Any bytes decode without error, and the result does not depend on where chunks split."""
    cut = data.draw(st.integers(0, len(body)))

    split = feed_all(body[:cut], body[cut:])

    assert split == feed_all(body)


# -- limits ------------------------------------------------------------------------------------


def test_a_line_without_end_fails_as_soon_as_it_passes_max_line() -> None:
    """An unterminated line is refused by the feed that makes it too long, not at its end."""
    decoder = SSEDecoder(max_line=10)

    decoder.feed(b"data: 1234")
    with pytest.raises(SSELimitExceeded) as info:
        decoder.feed(b"5")

    assert (info.value.limit, info.value.max_size, info.value.sample) == (
        "max_sse_line",
        10,
        "data: 1234",
    )


def test_events_before_an_overlong_line_in_the_same_chunk_are_kept() -> None:
    """The events completed before the limit fired travel with the error."""
    decoder = SSEDecoder(max_line=20)

    with pytest.raises(SSELimitExceeded) as info:
        decoder.feed(b"data: a\n\ndata: b\n\n" + b"data: " + b"x" * 30 + b"\n\ndata: c\n\n")

    assert info.value.events == [ServerSentEvent("a"), ServerSentEvent("b")]
    assert info.value.limit == "max_sse_line"


def test_a_long_line_continued_from_the_tail_is_refused() -> None:
    """A line split across chunks is measured whole."""
    decoder = SSEDecoder(max_line=12)
    decoder.feed(b"data: 12345")

    with pytest.raises(SSELimitExceeded, match="max_sse_line"):
        decoder.feed(b"67890\n\n")


def test_an_event_of_many_short_lines_fails_at_max_event() -> None:
    """``data:`` lines of one event add up; crossing `max_event` fails before the event ends."""
    decoder = SSEDecoder(max_event=50)
    decoder.feed(b"data: first\n\n")
    for _ in range(4):
        decoder.feed(b"data: 0123456789\n")  # 44 characters so far

    with pytest.raises(SSELimitExceeded) as info:
        decoder.feed(b"data: 0123456789\n")

    assert info.value.limit == "max_sse_event"
    assert info.value.events == []
    assert info.value.sample == "0123456789"


def test_an_event_completed_in_one_chunk_is_measured_too() -> None:
    """A whole oversized event inside one chunk is refused; the event before it is kept."""
    decoder = SSEDecoder(max_event=8)

    with pytest.raises(SSELimitExceeded) as info:
        decoder.feed(b"data: ok\n\ndata: 12345\ndata: 67890\n\n")

    assert info.value.events == [ServerSentEvent("ok")]
    assert info.value.limit == "max_sse_event"


def test_input_within_the_limits_decodes_as_without_them() -> None:
    """Limits that are not crossed change nothing."""
    body = b"event: x\ndata: 12345\ndata: 6789\n\n: comment\ndata: y\n\n"

    limited = SSEDecoder(max_line=14, max_event=11)

    assert limited.feed(body) == feed_only(body)
