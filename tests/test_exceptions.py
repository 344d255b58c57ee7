"""
The error tree as values: every public error survives `pickle` (so it crosses process boundaries,
as `multiprocessing` and `ProcessPoolExecutor` need) and keeps what a user reads from it.
"""

from __future__ import annotations

import copy
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

import sequrity
from sequrity import (
    RateLimitError,
    SequrityAPIError,
    SequrityConnectionError,
    SequrityDecodeError,
    SequrityError,
    SequrityLimitError,
    SequrityStreamError,
    SequrityTimeoutError,
    SequrityValidationError,
)
from sequrity.sqrt import SqrtEvalError, SqrtParseError

#: Response headers as aiohttp hands them over: a read-only case-insensitive proxy.
HEADERS = CIMultiDictProxy(
    CIMultiDict({"X-Request-ID": "req-1", "Retry-After": "7", "Set-Cookie": "session=abc"})
)


def response_error(cls: type[Any]) -> SequrityError:
    """An instance of a response-carrying error class, as the client builds it."""
    if cls is SequrityStreamError:
        return cls("broke", body="data: x", request_id="req-1", headers=HEADERS, events_received=3)
    if cls is RateLimitError:
        return cls(
            "slow down",
            status_code=429,
            body={"detail": "slow down"},
            headers=HEADERS,
            request_id="req-1",
            retry_after=7.0,
        )
    return cls(
        "nope", status_code=418, body={"detail": "nope"}, request_id="req-1", headers=HEADERS
    )


def example(cls: type[Any]) -> SequrityError:
    """One representative instance of every public error class."""
    if cls is SequrityTimeoutError:
        return cls("read", 2.5, url="https://api.example/x", detail="no bytes")
    if cls is SequrityConnectionError:
        return cls("server disconnected", url="https://api.example/x")
    if cls is SequrityValidationError:
        return cls("bad input", ["a: bad", "b: worse"])
    if cls is SqrtParseError:
        return cls("expected ';'", line=2, column=5, source_snippet="tool x {")
    if cls is SqrtEvalError:
        return cls("undefined name 'y'")
    if cls is SequrityError:
        return cls("something")
    if cls is SequrityLimitError:
        return cls("max_body_size", 1024, url="https://api.example/x", body="{", headers=HEADERS)
    if issubclass(cls, SequrityAPIError | SequrityDecodeError | SequrityStreamError):
        return response_error(cls)
    # a class added to the public surface without an example here must get one
    return cls("plain message")


def public_error_types() -> list[type[SequrityError]]:
    """Every error class a user can import from `sequrity` or `sequrity.sqrt`."""
    found = {
        obj
        for module in (sequrity, sequrity.sqrt)
        for name in module.__all__
        if isinstance(obj := getattr(module, name), type) and issubclass(obj, SequrityError)
    }
    return sorted(found, key=lambda c: c.__name__)


def visible(error: BaseException) -> dict[str, Any]:
    """What a user reads from an error: its type, text, args and public attributes."""
    return {
        "type": type(error),
        "str": str(error),
        "repr": repr(error),
        "args": error.args,
        **{k: v for k, v in vars(error).items() if not k.startswith("_")},
    }


@pytest.mark.parametrize("cls", public_error_types(), ids=lambda c: c.__name__)
def test_every_public_error_pickles_to_an_equal_error(cls):
    """A pickle round trip keeps type, message, status, body, request id and headers."""
    error = example(cls)

    restored = pickle.loads(pickle.dumps(error))

    assert visible(restored) == visible(error)


@pytest.mark.parametrize("cls", public_error_types(), ids=lambda c: c.__name__)
def test_every_public_error_can_be_copied(cls):
    """`copy.copy` and `copy.deepcopy` (which use the same protocol) give equal errors."""
    error = example(cls)

    assert visible(copy.copy(error)) == visible(error)
    assert visible(copy.deepcopy(error)) == visible(error)


def test_a_pickled_rate_limit_error_still_reads_its_retry_hint():
    """The case-insensitive response headers behind retry decisions survive pickling."""
    error = response_error(RateLimitError)

    restored = pickle.loads(pickle.dumps(error))

    assert restored._raw_headers.get("retry-after") == "7"
    assert restored.headers["Set-Cookie"] == "<redacted>"
    assert "session=abc" not in repr(pickle.dumps(error))


def raise_api_error(status: int) -> None:
    """Runs in a worker process: raise the error a client would raise for `status`."""
    from sequrity._core._errors import error_from_response

    raise error_from_response(status, HEADERS, b'{"detail": "from the worker"}')


def test_an_error_raised_in_a_process_pool_reaches_the_parent_intact():
    """`ProcessPoolExecutor` hands a worker's `RateLimitError` back instead of breaking the pool."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        future = pool.submit(raise_api_error, 429)

        with pytest.raises(RateLimitError) as caught:
            future.result(timeout=30)

    assert caught.value.status_code == 429
    assert caught.value.message == "from the worker"
    assert caught.value.request_id == "req-1"
    assert caught.value.retry_after == 7.0
