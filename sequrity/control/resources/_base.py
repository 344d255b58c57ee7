"""`AsyncResource`: what every Control API resource shares (its client, session, raw access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._raw import AsyncRawView

if TYPE_CHECKING:
    from ..._client import AsyncSequrityClient
    from ..sessions import SessionBinding

__all__ = ["AsyncResource"]


class AsyncResource:
    """
    Base of the Control API resources.
    """

    def __init__(self, client: AsyncSequrityClient, binding: SessionBinding | None = None) -> None:
        self._client = client
        self._binding = binding

    @property
    def with_raw_response(self) -> AsyncRawView:
        """
        The same methods, each returning a `RawResponse` (status, headers, request id, retries
        taken, elapsed time) whose ``parse()`` gives the usual result.
        """
        return AsyncRawView(self)
