"""
`Deadlines`: one loop timer for the connect, read and total deadlines of one attempt. Instead of a
timer per deadline (and a new one per read), it keeps the deadlines as numbers and arms one timer
at the earliest; when the timer fires, a deadline that has moved on (bytes arrived) re-arms it.
"""

from __future__ import annotations

import asyncio

__all__ = ["Deadlines"]


class Deadlines:
    """
    The deadlines of one attempt, watched by one timer of the running loop.

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
        "_armed_at",
        "_cancelling",
        "_expired",
        "_handle",
        "_loop",
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
        # `_arm()`, inline: no read deadline yet, so the earliest is the connect or total one.
        if connect_at is not None and (total_at is None or connect_at < total_at):
            when: float | None = connect_at
        else:
            when = total_at
        self._armed_at = 0.0 if when is None else when
        self._handle: asyncio.TimerHandle | None = (
            None if when is None else loop.call_at(when, self._fire)
        )

    def _earliest(self) -> float | None:
        found = self.total_at
        for at in (self.connect_at, self.read_at):
            if at is not None and (found is None or at < found):
                found = at
        return found

    def _arm(self) -> None:
        when = self._earliest()
        if when is not None:
            self._armed_at = when
            self._handle = self._loop.call_at(when, self._fire)

    def connected(self) -> None:
        """The connection is ready: the connect deadline gives way to the read deadline."""
        self.connect_at = None
        if self.read is not None:
            self.read_at = self._loop.time() + self.read
            handle = self._handle
            if handle is None:
                self._arm()
            elif self.read_at < self._armed_at:
                handle.cancel()
                self._arm()

    def progress(self) -> None:
        """Bytes arrived: the read deadline starts again (the timer moves only when it fires)."""
        if self.read is not None:
            self.read_at = self._loop.time() + self.read

    def _fire(self) -> None:
        self._handle = None
        armed = self._armed_at
        for kind, at in (
            ("connect", self.connect_at),
            ("read", self.read_at),
            ("total", self.total_at),
        ):
            # A deadline not moved past the time the timer was armed for has passed.
            if at is not None and at <= armed:
                self._expired = kind
                self.task.cancel()
                return
        self._arm()

    def expired(self) -> str | None:
        """
        After a `CancelledError`: ``"connect"``, ``"read"`` or ``"total"`` when a deadline
        cancelled the task, else `None` (the caller was cancelled: let it propagate).
        """
        if self._expired is not None and self.task.uncancel() <= self._cancelling:
            return self._expired
        return None

    def stop(self) -> None:
        """The attempt is over: drop the timer."""
        handle = self._handle
        if handle is not None:
            handle.cancel()
            self._handle = None
