"""
Fault injection: error statuses with retry hints, delays, connection resets, truncated bodies and
streams, in-band stream errors and slow trickles, for the next request(s), a route, or always.

A fault is taken in one of two phases: *request* faults (`status`, `delay`, a `reset` before the
body) when the request arrives, *body* faults (the others) when the answer is written — stream
faults only by streaming answers, `truncate_body` only by JSON answers. Per phase, the first
registered fault that matches the path and has uses left applies. Every use is counted in
`Fault.hits`, so a test can assert how many attempts a client made.
"""

from __future__ import annotations

import asyncio
import fnmatch
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, Literal, TypeAlias

import attrs

__all__ = ["Fault", "FaultBuilder", "FaultKind", "Faults", "Phase"]

FaultKind: TypeAlias = Literal[
    "status",
    "delay",
    "reset",
    "truncate_body",
    "truncate_stream",
    "stream_error",
    "stream_delay",
    "trickle",
]
Phase: TypeAlias = Literal["request", "json", "stream"]

_PHASES: Final[dict[str, frozenset[str]]] = {
    "status": frozenset({"request"}),
    "delay": frozenset({"request"}),
    "truncate_body": frozenset({"json"}),
    "truncate_stream": frozenset({"stream"}),
    "stream_error": frozenset({"stream"}),
    "stream_delay": frozenset({"stream"}),
    "trickle": frozenset({"json", "stream"}),
}


@attrs.define(kw_only=True, eq=False)
class Fault:
    """
    One registered fault; returned by every `FaultBuilder` method.

    Attributes:
        kind: What the fault does.
        route: Shell pattern the request path must match (`None` = every path).
        remaining: Uses left (`None` = until cleared).
        hits: How many requests this fault has been applied to.
        status: For ``status``: the HTTP status.
        detail: For ``status``: the ``detail`` of the JSON body.
        headers: For ``status``: extra response headers (retry hints).
        seconds: For ``delay``/``stream_delay``/``trickle``: the pause.
        during_body: For ``reset``: reset after part of the body instead of before the headers.
        after_events: For stream faults: how many events are sent first.
        message: For ``stream_error``: the error message.
        chunk_size: For ``trickle``: bytes per write.
    """

    kind: FaultKind
    route: str | None = None
    remaining: int | None = 1
    hits: int = 0
    status: int = 500
    detail: Any = None
    headers: dict[str, str] = attrs.field(factory=dict)
    seconds: float = 0.0
    during_body: bool = False
    after_events: int | None = None
    message: str = "Emulated stream error"
    chunk_size: int = 8

    @property
    def phases(self) -> frozenset[str]:
        """
        The phases in which this fault can apply.
        """
        if self.kind == "reset":
            return frozenset({"json", "stream"}) if self.during_body else frozenset({"request"})
        return _PHASES[self.kind]

    @property
    def active(self) -> bool:
        """
        Whether the fault still has uses left.
        """
        return self.remaining is None or self.remaining > 0


