"""Tests for `sequrity._core._raw`: the `RawResponse` value and the typed raw twins of methods (pure)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from sequrity import SequrityError
from sequrity._core._raw import RawResponse, Recorder, raw_async, raw_blocking

pytestmark = pytest.mark.anyio


def raw_of(parsed: Any, **headers: str) -> RawResponse[Any]:
    """A raw response with these headers around `parsed`."""
    return RawResponse.build(
        status=200,
        headers=headers,
        url="https://api.example/x",
        method="POST",
        retries=1,
        elapsed=0.25,
        parsed=parsed,
        body=b'{"ok": true}',
    )


def test_build_reads_the_ids_whatever_the_case_and_redacts_cookies():
    """Request and session ids are found case-insensitively; a Set-Cookie value is not kept."""
    raw = raw_of(1, **{"x-request-id": "r-1", "X-SESSION-ID": "s-1", "Set-Cookie": "token=abc"})

    assert (raw.request_id, raw.session_id) == ("r-1", "s-1")
    assert "abc" not in str(dict(raw.headers))


def test_parse_text_and_repr():
    """`parse()` gives the result, `text` the body; the repr shows no body or header."""
    raw = raw_of({"answer": 42})

    assert raw.parse() == {"answer": 42}
    assert raw.text == '{"ok": true}'
    assert repr(raw) == (
        "RawResponse(status_code=200, request_id=None, retries=1, elapsed=0.250, "
        "url='https://api.example/x')"
    )


def test_with_result_keeps_everything_but_the_result():
    """The blocking twin swaps an async stream for its blocking one; the rest is unchanged."""
    raw = raw_of("async stream")

    swapped = raw.with_result("blocking stream")

    assert swapped.parse() == "blocking stream"
    assert (swapped.status_code, swapped.retries, swapped.url) == (200, 1, raw.url)


def test_a_recorder_that_saw_nothing_refuses():
    """A call that sent no request has no raw response: a clear `SequrityError`."""
    with pytest.raises(SequrityError, match="sent no request"):
        Recorder().response(1)


class Resource:
    """A toy async resource: its `get` answers through whatever its exchange records."""

    def __init__(self, recorder: Recorder | None = None) -> None:
        self.recorder = recorder

    def _recording(self, recorder: Recorder) -> Resource:
        return Resource(recorder)

    async def get(self, key: str, *, loud: bool = False) -> str:
        """Get `key`."""
        value = key.upper() if loud else key
        if self.recorder is not None:
            self.recorder.keep(raw_of(value))
        return value


class Facade:
    """A toy blocking facade over `Resource`, shaped like a generated one."""

    def __init__(self, resource: Resource) -> None:
        self._async = resource

    def get(self, key: str, *, loud: bool = False) -> str:
        """Get `key` (blocking)."""
        return key


async def test_raw_async_returns_the_result_with_what_the_exchange_recorded():
    """The raw twin runs the method on a recording copy and wraps its result."""
    resource = Resource()

    raw = await raw_async(resource.get)("k", loud=True)

    assert (raw.parse(), raw.status_code, resource.recorder) == ("K", 200, None)


def test_raw_twins_keep_the_methods_signature_and_doc():
    """`inspect.signature` and the docstring of a raw twin are the method's own."""
    resource = Resource()
    twin = raw_async(resource.get)

    assert inspect.signature(twin) == inspect.signature(resource.get)
    assert twin.__doc__ == "Get `key`."


def test_raw_blocking_wraps_what_the_facade_returned():
    """The facade runs on a recording copy; the result is the facade's, with the recorded metadata."""

    class Recording(Facade):
        def get(self, key: str, *, loud: bool = False) -> str:
            assert self._async.recorder is not None
            self._async.recorder.keep(raw_of("async value"))
            return "blocking value"

    facade = Recording(Resource())

    raw = raw_blocking(facade.get)("k")

    assert (raw.parse(), raw.status_code) == ("blocking value", 200)
    assert facade._async.recorder is None  # the copy recorded, not the facade's own resource


def test_a_plain_function_has_no_raw_twin():
    """Only bound methods of resources have raw twins (they need the resource to copy)."""

    async def free(key: str) -> str:
        return key

    with pytest.raises(TypeError, match="bound method"):
        raw_async(free)
