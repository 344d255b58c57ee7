"""
Support for `ChatSequrity`: the clients it builds for itself (`ClientCache`) and LangChain's
``tool_choice`` spellings in the Chat Completions form.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from .. import AsyncSequrityClient, SequrityClient

__all__ = ["ClientCache", "tool_choice_of"]


class ClientCache:
    """
    The clients a `ChatSequrity` built for itself: one blocking client, and one async client
    per event loop (those of closed loops are dropped). Never copied or pickled: a copy builds
    its own on first use.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.blocking: SequrityClient | None = None
        self.by_loop: dict[asyncio.AbstractEventLoop, AsyncSequrityClient] = {}

    def for_loop(
        self, loop: asyncio.AbstractEventLoop, build: Callable[[], AsyncSequrityClient]
    ) -> AsyncSequrityClient:
        """The client of `loop`, built on first use."""
        with self.lock:
            for old in [known for known in self.by_loop if known.is_closed()]:
                del self.by_loop[old]
            found = self.by_loop.get(loop)
            if found is None:
                found = self.by_loop[loop] = build()
            return found

    def __reduce__(self) -> tuple[Any, ...]:
        return (ClientCache, ())

    def __deepcopy__(self, memo: dict[int, Any]) -> ClientCache:
        return ClientCache()


def tool_choice_of(choice: str | bool | dict[str, Any] | None) -> str | dict[str, Any] | None:
    """
    Give LangChain's ``tool_choice`` (``"any"``, `True`, a tool name...) in the wire form.

    Returns:
        ``"auto"``, ``"none"``, ``"required"``, a ``{"type": "function", ...}`` object, or `None`.
    """
    if choice is None or isinstance(choice, dict):
        return choice
    if choice is True or choice in ("any", "required"):
        return "required"
    if choice in ("auto", "none"):
        return str(choice)
    if choice is False:
        return "none"
    return {"type": "function", "function": {"name": choice}}
