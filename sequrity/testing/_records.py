"""
Recorded requests: every request the emulator receives, as it arrived on the wire.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import attrs
from multidict import CIMultiDict, CIMultiDictProxy

__all__ = ["RecordedRequest", "RequestLog"]


@attrs.frozen(kw_only=True)
class RecordedRequest:
    """
    One request received by the emulator.

    Attributes:
        method: The HTTP method (``"POST"``).
        path: The path without the query string (``"/control/chat/v1/chat/completions"``).
        query_string: The raw query string, without ``?`` (usually empty).
        headers: The request headers; lookups are case-insensitive and repeated headers are kept.
        body: The raw body bytes.
        json: The body decoded as JSON, or `None` when it is empty or not JSON.
        request_id: The ``X-Request-ID`` the emulator answered with.
    """

    method: str
    path: str
    query_string: str = ""
    headers: CIMultiDictProxy[str] = attrs.field(factory=lambda: CIMultiDictProxy(CIMultiDict()))
    body: bytes = b""
    json: Any = None
    request_id: str = ""

    @classmethod
    def build(
        cls,
        *,
        method: str,
        path: str,
        query_string: str,
        headers: CIMultiDictProxy[str],
        body: bytes,
        request_id: str,
    ) -> RecordedRequest:
        """
        Record a request, decoding its body as JSON when possible.
        """
        decoded: Any = None
        if body:
            try:
                decoded = json.loads(body)
            except ValueError:
                decoded = None
        return cls(
            method=method,
            path=path,
            query_string=query_string,
            headers=CIMultiDictProxy(CIMultiDict(headers)),
            body=body,
            json=decoded,
            request_id=request_id,
        )


class RequestLog:
    """
    The thread-safe list of recorded requests (the emulator and the test may run on different threads).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def append(self, item: RecordedRequest) -> None:
        """
        Record one request.
        """
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        """
        Return a copy of the requests recorded so far, oldest first.
        """
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        """
        Forget every recorded request.
        """
        with self._lock:
            self._items.clear()
