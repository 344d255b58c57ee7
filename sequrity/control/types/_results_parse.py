"""
Shape checks for decoded JSON, used to read the Dual-LLM result envelope without ever raising.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")

#: A decoded JSON object.
Obj = Mapping[str, Any]


class ShapeError(Exception):
    """
    A decoded JSON value does not have the documented shape.

    Attributes:
        path: Where the problem is, as a JSONPath such as ``$.final_return_value.meta.tags[0]``.
        problem: What is wrong, in a few words.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def kind(value: object) -> str:
    """
    Name the JSON type of a decoded value, for error messages.

    Args:
        value: A value produced by `json.loads`.

    Returns:
        One of ``object``, ``array``, ``string``, ``number``, ``boolean``, ``null``.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def child(path: str, key: str) -> str:
    """
    Extend a JSONPath by an object key.

    Args:
        path: The path of the object.
        key: The key inside it.

    Returns:
        ``path.key`` for identifier-like keys, else ``path["key"]`` with the key JSON-quoted.
    """
    if key.isidentifier() and key.isascii():
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def fail(path: str, expected: str, value: object) -> NoReturn:
    """
    Raise a `ShapeError` saying what was expected and what was found.

    Args:
        path: Where the value is.
        expected: The documented shape, such as ``"a string"``.
        value: The value actually found.

    Raises:
        ShapeError: Always.
    """
    raise ShapeError(path, f"expected {expected}, got {kind(value)}")


def expect_object(value: object, path: str) -> Obj:
    """
    Check that a value is a JSON object.

    Args:
        value: The decoded value.
        path: Where it is.

    Returns:
        The value, typed as a mapping.

    Raises:
        ShapeError: It is not an object.
    """
    if not isinstance(value, dict):
        fail(path, "an object", value)
    return value


def require(obj: Obj, key: str, path: str) -> Any:
    """
    Read a required key.

    Args:
        obj: The object.
        key: The key.
        path: The path of the object.

    Returns:
        The key's value.

    Raises:
        ShapeError: The key is missing.
    """
    if key not in obj:
        raise ShapeError(child(path, key), "missing required key")
    return obj[key]


def string(value: object, path: str) -> str:
    """
    Check that a value is a JSON string.

    Args:
        value: The decoded value.
        path: Where it is.

    Returns:
        The string.

    Raises:
        ShapeError: It is not a string.
    """
    if not isinstance(value, str):
        fail(path, "a string", value)
    return value


def string_set(value: object, path: str) -> frozenset[str]:
    """
    Check that a value is a JSON array of strings (a set on the wire).

    Args:
        value: The decoded value.
        path: Where it is.

    Returns:
        The strings as a frozenset (duplicates collapse).

    Raises:
        ShapeError: It is not an array, or an item is not a string.
    """
    if not isinstance(value, list):
        fail(path, "an array of strings", value)
    for index, item in enumerate(value):
        if not isinstance(item, str):
            fail(f"{path}[{index}]", "a string", item)
    return frozenset(value)


def optional(obj: Obj, key: str, path: str, read: Callable[[Any, str], T]) -> T | None:
    """
    Read an optional, nullable key.

    Args:
        obj: The object.
        key: The key.
        path: The path of the object.
        read: Checks and converts a present, non-null value: ``read(value, path_of_value)``.

    Returns:
        `None` when the key is missing or null, else what `read` returns.

    Raises:
        ShapeError: `read` refused the value.
    """
    value = obj.get(key)
    if value is None:
        return None
    return read(value, child(path, key))


def boolean(value: object, path: str) -> bool:
    """
    Check that a value is a JSON boolean.

    Args:
        value: The decoded value.
        path: Where it is.

    Returns:
        The boolean.

    Raises:
        ShapeError: It is not a boolean.
    """
    if not isinstance(value, bool):
        fail(path, "a boolean", value)
    return value


def extra(obj: Obj, known: frozenset[str]) -> dict[str, Any]:
    """
    Collect the keys a reader does not know, so that nothing the server sent is lost.

    Args:
        obj: The object.
        known: The keys the reader handles.

    Returns:
        A new dict of the remaining keys, in their original order.
    """
    return {key: value for key, value in obj.items() if key not in known}


def merge_extra(known: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """
    Add unknown keys after the known ones when writing an object back to JSON.

    Args:
        known: The known keys, already converted; updated in place.
        extra: The unknown keys; a key that clashes with a known one is dropped.

    Returns:
        `known`.
    """
    for key, value in extra.items():
        known.setdefault(key, value)
    return known