class FaultBuilder:
    """
    Registers faults with a common scope (how many uses, which route).
    """

    def __init__(self, faults: Faults, *, times: int | None, route: str | None) -> None:
        self._faults = faults
        self._times = times
        self._route = route

    def _add(self, kind: FaultKind, **fields: Any) -> Fault:
        fault = Fault(kind=kind, route=self._route, remaining=self._times, **fields)
        self._faults.add(fault)
        return fault

    def status(
        self,
        status: int,
        detail: Any = None,
        *,
        retry_after: float | str | None = None,
        retry_after_ms: int | None = None,
        should_retry: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """
        Answer `status` with ``{"detail": detail}`` instead of serving the request.

        Args:
            status: The HTTP status, e.g. 429 or 503.
            detail: The error detail (default: a message naming the status).
            retry_after: Sent as ``Retry-After`` (seconds, or an HTTP date string).
            retry_after_ms: Sent as ``retry-after-ms``.
            should_retry: Sent as ``x-should-retry: true|false``.
            headers: Any other response headers.
        """
        extra = dict(headers or {})
        if retry_after is not None:
            extra["Retry-After"] = (
                retry_after if isinstance(retry_after, str) else f"{retry_after:g}"
            )
        if retry_after_ms is not None:
            extra["retry-after-ms"] = str(retry_after_ms)
        if should_retry is not None:
            extra["x-should-retry"] = "true" if should_retry else "false"
        text = detail if detail is not None else f"Emulated fault: HTTP {status}"
        return self._add("status", status=status, detail=text, headers=extra)

    def delay(self, seconds: float) -> Fault:
        """
        Wait `seconds` before answering (before the headers are sent).
        """
        return self._add("delay", seconds=seconds)

    def reset(self, *, during_body: bool = False, after_events: int = 1) -> Fault:
        """
        Reset the connection: before any byte is sent, or (`during_body`) after half of a JSON
        body or `after_events` stream events.
        """
        return self._add("reset", during_body=during_body, after_events=after_events)

    def truncate_body(self) -> Fault:
        """
        Send only the first half of a JSON body (with a matching ``Content-Length``).
        """
        return self._add("truncate_body")

    def truncate_stream(self, *, after_events: int | None = None) -> Fault:
        """
        End a stream cleanly but early: without ``[DONE]``, and after `after_events` events when
        given.
        """
        return self._add("truncate_stream", after_events=after_events)

    def stream_error(
        self, message: str = "Emulated stream error", *, after_events: int = 1
    ) -> Fault:
        """
        After `after_events` events, send ``data: {"error": {"message": ...}}`` and end the stream.
        """
        return self._add("stream_error", message=message, after_events=after_events)

    def stream_delay(self, seconds: float) -> Fault:
        """
        Wait `seconds` before each stream event.
        """
        return self._add("stream_delay", seconds=seconds)

    def trickle(self, *, chunk_size: int = 8, seconds: float = 0.005) -> Fault:
        """
        Write the body `chunk_size` bytes at a time, waiting `seconds` between writes.
        """
        if chunk_size < 1:
            raise ValueError("chunk_size must be >= 1")
        return self._add("trickle", chunk_size=chunk_size, seconds=seconds)


class Faults:
    """
    The registered faults (thread-safe). Reach it as ``emu.faults``.

    Example:
        >>> emu.faults.next_n(2).status(503, retry_after=0)
        >>> emu.faults.always(route="/control/code/*").stream_delay(0.01)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        #: How ``delay``, ``stream_delay`` and ``trickle`` faults wait (`asyncio.sleep`). A test
        #: may put a recording function here to see the pauses without waiting for them.
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    @property
    def next(self) -> FaultBuilder:
        """
        Faults for the next matching request only.
        """
        return FaultBuilder(self, times=1, route=None)

    def next_n(self, n: int, *, route: str | None = None) -> FaultBuilder:
        """
        Faults for the next `n` matching requests (optionally only paths matching `route`).
        """
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n!r}")
        return FaultBuilder(self, times=n, route=route)

    def always(self, *, route: str | None = None) -> FaultBuilder:
        """
        Faults for every matching request until `clear`.
        """
        return FaultBuilder(self, times=None, route=route)

    def on(self, route: str, *, times: int | None = None) -> FaultBuilder:
        """
        Faults for requests whose path matches the shell pattern `route`.
        """
        return FaultBuilder(self, times=times, route=route)

    def add(self, fault: Fault) -> None:
        """
        Register a fault built by hand.
        """
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        """
        Remove every fault.
        """
        with self._lock:
            self._faults.clear()

    @property
    def registered(self) -> list[Fault]:
        """
        The faults that still have uses left, in registration order.
        """
        with self._lock:
            return [f for f in self._faults if f.active]

    def take(self, path: str, phase: Phase) -> Fault | None:
        """
        Use up and return the first fault matching `path` in `phase`, or `None`.
        """
        with self._lock:
            for fault in self._faults:
                if not fault.active or phase not in fault.phases:
                    continue
                if fault.route is not None and not fnmatch.fnmatchcase(path, fault.route):
                    continue
                fault.hits += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                return fault
        return None
