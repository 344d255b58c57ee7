"""Shared fixtures: the anyio backend (aiohttp is asyncio-only) and emulator-backed clients."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest

from sequrity import AsyncSequrityClient, RetryPolicy, SequrityClient
from sequrity._core import _loop_runner
from sequrity.testing import Emulator

#: Retries as by default, but without sleeping: tests never wait on real backoff.
FAST_RETRY = RetryPolicy(initial_backoff=0, max_backoff=0)


class _Recorder(logging.Handler):
    """Keeps every formatted record of the ``sequrity`` logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


#: A credential in clear: a bearer token or an API-key header whose value is not redacted.
_LEAK = re.compile(r"Bearer (?!<redacted>)|['\"]x-api-key['\"]: ['\"](?!<redacted>)", re.IGNORECASE)


@pytest.fixture(scope="session", autouse=True)
def no_credentials_in_the_debug_log() -> Iterator[None]:
    """The whole suite runs with the sequrity logger at DEBUG; no line may carry a credential."""
    logger = logging.getLogger("sequrity")
    recorder = _Recorder()
    old_level = logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.DEBUG)
    yield
    logger.removeHandler(recorder)
    logger.setLevel(old_level)
    leaks = [line for line in recorder.lines if _LEAK.search(line)]
    assert leaks == [], f"credentials in the debug log: {leaks[:3]}"


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio only: aiohttp does not support trio."""
    return "asyncio"


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A fresh emulator on 127.0.0.1, in the test's own event loop."""
    async with Emulator() as emu:
        yield emu


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[AsyncSequrityClient]:
    """An async client pointed at the in-loop emulator."""
    async with AsyncSequrityClient(
        "sq-test-key", base_url=emulator.base_url, retry=FAST_RETRY
    ) as c:
        yield c


@pytest.fixture
def sync_client(sequrity_emulator: object) -> Iterator[SequrityClient]:
    """A blocking client pointed at the thread-hosted emulator of the pytest plugin."""
    base_url = sequrity_emulator.base_url  # type: ignore[attr-defined]
    with SequrityClient("sq-test-key", base_url=base_url, retry=FAST_RETRY) as c:
        yield c


class Api:
    """
    Runs one scenario through either client: the async client directly, or the blocking client on a
    worker thread (so the in-loop emulator keeps serving). Same behaviour tests, both colours.
    """

    def __init__(self, mode: str, aclient: AsyncSequrityClient, sclient: SequrityClient) -> None:
        self.mode = mode
        self.aclient = aclient
        self.sclient = sclient

    async def call(self, path: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``client.<path>(*args, **kwargs)`` on the client under test."""
        if self.mode == "async":
            method = _resolve(self.aclient, path)
            return await method(*args, **kwargs)
        method = _resolve(self.sclient, path)
        return await anyio.to_thread.run_sync(functools.partial(method, *args, **kwargs))

    async def call_on(self, obj: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``obj.<path>(...)``, an object of the client under test (a session handle, say)."""
        method = _resolve(obj, path)
        if self.mode == "async":
            return await method(*args, **kwargs)
        return await anyio.to_thread.run_sync(functools.partial(method, *args, **kwargs))

    async def stream(self, path: str, *args: Any, **kwargs: Any) -> tuple[list[Any], Any]:
        """Open a stream with ``client.<path>(..., stream=True)``; return (events, stream)."""
        if self.mode == "async":
            method = _resolve(self.aclient, path)
            async with await method(*args, stream=True, **kwargs) as s:
                return [event async for event in s], s

        def run() -> tuple[list[Any], Any]:
            method = _resolve(self.sclient, path)
            with method(*args, stream=True, **kwargs) as s:
                return list(s), s

        return await anyio.to_thread.run_sync(run)


def _resolve(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.fixture(params=["async", "sync"])
async def api(
    request: pytest.FixtureRequest, emulator: Emulator, client: AsyncSequrityClient
) -> AsyncIterator[Api]:
    """The same scenario through the async client and through the blocking client."""
    sclient = SequrityClient("sq-test-key", base_url=emulator.base_url, retry=FAST_RETRY)
    try:
        yield Api(request.param, client, sclient)
    finally:
        await anyio.to_thread.run_sync(sclient.close)


def _uvloop_installed() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(
    params=[
        "asyncio",
        pytest.param(
            "uvloop",
            marks=pytest.mark.skipif(
                not _uvloop_installed(), reason="uvloop (the [speed] extra) is not installed"
            ),
        ),
    ]
)
def loop_kind(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each kind of loop the SDK makes for the threads it owns (uvloop with the [speed] extra)."""
    previous = _loop_runner.loop_kind()
    _loop_runner.use_loop(request.param)
    yield request.param
    _loop_runner.use_loop(previous)
