"""The stream classes under the official SDK's module path ``sequrity.control._stream``."""

from __future__ import annotations

from .._core._blocking_stream import Stream as SyncStream
from .._core._stream import AsyncStream as AsyncStream

__all__ = ["AsyncStream", "SyncStream"]
