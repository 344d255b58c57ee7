"""
A worker of a batch run on a Ray cluster, written without Ray: `BatchWorker` is the body of the
worker actor (one event loop, one client with its own connection pool, one `ClusterGate`),
taking blocks of requests and returning their answers; `ClusterGate` is the run's rate-limit
gate on that worker, following the cluster-wide pause. `sequrity.batch_ray` makes it an actor.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs

from ._batch_cluster import Block, SyncReport
from ._batch_io import response_line
from ._batch_send import dispatcher
from ._batch_summary import EarlyStop
from ._client import AsyncSequrityClient
from ._core._fanout import start_many
from ._core._gate import RateGate
from ._exceptions import SequrityError, SequrityValidationError

__all__ = ["Answer", "BatchWorker", "BlockResult", "ClientSpec", "ClusterGate", "Sync"]

logger = logging.getLogger("sequrity")

#: Sends a report to the coordinator and returns the seconds left of the cluster-wide pause
#: (with Ray: the coordinator actor's ``sync.remote``, whose result is awaitable).
Sync = Callable[[SyncReport], Awaitable[float]]
#: One answer of a block: the request's position in the block, and its result line or error.
Answer = tuple[int, str | SequrityError]
#: A cluster pause is applied only when it ends this much later than the worker's own pause:
#: the worker that reported a hint is already paused until about then.
_SAME_PAUSE = 0.05


@attrs.frozen(kw_only=True, repr=False)
class ClientSpec:
    """
    How each worker builds its client: the resolved key and base URL (workers on other machines
    do not share the driver's environment) and other `AsyncSequrityClient` keywords.

    Attributes:
        api_key: The API key.
        base_url: The base URL.
        options: Other keywords (``timeout``, ``retry``, ``control``, ``limits``...).
    """

    api_key: str
    base_url: str
    options: Mapping[str, Any] = attrs.field(factory=dict)

    def build(self) -> AsyncSequrityClient:
        """A new client (on the running event loop of the caller)."""
        return AsyncSequrityClient(self.api_key, base_url=self.base_url, **self.options)

    def __repr__(self) -> str:
        return f"ClientSpec(base_url={self.base_url!r})"


@attrs.frozen(kw_only=True)
class BlockResult:
    """
    The answers of one block, in the order they arrived.

    Attributes:
        index: The block's number.
        answers: ``(position in the block, result line or error)``; a block stopped early
            (a refused key, or an opening streak of doomed answers) has fewer than its requests.
        worker: The number of the worker that ran it.
        pid: That worker's process id.
    """

    index: int
    answers: tuple[Answer, ...]
    worker: int
    pid: int


class ClusterGate(RateGate):
    """
    A worker's `RateGate` in a cluster run: it counts its pause windows, hands every retry hint it
    sees to `on_hint` (to be reported to the coordinator), and `follow` applies the cluster-wide
    pause. With `consult` set, every attempt first awaits it (one round trip to the coordinator
    per attempt: the costly way, kept for comparison).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_hint: Callable[[], None] | None = None
        self.consult: Callable[[], Awaitable[None]] | None = None
        self._hint: float | None = None

    def observe_error(self, error: SequrityError, max_wait: float) -> float | None:
        """Pause on a retry hint, as any gate, and keep the hint for the coordinator."""
        wait = super().observe_error(error, max_wait)
        if wait is not None:
            self._hint = wait if self._hint is None else max(self._hint, wait)
            if self.on_hint is not None:
                self.on_hint()
        return wait

    def take_hint(self) -> float | None:
        """The longest retry hint seen since the last call, else `None`."""
        hint, self._hint = self._hint, None
        return hint

    def follow(self, remaining: float) -> None:
        """Honour the cluster-wide pause, `remaining` seconds from now."""
        if remaining > self.remaining() + _SAME_PAUSE:
            self.pause(remaining)

    async def before_attempt(self) -> None:
        """Consult the coordinator when asked to, then wait as any gate."""
        if self.consult is not None:
            await self.consult()
        await super().before_attempt()


class BatchWorker:
    """
    One worker of a cluster run (the body of a Ray actor; everything runs on its event loop).

    Blocks run concurrently (the driver keeps the next one queued so the worker never idles
    between blocks) but share one client, one gate and at most `concurrency` requests in
    flight. A background task reports to the coordinator every `refresh` seconds, and at once
    when a block starts or a retry hint arrives; `refresh` 0 consults it before every attempt.

    Args:
        number: The worker's number (the same after Ray restarts its process).
        spec: How to build the client.
        sync: Sends a report to the coordinator.
        concurrency: Most requests in flight on this worker.
        refresh: Seconds between reports (0: a round trip before every attempt).
        stop_early: Stop a block at a refused key (401), and at an opening streak of doomed
            answers when the block asks for it.
    """

    def __init__(
        self,
        number: int,
        spec: ClientSpec,
        sync: Sync,
        *,
        concurrency: int,
        refresh: float,
        stop_early: bool,
    ) -> None:
        self._number = number
        self._spec = spec
        self._sync = sync
        self._concurrency = concurrency
        self._refresh = refresh
        self._stop_early = stop_early
        self._host = socket.gethostname()
        self._running: dict[int, list[int]] = {}
        self._requests = 0
        self._state: tuple[AsyncSequrityClient, ClusterGate, asyncio.Semaphore] | None = None
        self._link: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._closing = False

    @property
    def pauses(self) -> int:
        """Pause windows this worker has honoured (its own retry hints and the cluster's)."""
        return 0 if self._state is None else self._state[1].windows

    def _started(self) -> tuple[AsyncSequrityClient, ClusterGate, asyncio.Semaphore]:
        # Built on first use, on the loop that runs the blocks (an actor's __init__ has none).
        if self._state is None:
            gate = ClusterGate()
            if self._refresh > 0:
                gate.on_hint = self._wake.set
                self._link = asyncio.create_task(self._report_loop())
            else:
                gate.consult = self.report
            self._state = (self._spec.build(), gate, asyncio.Semaphore(self._concurrency))
        return self._state

    async def run_block(self, block: Block, streak: bool) -> BlockResult:
        """
        Send the requests of `block` and return their answers.

        Args:
            block: The requests.
            streak: Stop at an opening streak of doomed answers (400/403/404/422).
        """
        client, gate, limit = self._started()
        send = dispatcher(client, gate)

        async def limited(item: Any) -> Any:
            async with limit:
                return await send(item)

        breaker = EarlyStop(streak=10 if streak else None) if self._stop_early else None
        counts = self._running[block.index] = [0, 0]
        self._wake.set()
        answers: list[Answer] = []
        outcomes = start_many(limited, block.items, concurrency=self._concurrency)
        try:
            async for outcome in outcomes:
                error = outcome.error
                if error is None:
                    item = block.items[outcome.index]
                    answers.append((outcome.index, response_line(item.custom_id, outcome.value)))
                    counts[0] += 1
                else:
                    answers.append((outcome.index, error))
                    counts[1] += 1
                self._requests += 1
                if (
                    breaker is not None
                    and not isinstance(error, SequrityValidationError)
                    and breaker.observe(error) is not None
                ):
                    break
        finally:
            await outcomes.aclose()  # type: ignore[attr-defined]
            del self._running[block.index]
        return BlockResult(
            index=block.index, answers=tuple(answers), worker=self._number, pid=os.getpid()
        )

    async def report(self) -> None:
        """Send one report to the coordinator and honour the cluster-wide pause it returns."""
        gate = self._started()[1]
        report = SyncReport(
            worker=self._number,
            pid=os.getpid(),
            host=self._host,
            requests=self._requests,
            pauses=self.pauses,
            blocks={index: (c[0], c[1]) for index, c in self._running.items()},
            paused_for=gate.take_hint(),
        )
        try:
            remaining = await self._sync(report)
        except Exception as exc:
            # The coordinator is gone (its node was lost): go on with this worker's own gate.
            logger.warning("batch worker %d: no answer from the coordinator: %s", self._number, exc)
            return
        gate.follow(remaining)

    async def _report_loop(self) -> None:
        # `closing` ends the loop even if a cancellation is lost on the way (on Python 3.11 an
        # awaited future completing as it is cancelled can swallow the cancellation).
        while not self._closing:
            try:
                async with asyncio.timeout(self._refresh):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()
            if not self._closing:
                await self.report()

    async def close(self) -> None:
        """Stop reporting and close the client."""
        self._closing = True
        if self._link is not None:
            self._link.cancel()
            await asyncio.wait({self._link}, timeout=self._refresh + 5)
            self._link = None
        if self._state is not None:
            client = self._state[0]
            self._state = None
            await client.aclose()
