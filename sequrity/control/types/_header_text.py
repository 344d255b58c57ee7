"""
JSON text of the configuration headers: the deep merge of `overrides` and the encoding of a header
value (compact, single-line ASCII). Pure functions of JSON-ready values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sequrity._exceptions import SequrityValidationError

from ._header_fields import JSON_NULL

__all__ = ["deep_merge", "dump_json"]


def _plain(value: Any) -> Any:
    """Deep-copy an override value into plain JSON types (`JSON_NULL` -> None, sets sorted)."""
    if value is JSON_NULL:
        return None
    if isinstance(value, Mapping):
        return {_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    return value


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise SequrityValidationError(f"overrides: keys must be strings, got {key!r}")
    return key


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """
    Return a new dict: `overrides` deep-merged into `base`; neither argument is changed.

    Where both sides hold a dict the merge recurses; anything else (lists, scalars, a dict meeting
    a scalar) is replaced by the override value. `None` or `JSON_NULL` as a value injects ``null``.

    Raises:
        SequrityValidationError: `overrides` is not a mapping or has a non-string key.
    """
    if overrides is not None and not isinstance(overrides, Mapping):
        raise SequrityValidationError(f"overrides must be a dict, got {overrides!r}")
    result: dict[str, Any] = {_key(k): _plain(v) for k, v in base.items()}
    for key, value in (overrides or {}).items():
        current = result.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            result[key] = deep_merge(current, value)
        else:
            result[_key(key)] = _plain(value)
    return result


def dump_json(data: Mapping[str, Any]) -> str:
    """
    Encode `data` as a header value: compact, single-line, ASCII-only (``\\uXXXX`` escapes).

    Raises:
        SequrityValidationError: Something in `data` is not JSON (or is NaN/infinite).
    """
    try:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SequrityValidationError(f"header value is not valid JSON: {exc}") from None
