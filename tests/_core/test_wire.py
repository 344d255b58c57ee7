"""Tests for the transport-boundary values in `sequrity._core._wire`."""

from __future__ import annotations

import attrs
import pytest

from sequrity import SequrityValidationError
from sequrity._core._wire import ApiRequest, ApiResponse, Timeout

BASE = Timeout(connect=5.0, read=30.0, total=60.0, stream_idle=15.0)


def test_default_timeout_values() -> None:
    """The defaults are 10 s connect, 300 s read, 600 s total and no stream-idle limit."""
    t = Timeout()

    assert (t.connect, t.read, t.total, t.stream_idle) == (10.0, 300.0, 600.0, None)


def test_timeout_accepts_none_for_every_limit() -> None:
    """`None` means "no limit" for each deadline."""
    t = Timeout(connect=None, read=None, total=None, stream_idle=None)

    assert attrs.astuple(t) == (None, None, None, None)


@pytest.mark.parametrize("field", ["connect", "read", "total", "stream_idle"])
@pytest.mark.parametrize("value", [0, 0.0, -1, -0.5, float("nan")])
def test_timeout_refuses_non_positive_or_nan_limits(field: str, value: float) -> None:
    """Zero, negative and NaN deadlines are refused with the field named."""
    with pytest.raises(SequrityValidationError) as info:
        Timeout(**{field: value})

    assert f"Timeout.{field}" in str(info.value)


def test_timeout_is_immutable() -> None:
    """A Timeout cannot be changed after it is built."""
    t = Timeout()

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        t.total = 1.0  # type: ignore[misc]

    assert t.total == 600.0


def test_coerce_returns_a_timeout_unchanged() -> None:
    """A `Timeout` argument is used exactly as given."""
    given = Timeout(connect=1.0, read=2.0, total=3.0, stream_idle=4.0)

    assert Timeout.coerce(given, BASE) is given


def test_coerce_number_sets_total_and_keeps_other_limits() -> None:
    """`timeout=20` changes only the total deadline of the client's base."""
    assert Timeout.coerce(20, BASE) == Timeout(connect=5.0, read=30.0, total=20.0, stream_idle=15.0)


def test_coerce_float_sets_total() -> None:
    """A float number of seconds sets the total deadline as a float."""
    result = Timeout.coerce(2.5, BASE)

    assert (result.total, type(result.total)) == (2.5, float)


def test_coerce_int_becomes_float() -> None:
    """An integer number of seconds is stored as a float."""
    assert type(Timeout.coerce(7, BASE).total) is float


def test_coerce_none_removes_every_limit() -> None:
    """`timeout=None` means no deadline at all."""
    assert Timeout.coerce(None, BASE) == Timeout(
        connect=None, read=None, total=None, stream_idle=None
    )


@pytest.mark.parametrize("value", [True, False, "10", [10], object()])
def test_coerce_refuses_non_numbers(value: object) -> None:
    """Booleans, strings and other objects are refused, with the value shown."""
    with pytest.raises(SequrityValidationError) as info:
        Timeout.coerce(value, BASE)  # type: ignore[arg-type]

    assert "timeout must be a number of seconds" in str(info.value)


@pytest.mark.parametrize("value", [0, -3, float("nan")])
def test_coerce_refuses_non_positive_numbers(value: float) -> None:
    """A zero, negative or NaN per-call timeout is refused."""
    with pytest.raises(SequrityValidationError) as info:
        Timeout.coerce(value, BASE)

    assert "Timeout.total" in str(info.value)


def test_coerce_does_not_change_the_base() -> None:
    """Coercing a per-call timeout leaves the client's base untouched."""
    Timeout.coerce(1, BASE)

    assert BASE.total == 60.0


def make_request(headers: dict[str, str]) -> ApiRequest:
    """Build a small request with `headers`."""
    return ApiRequest(
        "POST", "https://api.example/control/chat/v1/chat/completions", headers, b"{}", Timeout()
    )


def test_request_repr_redacts_credentials() -> None:
    """`repr(request)` hides Authorization and X-Api-Key but shows other headers."""
    request = make_request(
        {
            "Authorization": "Bearer sq-secret",
            "X-Api-Key": "sk-llm-secret",
            "Accept": "application/json",
        }
    )

    assert repr(request) == (
        "ApiRequest(method='POST', url='https://api.example/control/chat/v1/chat/completions', "
        "headers={'Authorization': '<redacted>', 'X-Api-Key': '<redacted>', "
        "'Accept': 'application/json'}, body=<2 bytes>, stream=False)"
    )


@pytest.mark.parametrize(
    "name", ["authorization", "AUTHORIZATION", "x-api-key", "Proxy-Authorization", "Cookie"]
)
def test_request_repr_redacts_whatever_the_capitalisation(name: str) -> None:
    """Redaction does not depend on how the header name is capitalised."""
    request = make_request({name: "top-secret-value"})

    assert "top-secret-value" not in repr(request)


def test_request_repr_shows_body_size_not_content() -> None:
    """The body is summarised by its size so prompts do not end up in logs."""
    request = ApiRequest("POST", "https://h", {}, b'{"secret": "prompt"}', Timeout(), stream=True)

    assert repr(request).endswith("body=<20 bytes>, stream=True)")


def test_request_repr_of_no_body() -> None:
    """A request without a body shows zero bytes."""
    request = ApiRequest("GET", "https://h", {}, None, Timeout())

    assert "body=<0 bytes>" in repr(request)


def test_request_keeps_real_header_values() -> None:
    """Redaction is only for display: the request still carries the real key."""
    request = make_request({"Authorization": "Bearer sq-secret"})

    assert request.headers["Authorization"] == "Bearer sq-secret"


def test_response_repr_redacts_set_cookie() -> None:
    """`repr(response)` hides cookies the server set."""
    response = ApiResponse(200, {"Set-Cookie": "sid=secret", "X-Session-ID": "s1"}, b"{}")

    assert repr(response) == (
        "ApiResponse(status=200, headers={'Set-Cookie': '<redacted>', 'X-Session-ID': 's1'}, "
        "body=<2 bytes>)"
    )
