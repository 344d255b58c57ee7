"""
`Limits`: how much of a response the SDK holds in memory. Each limit is enforced while the response
is read (never after), and crossing one raises a `SequrityLimitError` naming it.
"""

from __future__ import annotations

from typing import Any

import attrs

from .._exceptions import SequrityValidationError

__all__ = ["DEFAULT_LIMITS", "Limits", "MiB"]

MiB = 1024 * 1024


def _check_size(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SequrityValidationError(
            f"Limits.{attribute.name} must be a positive number of bytes, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class Limits:
    """
    Size limits on what a server may send, per client (``AsyncSequrityClient(limits=...)``, and
    the same argument on `SequrityClient`).

    The defaults are far above any real Control API answer and keep a hostile or broken server
    (an endless body, a gzip bomb, an event stream without line breaks) from using more than a
    few hundred MB. A response that crosses a limit is abandoned (its connection closed) and a
    `SequrityLimitError` says which limit fired.

    Attributes:
        max_body_size: The most bytes of a complete (non-stream) response body, counted as they
            arrive on the wire, before decompression; a larger ``Content-Length`` is refused
            before reading. 32 MiB.
        max_decompressed_size: The most bytes a complete response body may decompress to
            (``Content-Encoding: gzip``, ``deflate``, ...). 64 MiB.
        max_sse_line: The longest line of an event stream, in characters. 16 MiB.
        max_sse_event: The most characters of ``data:`` in one event of an event stream. 32 MiB.
            An event stream as a whole has no size limit: it may go on as long as its events do.

    Example:
        >>> Limits(max_body_size=128 * 1024 * 1024)
    """

    max_body_size: int = attrs.field(default=32 * MiB, validator=_check_size)
    max_decompressed_size: int = attrs.field(default=64 * MiB, validator=_check_size)
    max_sse_line: int = attrs.field(default=16 * MiB, validator=_check_size)
    max_sse_event: int = attrs.field(default=32 * MiB, validator=_check_size)


DEFAULT_LIMITS = Limits()
