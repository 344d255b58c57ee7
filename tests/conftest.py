"""Shared fixtures: the anyio backend (aiohttp is asyncio-only) and emulator-backed clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from sequrity import AsyncSequrityClient, SequrityClient
from sequrity.testing import Emulator


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
    async with AsyncSequrityClient("sq-test-key", base_url=emulator.base_url) as c:
        yield c


@pytest.fixture
def sync_client(sequrity_emulator: object) -> Iterator[SequrityClient]:
    """A blocking client pointed at the thread-hosted emulator of the pytest plugin."""
    base_url = sequrity_emulator.base_url  # type: ignore[attr-defined]
    with SequrityClient("sq-test-key", base_url=base_url) as c:
        yield c
