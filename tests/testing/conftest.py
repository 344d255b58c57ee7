"""Fixtures for the emulator tests: an emulator on 127.0.0.1:0 and a raw aiohttp client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from sequrity.testing import Emulator


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio (aiohttp is asyncio-only)."""
    return "asyncio"


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    """An emulator serving on a free loopback port for one test."""
    async with Emulator() as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp client session."""
    async with aiohttp.ClientSession() as session:
        yield session
