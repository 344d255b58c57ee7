"""Tests for `Retry-After` parsing in `sequrity._core._retry`."""

from __future__ import annotations

import email.utils

import pytest
from multidict import CIMultiDict

from sequrity._core._retry import parse_retry_after

NOW = 1_700_000_000.0


def headers(**values: str) -> CIMultiDict[str]:
    """Build case-insensitive headers from keyword arguments (`_` becomes `-`)."""
    return CIMultiDict({k.replace("_", "-"): v for k, v in values.items()})


def test_reads_whole_seconds() -> None:
    """`Retry-After: 5` means wait 5 seconds."""
    assert parse_retry_after(headers(Retry_After="5")) == 5.0


def test_reads_fractional_seconds() -> None:
    """A fractional number of seconds is kept."""
    assert parse_retry_after(headers(Retry_After="1.5")) == 1.5


def test_reads_zero_seconds() -> None:
    """`Retry-After: 0` means retry now (not "no value")."""
    assert parse_retry_after(headers(Retry_After="0")) == 0.0


def test_ignores_surrounding_whitespace() -> None:
    """Whitespace around the value does not make it unparsable."""
    assert parse_retry_after(headers(Retry_After="  12 ")) == 12.0


def test_header_name_is_case_insensitive() -> None:
    """`RETRY-AFTER` is read like `Retry-After`."""
    assert parse_retry_after(CIMultiDict({"RETRY-AFTER": "3"})) == 3.0


def test_reads_milliseconds_header() -> None:
    """`retry-after-ms: 250` means wait 0.25 seconds."""
    assert parse_retry_after(headers(retry_after_ms="250")) == 0.25


def test_milliseconds_header_wins_over_seconds() -> None:
    """When both headers are present, the millisecond one is used."""
    assert parse_retry_after(headers(Retry_After="10", retry_after_ms="1500")) == 1.5


@pytest.mark.parametrize("bad_ms", ["soon", "-5", "nan", "inf"])
def test_invalid_milliseconds_header_falls_back_to_seconds(bad_ms: str) -> None:
    """An unusable `retry-after-ms` does not hide a valid `Retry-After`."""
    assert parse_retry_after(headers(Retry_After="4", retry_after_ms=bad_ms)) == 4.0


def test_reads_an_http_date_relative_to_now() -> None:
    """An HTTP date in the future gives the seconds between `now` and that date."""
    when = email.utils.formatdate(NOW + 90, usegmt=True)

    assert parse_retry_after(headers(Retry_After=when), now=NOW) == 90.0


def test_a_past_http_date_means_zero() -> None:
    """A date already in the past means retry immediately."""
    when = email.utils.formatdate(NOW - 3600, usegmt=True)

    assert parse_retry_after(headers(Retry_After=when), now=NOW) == 0.0


def test_a_date_uses_the_clock_when_now_is_not_given() -> None:
    """Without `now=`, a date long past still yields zero (the real clock is used)."""
    assert parse_retry_after(headers(Retry_After="Wed, 21 Oct 2015 07:28:00 GMT")) == 0.0


def test_no_header_is_none() -> None:
    """No `Retry-After` header means no advice."""
    assert parse_retry_after(headers(Content_Type="application/json")) is None


def test_empty_header_is_none() -> None:
    """An empty `Retry-After` header means no advice."""
    assert parse_retry_after(headers(Retry_After="")) is None


@pytest.mark.parametrize(
    "value", ["soon", "-1", "-0.5", "nan", "NaN", "inf", "Infinity", "-inf", "1e999", "12 s"]
)
def test_garbage_negative_nan_and_infinite_values_are_none(value: str) -> None:
    """Values that are not a usable, finite, non-negative delay are ignored."""
    assert parse_retry_after(headers(Retry_After=value), now=NOW) is None


def test_plain_dict_with_lowercase_names_is_read() -> None:
    """A plain dict with lower-case names works too."""
    assert parse_retry_after({"retry-after": "2", "retry-after-ms": ""}) == 2.0
