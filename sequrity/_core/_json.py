"""
JSON on the hot path: orjson when the ``[speed]`` extra is installed, else the standard library.
Both give the same results: orjson reads a subset of what `json` reads, to the same values, and
anything it declines is read by `json`; bodies are written by orjson only when they are plain JSON
whose text is the same byte for byte (see `dumps_plain`). orjson is imported on first use.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

__all__ = ["backend", "dumps_plain", "loads", "loads_event", "loads_events", "safe_float", "use"]

_encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_compact = _encoder.encode
#: The C encoder `_encoder.encode` builds on every call, made here with the same arguments
#: (circular references still checked: a fresh ``markers`` dict per call), or `None` without it.
_make_c_encoder = getattr(json.encoder, "c_make_encoder", None)
_encode_string = json.encoder.encode_basestring
_decoder = json.JSONDecoder()
#: Reads text as `json.loads` does (the module's own default decoder is private).
_decode = _decoder.decode
# What `json.loads` calls for a text without surrounding whitespace: (value, end) from index 0.
# (`scan_once` is set by `JSONDecoder.__init__`, undeclared in typeshed.)
_scan: Callable[[str, int], tuple[Any, int]] = _decoder.scan_once  # type: ignore[attr-defined]

#: The backend in use: "orjson" or "json"; `None` until the first call decides.
_backend: str | None = None
#: orjson's functions while it is the backend, else `None`.
_fast_loads: Callable[[Any], Any] | None = None
_fast_dumps: Callable[[Any], bytes] | None = None
_fast_error: type[Exception] = ValueError


#: Maps every digit to "0" and every other byte to "x": a run of 19 zeros then marks a number
#: that may not fit in 64 bits, which orjson reads as a float where json reads an int.
_DIGITS = bytes(48 if 48 <= i <= 57 else 120 for i in range(256))
_LONG_RUN = b"0" * 19


def _json_dumps(value: Any) -> bytes:
    """``_compact(value)`` as UTF-8, without its per-call setup (a nested function and a check)."""
    if _make_c_encoder is None or type(value) is str:
        return _compact(value).encode("utf-8")
    encode = _make_c_encoder(
        {}, _encoder.default, _encode_string, None, ":", ",", False, False, False
    )
    return "".join(encode(value, 0)).encode("utf-8")


def use(name: str | None) -> str:
    """
    Choose the backend: ``"orjson"``, ``"json"``, or `None` for orjson when it is installed.
    Returns the backend chosen. (Tests run both paths through this.)

    Raises:
        ImportError: ``"orjson"`` was asked for and is not installed.
    """
    global _backend, _fast_loads, _fast_dumps, _fast_error
    if name not in (None, "orjson", "json"):
        raise ValueError(f"unknown JSON backend {name!r}")
    _fast_loads = _fast_dumps = None
    if name != "json":
        try:
            import orjson
        except ImportError:
            if name == "orjson":
                raise
            name = "json"
        else:
            _fast_loads, _fast_dumps = orjson.loads, orjson.dumps
            _fast_error = orjson.JSONDecodeError
            name = "orjson"
    _backend = name
    return name


def backend() -> str:
    """The backend in use (deciding it now if no call has yet)."""
    return _backend or use(None)


def loads(data: bytes | str) -> Any:
    """
    Parse JSON text, as `json.loads` does. orjson reads bytes without a run of 19 digits (an
    integer beyond 64 bits, which it would read as a float); everything else goes to `json`.

    Raises:
        ValueError: not JSON (`json.JSONDecodeError`, or `UnicodeDecodeError` for bad UTF-8).
        RecursionError: nesting too deep for `json`.
    """
    fast = _fast_loads
    if fast is not None:
        if type(data) is bytes and data.translate(_DIGITS).find(_LONG_RUN) < 0:
            try:
                return fast(data)
            except _fast_error:
                pass  # what orjson refuses (NaN, infinity, a BOM...) json may read, or explain
    elif _backend is None:
        use(None)
        return loads(data)
    if type(data) is bytes and data[:1] == b"{" and data[1:2] != b"\x00":
        # `json.loads` would read these bytes as UTF-8 (its `detect_encoding`), as here.
        return _decode(data.decode("utf-8", "surrogatepass"))
    return json.loads(data)


def loads_event(data: bytes) -> Any:
    """
    Parse the data of an event-stream event given as bytes, with the result `json` gives for the
    text the event-stream decoder makes of them (invalid UTF-8 replaced by U+FFFD). orjson reads
    an object it accepts (valid UTF-8, so the same text); `json` reads the text otherwise.

    Raises:
        ValueError: not JSON.
        RecursionError: nesting too deep for `json`.
    """
    fast = _fast_loads
    if fast is not None:
        if data[:1] == b"{" and data.translate(_DIGITS).find(_LONG_RUN) < 0:
            try:
                return fast(data)
            except _fast_error:
                pass
    elif _backend is None:
        use(None)
        return loads_event(data)
    try:
        text = data.decode()
    except UnicodeDecodeError:
        text = data.decode("utf-8", "replace")
    return json.loads(text)


def loads_events(datas: list[bytes], start: int = 0) -> list[Any]:
    """
    `loads_event` of each of ``datas[start:]``, in order, up to the first that is not a JSON
    object read here at once (one with surrounding whitespace, invalid UTF-8, not JSON, ``[DONE]``
    ...): the values of that prefix. `loads_event` then gives the next one's value, or its failure.

    One call per network read rather than per event; with `json`, each event's text goes straight
    to the scanner `json.loads` uses (without its checks for whitespace, which the text has none
    of when the scanner reads it to its end).
    """
    values: list[Any] = []
    append = values.append
    fast = _fast_loads
    if fast is not None:
        for i in range(start, len(datas)):
            data = datas[i]
            if data[:1] != b"{" or data.translate(_DIGITS).find(_LONG_RUN) >= 0:
                break
            try:
                append(fast(data))
            except _fast_error:
                break
        return values
    if _backend is None:
        use(None)
        return loads_events(datas, start)
    scan = _scan
    for i in range(start, len(datas)):
        data = datas[i]
        if data[:1] != b"{":
            break
        try:
            text = data.decode()
            value, end = scan(text, 0)
        except (ValueError, StopIteration, RecursionError):
            break
        if end != len(text):
            break
        append(value)
    return values


def safe_float(value: float) -> bool:
    """
    Whether orjson writes `value` as `json` does: a finite float that Python's ``repr`` writes
    without an exponent (from 1e-4 up to 1e16), or zero.
    """
    return value == 0.0 or (1e-4 <= abs(value) < 1e16 and math.isfinite(value))


def dumps_plain(value: Any) -> bytes:
    """
    Compact UTF-8 JSON of a value the caller knows to be plain: only dicts with string keys,
    lists, strings, booleans, `None`, integers and floats for which `safe_float` holds. For those,
    orjson writes the same bytes as `json`; it falls back to `json` for what it refuses (an integer
    beyond 64 bits, a lone surrogate).

    Raises:
        TypeError, ValueError: as `json` for a value JSON cannot carry.
    """
    fast = _fast_dumps
    if fast is not None:
        try:
            return fast(value)
        except TypeError:
            pass
    elif _backend is None:
        use(None)
        return dumps_plain(value)
    return _json_dumps(value)
