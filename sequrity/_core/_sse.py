"""
An incremental Server-Sent-Events decoder: bytes in, `ServerSentEvent` values out; no I/O.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterable, Iterator

import attrs

__all__ = ["SSEDecoder", "SSELimitExceeded", "ServerSentEvent", "iter_events"]

_BOM = "\ufeff"
_MAX_RETRY_DIGITS = 18
_SAMPLE = 1024
_utf8 = codecs.getincrementaldecoder("utf-8")


@attrs.frozen
class ServerSentEvent:
    """
    One dispatched event of a `text/event-stream` body.

    Attributes:
        data: The event's `data:` lines joined with ``"\\n"`` (no trailing newline).
        event: The `event:` field of this event; `None` when absent or empty.
        id: The last event id in effect when the event was dispatched. As in the WHATWG spec it
            persists across events until a later `id:` field changes it; an empty `id:` clears it
            back to `None`.
        retry: The reconnection delay in milliseconds in effect when the event was dispatched
            (from the most recent valid `retry:` field); persists like `id`.
    """

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None

    @property
    def is_done(self) -> bool:
        """
        Whether this is the `[DONE]` sentinel that ends a chat-completion stream.

        Returns:
            True when the data, stripped of surrounding whitespace, is exactly ``[DONE]``.
        """
        return self.data.strip() == "[DONE]"


class SSELimitExceeded(Exception):
    """
    A line or an event grew past the decoder's limit. The events completed before it, in the same
    chunk, are in `events`: they are valid and should still be delivered.

    Attributes:
        limit: ``"max_sse_line"`` or ``"max_sse_event"``.
        max_size: The limit, in characters.
        events: Events completed before the limit was crossed.
        sample: The first KiB of the offending line or event.
    """

    def __init__(
        self, limit: str, max_size: int, events: list[ServerSentEvent], sample: str
    ) -> None:
        super().__init__(f"{limit} ({max_size} characters) exceeded")
        self.limit = limit
        self.max_size = max_size
        self.events = events
        self.sample = sample


@attrs.define(init=False)
class SSEDecoder:
    """
    Turn the bytes of an event stream, in chunks of any size, into events.

    The decoder follows the WHATWG event-stream rules: LF, CRLF and lone CR end a line (also when a
    CRLF pair is split between two chunks); lines starting with ``:`` are comments; one space after
    the field's colon is dropped; a line without a colon is a field with an empty value; `retry:`
    must be all ASCII digits or it is ignored; a blank line dispatches the event, unless it has no
    `data:` line. Bytes are decoded as UTF-8 incrementally (a character may be split between
    chunks), invalid bytes become U+FFFD, and one byte-order mark at the very start is skipped.

    Deliberate difference from the spec: `close` dispatches a final event that the body did not
    terminate with a blank line (the spec discards it). The official client handles each `data:`
    line as soon as it arrives, so a server that omits the final blank line works with it, and
    `close` is only called when the body ended cleanly.

    Memory is bounded: a line longer than `max_line` characters, or an event whose ``data:``
    lines hold more than `max_event` characters, raises `SSELimitExceeded` as soon as it is seen
    (before the rest of it arrives).

    Example:
        >>> decoder = SSEDecoder()
        >>> decoder.feed(b"data: hel")
        []
        >>> decoder.feed(b"lo\\n\\n")
        [ServerSentEvent(data='hello', event=None, id=None, retry=None)]
    """

    max_line: int = attrs.field(default=sys.maxsize, kw_only=True)
    max_event: int = attrs.field(default=sys.maxsize, kw_only=True)
    # UTF-8 decoding, made on first use (a plain stream read by `feed_plain` never needs it).
    _decoder: codecs.IncrementalDecoder | None = attrs.field(init=False, default=None, repr=False)
    # Text after the last line break, kept as pieces so that a huge line costs one join.
    _tail: list[str] = attrs.field(init=False, factory=list, repr=False)
    _tail_size: int = attrs.field(init=False, default=0, repr=False)
    # Characters of `data:` in the event being built.
    _data_size: int = attrs.field(init=False, default=0, repr=False)
    _at_start: bool = attrs.field(init=False, default=True, repr=False)
    # The previous text ended in CR; a LF at the start of the next text belongs to that CR.
    _skip_lf: bool = attrs.field(init=False, default=False, repr=False)
    _data: list[str] = attrs.field(init=False, factory=list, repr=False)
    _event: str | None = attrs.field(init=False, default=None, repr=False)
    _last_id: str | None = attrs.field(init=False, default=None, repr=False)
    _retry: int | None = attrs.field(init=False, default=None, repr=False)
    # The plain-data fast path (`feed_plain`): still on it, and the bytes after its last event.
    _plain: bool = attrs.field(init=False, default=True, repr=False)
    _plain_tail: bytes = attrs.field(init=False, default=b"", repr=False)

    def __init__(self, *, max_line: int = sys.maxsize, max_event: int = sys.maxsize) -> None:
        # Written out (every stream makes one): attrs' own reads each default from its field.
        self.max_line = max_line
        self.max_event = max_event
        self._decoder = None
        self._tail = []
        self._tail_size = 0
        self._data_size = 0
        self._at_start = True
        self._skip_lf = False
        self._data = []
        self._event = None
        self._last_id = None
        self._retry = None
        self._plain = True
        self._plain_tail = b""

    def _text(self, chunk: bytes, final: bool = False) -> str:
        decoder = self._decoder
        if decoder is None:
            decoder = self._decoder = _utf8(errors="replace")
        return decoder.decode(chunk, final)

    @property
    def has_pending(self) -> bool:
        """
        Whether bytes or fields of an unfinished event are buffered.

        Returns:
            True when part of a line, part of a UTF-8 character, or fields of an event not yet
            ended by a blank line are waiting for more input.
        """
        return bool(
            self._plain_tail
            or self._tail
            or self._data
            or self._event is not None
            or (self._decoder is not None and self._decoder.getstate()[0])
        )

    def feed_plain(self, chunk: bytes) -> list[bytes] | None:
        """
        The fast path for the common framing, where every event is one ``data:`` line ended by a
        blank line, with LF line ends (comment blocks, such as keep-alives, are skipped): the data
        of the events this chunk completes, as bytes (no `ServerSentEvent` is built).

        Returns `None`, without consuming the chunk, at the first chunk that holds anything else
        (another field, a multi-line event, a CR, a line over the limits): give that chunk, and
        every later one, to `feed`, which picks up the bytes this path held back.

        Args:
            chunk: The next bytes of the body (not empty).
        """
        if not self._plain:
            return None
        buf = self._plain_tail + chunk if self._plain_tail else chunk
        # `bytes.find`, not `in`: `in` first tries its operand as an integer, and raises and
        # clears a TypeError for every bytes operand (about 2k instructions each).
        if buf.find(b"\r") >= 0:
            return self._leave_plain()
        parts = buf.split(b"\n\n")
        rest = parts.pop()
        limit = min(self.max_line, self.max_event)
        found: list[bytes] = []
        for part in parts:
            if len(part) > limit:
                return self._leave_plain()
            if part[:6] == b"data: ":
                data = part[6:]
            elif part[:5] == b"data:":
                data = part[5:]
            elif not part or part[:1] == b":":
                if part.find(b"\n") >= 0:
                    return self._leave_plain()
                continue
            else:
                return self._leave_plain()
            if data.find(b"\n") >= 0:
                return self._leave_plain()
            found.append(data)
        if len(rest) > self.max_line:
            return self._leave_plain()
        if parts:
            self._at_start = False  # events have gone by: a later BOM is text, not a mark
        self._plain_tail = rest
        return found

    def _leave_plain(self) -> list[bytes] | None:
        """Leave the fast path for good: `feed_plain` declines from now on."""
        self._plain = False
        return None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """
        Add the next bytes of the body.

        Args:
            chunk: Any number of bytes, split anywhere (also inside a line or a character).

        Returns:
            The events completed by this chunk, in order; often empty.
        """
        self._plain = False
        if self._plain_tail:
            chunk = self._plain_tail + chunk
            self._plain_tail = b""
        text = self._text(chunk)
        if not text:
            return []
        return self._feed_text(text)

    def close(self) -> list[ServerSentEvent]:
        """
        Signal the end of the body and reset the decoder to its initial state.

        An unfinished last line is treated as complete, and an event with at least one `data:`
        line that was not followed by a blank line is dispatched (see the class docs).

        Returns:
            The final event, if any, in a list.
        """
        events: list[ServerSentEvent] = self.feed(b"") if self._plain_tail else []
        text = self._text(b"", final=True)
        if text:
            events.extend(self._feed_text(text))
        if self._tail:
            line = "".join(self._tail)
            self._tail.clear()
            self._tail_size = 0
            events.extend(self._process([line]))
        if self._data:
            events.extend(self._process([""]))
        self._reset()
        return events

    def _reset(self) -> None:
        if self._decoder is not None:
            self._decoder.reset()
        self._tail.clear()
        self._tail_size = 0
        self._data_size = 0
        self._at_start = True
        self._skip_lf = False
        self._data.clear()
        self._event = None
        self._last_id = None
        self._retry = None
        self._plain = True
        self._plain_tail = b""

    def _feed_text(self, text: str) -> list[ServerSentEvent]:
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
                if not text:
                    return []
        if self._at_start:
            self._at_start = False
            if text[0] == _BOM:
                text = text[1:]
                if not text:
                    return []
        if "\r" in text:
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        elif "\n" not in text:
            self._tail.append(text)
            self._tail_size += len(text)
            if self._tail_size > self.max_line:
                raise self._exceeded("max_sse_line", [], self._tail[0])
            return []
        # A line longer than the limit can only be in a text that is (with the tail) longer.
        check_lines = self._tail_size + len(text) > self.max_line
        lines = text.split("\n")
        if self._tail:
            self._tail.append(lines[0])
            lines[0] = "".join(self._tail)
            self._tail.clear()
            self._tail_size = 0
        rest = lines.pop()
        if check_lines:
            for index, line in enumerate(lines):
                if len(line) > self.max_line:
                    raise self._exceeded("max_sse_line", self._process(lines[:index]), line)
        events = self._process(lines)
        if rest:
            self._tail.append(rest)
            self._tail_size = len(rest)
            if self._tail_size > self.max_line:
                raise self._exceeded("max_sse_line", events, rest)
        return events

    def _exceeded(self, limit: str, events: list[ServerSentEvent], sample: str) -> SSELimitExceeded:
        max_size = self.max_line if limit == "max_sse_line" else self.max_event
        return SSELimitExceeded(limit, max_size, events, sample[:_SAMPLE])

    def _process(self, lines: list[str]) -> list[ServerSentEvent]:
        # The hot loop: one pass over complete lines, state kept in locals.
        events: list[ServerSentEvent] = []
        data = self._data
        size = self._data_size
        max_event = self.max_event
        event = self._event
        last_id = self._last_id
        retry = self._retry
        for line in lines:
            if not line:
                if data:
                    if size > max_event:
                        raise self._exceeded("max_sse_event", events, data[0])
                    events.append(ServerSentEvent("\n".join(data), event, last_id, retry))
                    data.clear()
                    size = 0
                event = None
                continue
            colon = line.find(":")
            if colon == 0:
                continue
            if colon < 0:
                name = line
                value = ""
            else:
                name = line[:colon]
                # Slicing once is faster than slicing and then stripping the optional space.
                skip = 2 if line[colon + 1 : colon + 2] == " " else 1
                value = line[colon + skip :]
            if name == "data":
                data.append(value)
                size += len(value) + 1
            elif name == "event":
                event = value or None
            elif name == "id":
                if "\0" not in value:
                    last_id = value or None
            # Absurdly long digit strings would exceed int()'s digit limit; ignore them like junk.
            elif (
                name == "retry"
                and value.isascii()
                and value.isdigit()
                and len(value) <= _MAX_RETRY_DIGITS
            ):
                retry = int(value)
        if size > max_event:
            raise self._exceeded("max_sse_event", events, data[0])
        self._data_size = size
        self._event = event
        self._last_id = last_id
        self._retry = retry
        return events


def iter_events(chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    """
    Decode a whole event stream given as an iterable of byte chunks.

    Args:
        chunks: The body, in pieces of any size.

    Yields:
        Each event, as soon as the chunk that completes it has been read; then the final
        unterminated event, if any (see `SSEDecoder.close`).
    """
    decoder = SSEDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.close()
