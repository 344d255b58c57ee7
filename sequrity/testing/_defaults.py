"""Defaults of the emulator that the command line needs without loading the emulator itself."""

from __future__ import annotations

__all__ = ["DEFAULT_PORT"]

#: The port ``sequrity emulator`` and ``python -m sequrity.testing`` listen on by default.
DEFAULT_PORT = 8765
