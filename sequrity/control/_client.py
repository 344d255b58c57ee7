"""`AsyncControl`: the ``client.control`` namespace, grouping the Control API's resources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .resources.chat import AsyncChatResource

if TYPE_CHECKING:
    from .._client import AsyncSequrityClient

__all__ = ["AsyncControl"]


class AsyncControl:
    """
    The Control API (``client.control``): chat completions and, as they land, the other styles.
    """

    chat: AsyncChatResource

    def __init__(self, client: AsyncSequrityClient) -> None:
        self._client = client
        self.chat = AsyncChatResource(client)
