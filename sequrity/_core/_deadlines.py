"""
`Deadlines`: the connect, read and total deadlines of one attempt, kept as numbers. One loop timer
per event loop watches every attempt running on it (a `_Watch`): an attempt joins the watch when it
starts and leaves it when it ends, which costs two dict operations, where a timer of its own cost a
`TimerHandle` and heap pushes and pops that compare handles in Python (about 30k instructions at
32 requests in flight). The loop timer is armed at the earliest deadline of all; deadlines that
moved on (bytes arrived) are found when it fires, and it is armed again at the next one.
"""

from __future__ import annotations

import asyncio
import weakref

__all__ = ["Deadlines"]


class _Watch:
    """The attempts running on one loop, and the one timer that watches them."""

    __slots__ = ("__weakref__", "armed_at", "attempts", "handle")

    def __init__(self) -> None:
        #: The attempts being watched (a dict used as an insertion-ordered set).
        self.attempts: dict[Deadlines, None] = {}
        self.handle: asyncio.TimerHandle | None = None
        #: The loop time the timer was set for.
        self.armed_at = 0.0

    def need(self, loop: asyncio.AbstractEventLoop, when: float) -> None:
        """Make sure the timer fires by `when`."""
        handle = self.handle
        if handle is not None:
            if self.armed_at <= when:
                return
            handle.cancel()
        self.armed_at = when
        # The loop is passed to the timer, not kept here (see `_WATCHES`).
        self.handle = loop.call_at(when, self._fire, loop)

    def _fire(self, loop: asyncio.AbstractEventLoop) -> None:
        self.handle = None
        armed = self.armed_at
        earliest: float | None = None
        for deadlines in list(self.attempts):
            # A deadline not moved past the time the timer was set for has passed (the loop may
            # run a timer slightly early, so its clock is not asked).
            kind = deadlines.passed_by(armed)
            if kind is not None:
                del self.attempts[deadlines]
                deadlines.expire(kind)
                continue
            at = deadlines.earliest()
            if at is not None and (earliest is None or at < earliest):
                earliest = at
        if earliest is not None:
            self.need(loop, earliest)


# Every reference to a watch here is weak, and so is every reference to a loop: a watch lives
# while its timer is pending (the loop holds the timer) or an attempt holds it, so a closed loop,
# its timer and its watch are garbage together.
_WATCHES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, weakref.ref[_Watch]] = (
    weakref.WeakKeyDictionary()
)
# The watch of the loop seen last (nearly every attempt runs on it), found without the weak
# mapping. One tuple, so that a thread never pairs another thread's loop with its watch.
_last: tuple[weakref.ref[asyncio.AbstractEventLoop], weakref.ref[_Watch]] | None = None


def _watch_of(loop: asyncio.AbstractEventLoop) -> _Watch:
    global _last
    last = _last
    if last is not None and last[0]() is loop:
        found = last[1]()
        if found is not None:
            return found
    ref = _WATCHES.get(loop)
    watch = None if ref is None else ref()
    if watch is None:  # the loop's first attempt, or the first since its watch went idle
        watch = _Watch()
        _WATCHES[loop] = weakref.ref(watch)
    _last = (weakref.ref(loop), weakref.ref(watch))
    return watch


class Deadlines:
    """
    The deadlines of one attempt, watched by its loop's timer (see the module).

    ``connect`` runs from the start until `connected()`; ``read`` from then, restarted by every
    `progress()`; ``total`` is absolute (the loop's clock) and spans the whole attempt. When one
    passes, the task is cancelled; after its `CancelledError`, `expired()` names the deadline (or
    `None` when someone else cancelled the task, whose cancellation then goes on). `stop()` must
    be called when the attempt ends, however it ends.

    Args:
        connect: Seconds to get a connection, or `None` (no limit, or not watched here).
        read: Seconds between reads once connected, or `None`.
        total_at: The loop time by which the attempt must be over, or `None`.
    """

    __slots__ = (
        "_cancelling",
        "_expired",
        "_loop",
        "_watch",
        "connect_at",
        "read",
        "read_at",
        "task",
        "total_at",
    )

    def __init__(self, connect: float | None, read: float | None, total_at: float | None) -> None:
        self._loop = loop = asyncio.get_running_loop()
        task = asyncio.current_task(loop)
        assert task is not None
        #: The task the deadlines cancel (the one running the attempt).
        self.task = task
        self._cancelling = task.cancelling()
        self._expired: str | None = None
        self.connect_at = connect_at = None if connect is None else loop.time() + connect
        self.read = read
        self.read_at: float | None = None
        self.total_at = total_at
        # No read deadline yet: the earliest is the connect or the total one.
        if connect_at is not None and (total_at is None or connect_at < total_at):
            when: float | None = connect_at
        else:
            when = total_at
        self._watch: _Watch | None = None
        if when is not None:
            self._join(when)

    def _join(self, when: float) -> None:
        watch = self._watch = _watch_of(self._loop)
        watch.attempts[self] = None
        watch.need(self._loop, when)

    def earliest(self) -> float | None:
        """The earliest of the deadlines still running."""
        found = self.total_at
        for at in (self.connect_at, self.read_at):
            if at is not None and (found is None or at < found):
                found = at
        return found

    def passed_by(self, when: float) -> str | None:
        """The deadline that passed by loop time `when`, if one did."""
        for kind, at in (
            ("connect", self.connect_at),
            ("read", self.read_at),
            ("total", self.total_at),
        ):
            if at is not None and at <= when:
                return kind
        return None

    def expire(self, kind: str) -> None:
        """`kind` passed: cancel the task (the watch has let this attempt go)."""
        self._watch = None
        self._expired = kind
        self.task.cancel()

    def connected(self) -> None:
        """The connection is ready: the connect deadline gives way to the read deadline."""
        self.connect_at = None
        if self.read is not None:
            self.read_at = read_at = self._loop.time() + self.read
            if self._watch is None:
                if self._expired is None:
                    self._join(read_at)
            else:
                self._watch.need(self._loop, read_at)

    def progress(self) -> None:
        """Bytes arrived: the read deadline starts again (the timer moves only when it fires)."""
        if self.read is not None:
            self.read_at = self._loop.time() + self.read

    def expired(self) -> str | None:
        """
        After a `CancelledError`: ``"connect"``, ``"read"`` or ``"total"`` when a deadline
        cancelled the task, else `None` (the caller was cancelled: let it propagate).
        """
        if self._expired is not None and self.task.uncancel() <= self._cancelling:
            return self._expired
        return None

    def stop(self) -> None:
        """The attempt is over: the watch lets it go (its timer stays for the others)."""
        watch = self._watch
        if watch is not None:
            self._watch = None
            watch.attempts.pop(self, None)
