"""
The pytest plugin (entry point ``sequrity``, active once the package is installed): fixtures
that run the emulator for a test.

* ``sequrity_emulator`` — a `RunningEmulator` on a background thread, fresh for each test; works
  from sync and async tests (its API is thread-safe).
* ``sequrity_env`` — sets ``SEQURITY_BASE_URL`` and ``SEQURITY_API_KEY`` to point at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._server import RunningEmulator

__all__ = ["sequrity_emulator", "sequrity_env"]

#: The API key ``sequrity_env`` exports (the emulator accepts any non-empty token).
EMULATOR_API_KEY = "sq-emulator-test-key"


@pytest.fixture
def sequrity_emulator() -> Iterator[RunningEmulator]:
    """
    Run a Sequrity Control API emulator on ``127.0.0.1`` for one test.

    Yields:
        The running emulator: ``base_url``, ``script``, ``faults``, ``requests``, ``sessions``.
    """
    # Imported lazily so that merely having the plugin installed costs nothing.
    from ._server import Emulator

    running = Emulator.start_in_thread()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def sequrity_env(
    sequrity_emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> RunningEmulator:
    """
    Point ``SEQURITY_BASE_URL`` and ``SEQURITY_API_KEY`` at the test's emulator.

    Returns:
        The running emulator.
    """
    monkeypatch.setenv("SEQURITY_BASE_URL", sequrity_emulator.base_url)
    monkeypatch.setenv("SEQURITY_API_KEY", EMULATOR_API_KEY)
    return sequrity_emulator
