"""Running a test with each JSON backend: the standard library, and orjson where installed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from sequrity._core import _json


def orjson_installed() -> bool:
    """Whether orjson (the [speed] extra) can be imported."""
    try:
        import orjson  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def using(name: str) -> Iterator[None]:
    """Use the JSON backend `name` inside the block."""
    previous = _json.backend()
    _json.use(name)
    try:
        yield
    finally:
        _json.use(previous)


#: Each test runs with each JSON backend (orjson only where the [speed] extra is installed).
backends = pytest.mark.parametrize(
    "backend",
    [
        "json",
        pytest.param(
            "orjson",
            marks=pytest.mark.skipif(
                not orjson_installed(), reason="orjson (the [speed] extra) is not installed"
            ),
        ),
    ],
)
