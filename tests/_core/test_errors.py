"""Tests for the pure HTTP-error mapping in `sequrity._core._errors`."""

from __future__ import annotations

import json

import pytest
from multidict import CIMultiDict

from sequrity import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    SequrityAPIError,
    SequrityError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from sequrity._core._errors import (
    REQUEST_ID_HEADERS,
    error_from_response,
    message_of,
    request_id_of,
)

NO_HEADERS: CIMultiDict[str] = CIMultiDict()


def json_body(data: object) -> bytes:
    """Encode `data` as a JSON response body."""
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, RequestTooLargeError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, ServiceUnavailableError),
        (504, InternalServerError),
        (599, InternalServerError),
    ],
)
def test_maps_each_status_to_its_error_class(status: int, expected: type[SequrityAPIError]) -> None:
    """Every documented status produces exactly its typed error class."""
    exc = error_from_response(status, NO_HEADERS, json_body({"detail": "x"}))

    assert type(exc) is expected
    assert exc.status_code == status


@pytest.mark.parametrize("status", [402, 405, 408, 410, 418, 451])
def test_maps_other_4xx_to_the_base_api_error(status: int) -> None:
    """A 4xx without a dedicated class is a plain SequrityAPIError carrying the status."""
    exc = error_from_response(status, NO_HEADERS, b"nope")

    assert (type(exc), exc.status_code) == (SequrityAPIError, status)


def test_service_unavailable_is_an_internal_server_error() -> None:
    """503 can be caught as a generic 5xx error."""
    exc = error_from_response(503, NO_HEADERS, b"")

    assert isinstance(exc, InternalServerError)


@pytest.mark.parametrize("status", [400, 401, 404, 429, 500, 503, 418])
def test_every_api_error_is_a_sequrity_error(status: int) -> None:
    """Callers catching SequrityError catch every HTTP error."""
    exc = error_from_response(status, NO_HEADERS, b"")

    assert isinstance(exc, SequrityError)


def test_message_comes_from_a_string_detail() -> None:
    """FastAPI's `{"detail": "..."}` becomes the message."""
    exc = error_from_response(401, NO_HEADERS, json_body({"detail": "Invalid API key"}))

    assert exc.message == "Invalid API key"


def test_message_describes_a_fastapi_validation_list() -> None:
    """A FastAPI 422 detail list becomes `loc: msg` entries joined by `; `."""
    detail = [
        {"loc": ["body", "messages", 0, "role"], "msg": "field required", "type": "missing"},
        {"loc": ["body", "model"], "msg": "str type expected", "type": "type_error"},
    ]

    exc = error_from_response(422, NO_HEADERS, json_body({"detail": detail}))

    assert exc.message == "body.messages.0.role: field required; body.model: str type expected"


def test_message_of_a_detail_list_item_without_loc_is_its_msg() -> None:
    """A detail entry with `msg` but no `loc` contributes its msg alone."""
    message = message_of(422, {"detail": [{"msg": "bad"}]}, "")

    assert message == "bad"


def test_message_of_a_detail_list_of_plain_values_is_their_json() -> None:
    """Detail entries that are not FastAPI objects are shown as JSON."""
    message = message_of(400, {"detail": ["first", {"code": 7}]}, "")

    assert message == '"first"; {"code": 7}'


def test_message_of_an_object_detail_is_its_json() -> None:
    """A detail object is shown as JSON, not a Python repr."""
    message = message_of(400, {"detail": {"reason": "größe"}}, "")

    assert message == '{"reason": "größe"}'


def test_message_falls_back_to_the_message_key() -> None:
    """Without `detail`, the `message` key is the message."""
    exc = error_from_response(500, NO_HEADERS, json_body({"message": "upstream failed"}))

    assert exc.message == "upstream failed"


def test_empty_detail_falls_back_to_message() -> None:
    """An empty `detail` string does not hide a useful `message`."""
    exc = error_from_response(400, NO_HEADERS, json_body({"detail": "", "message": "bad header"}))

    assert exc.message == "bad header"


def test_detail_wins_over_message() -> None:
    """When both are present, `detail` is the message."""
    exc = error_from_response(400, NO_HEADERS, json_body({"detail": "d", "message": "m"}))

    assert exc.message == "d"


def test_message_comes_from_an_openai_style_error_object() -> None:
    """OpenAI-style `{"error": {"message": ...}}` bodies give their message."""
    body = json_body({"error": {"message": "Rate limit reached", "type": "rate_limit"}})

    exc = error_from_response(429, NO_HEADERS, body)

    assert exc.message == "Rate limit reached"


def test_message_comes_from_a_string_error() -> None:
    """`{"error": "..."}` gives that string."""
    exc = error_from_response(502, NO_HEADERS, json_body({"error": "bad gateway"}))

    assert exc.message == "bad gateway"


def test_message_is_the_raw_text_of_a_non_json_body() -> None:
    """A plain-text (or HTML) body is the message, stripped."""
    exc = error_from_response(502, NO_HEADERS, b"  <html>Bad Gateway</html>\n")

    assert exc.message == "<html>Bad Gateway</html>"


def test_message_is_the_raw_text_of_a_json_object_without_known_keys() -> None:
    """A JSON object with no known message key falls back to the raw body text."""
    exc = error_from_response(400, NO_HEADERS, b'{"code": 17}')

    assert exc.message == '{"code": 17}'


def test_message_of_a_very_long_text_body_is_truncated() -> None:
    """A huge text body does not become a huge message."""
    exc = error_from_response(500, NO_HEADERS, b"x" * 5000)

    assert exc.message == "x" * 2000


@pytest.mark.parametrize("raw", [b"", b"   \n"])
def test_message_of_an_empty_body_names_the_status(raw: bytes) -> None:
    """An empty body still gives a useful message: `HTTP <status>`."""
    exc = error_from_response(503, NO_HEADERS, raw)

    assert (exc.message, str(exc)) == ("HTTP 503", "[503] HTTP 503")


def test_non_utf8_body_is_decoded_with_replacement_characters() -> None:
    """A body that is not UTF-8 does not raise; bad bytes become U+FFFD."""
    exc = error_from_response(500, NO_HEADERS, b"boom \xff\xfe end")

    assert (exc.message, exc.body) == ("boom \ufffd\ufffd end", "boom \ufffd\ufffd end")


def test_json_body_is_kept_decoded() -> None:
    """`body` holds the decoded JSON object when the body was JSON."""
    data = {"detail": "nope", "code": "E42"}

    exc = error_from_response(400, NO_HEADERS, json_body(data))

    assert exc.body == data


def test_text_body_is_kept_as_text() -> None:
    """`body` holds the text when the body was not JSON."""
    exc = error_from_response(404, NO_HEADERS, b"Not Found")

    assert exc.body == "Not Found"


def test_empty_body_is_kept_as_empty_text() -> None:
    """An empty body is kept as an empty string, not None."""
    exc = error_from_response(500, NO_HEADERS, b"")

    assert exc.body == ""


def test_str_shows_status_message_and_request_id() -> None:
    """`str(exc)` is `[status] message (request id ...)`."""
    headers = CIMultiDict({"X-Request-ID": "req-123"})

    exc = error_from_response(404, headers, json_body({"detail": "Not Found"}))

    assert str(exc) == "[404] Not Found (request id req-123)"


def test_str_without_request_id_has_no_suffix() -> None:
    """Without a request id, `str(exc)` is just `[status] message`."""
    exc = error_from_response(404, NO_HEADERS, json_body({"detail": "Not Found"}))

    assert str(exc) == "[404] Not Found"


@pytest.mark.parametrize("name", REQUEST_ID_HEADERS)
def test_request_id_is_read_from_each_known_header(name: str) -> None:
    """Every supported request-id header name is recognised."""
    exc = error_from_response(500, CIMultiDict({name: "rid-7"}), b"")

    assert exc.request_id == "rid-7"


@pytest.mark.parametrize(
    "name",
    ["X-Request-ID", "X-REQUEST-ID", "Request-Id", "X-Sequrity-Request-Id", "X-Amzn-RequestId"],
)
def test_request_id_header_names_are_case_insensitive(name: str) -> None:
    """Request-id headers are found whatever their capitalisation on the wire."""
    assert request_id_of(CIMultiDict({name: "rid-9"})) == "rid-9"


def test_request_id_prefers_x_request_id() -> None:
    """When several request-id headers are present, `x-request-id` wins."""
    headers = CIMultiDict({"x-amzn-requestid": "amzn", "request-id": "plain", "x-request-id": "x"})

    assert request_id_of(headers) == "x"


def test_empty_request_id_header_is_skipped() -> None:
    """An empty request-id header does not hide a later, non-empty one."""
    headers = CIMultiDict({"x-request-id": "", "request-id": "rid-2"})

    assert request_id_of(headers) == "rid-2"


def test_request_id_is_none_without_a_header() -> None:
    """No request-id header means `request_id is None`."""
    exc = error_from_response(500, CIMultiDict({"Content-Type": "text/plain"}), b"")

    assert exc.request_id is None


def test_credentials_are_redacted_from_the_error_headers() -> None:
    """Authorization and X-Api-Key values never appear in `exc.headers`."""
    headers = CIMultiDict(
        {
            "Authorization": "Bearer sq-secret-key",
            "X-Api-Key": "sk-llm-secret",
            "Set-Cookie": "session=abc",
            "Content-Type": "application/json",
        }
    )

    exc = error_from_response(401, headers, json_body({"detail": "bad key"}))

    assert exc.headers == {
        "Authorization": "<redacted>",
        "X-Api-Key": "<redacted>",
        "Set-Cookie": "<redacted>",
        "Content-Type": "application/json",
    }


def test_credentials_never_appear_in_the_error_text() -> None:
    """Neither `str(exc)` nor `repr(exc)` nor the headers leak a key."""
    headers = CIMultiDict({"authorization": "Bearer sq-secret-key", "x-api-key": "sk-llm-secret"})

    exc = error_from_response(401, headers, json_body({"detail": "bad key"}))
    shown = str(exc) + repr(exc) + repr(exc.headers)

    assert ("sq-secret-key" in shown, "sk-llm-secret" in shown) == (False, False)


def test_error_headers_are_a_plain_copy() -> None:
    """Changing the response headers afterwards does not change the error's headers."""
    headers = CIMultiDict({"X-Trace": "a"})
    exc = error_from_response(500, headers, b"")

    headers["X-Trace"] = "b"

    assert exc.headers == {"X-Trace": "a"}


def test_rate_limit_error_carries_retry_after_seconds() -> None:
    """A 429 with `Retry-After: 7` tells the caller to wait 7 seconds."""
    exc = error_from_response(429, CIMultiDict({"Retry-After": "7"}), b"")

    assert isinstance(exc, RateLimitError)
    assert exc.retry_after == 7.0


def test_rate_limit_error_retry_after_from_an_http_date() -> None:
    """A 429 with an HTTP-date `Retry-After` is converted against `now`."""
    headers = CIMultiDict({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"})

    exc = error_from_response(429, headers, b"", now=1445412480.0)

    assert isinstance(exc, RateLimitError)
    assert exc.retry_after == 30.0


def test_rate_limit_error_without_retry_after_is_none() -> None:
    """A 429 without `Retry-After` has `retry_after is None`."""
    exc = error_from_response(429, NO_HEADERS, json_body({"detail": "slow down"}))

    assert isinstance(exc, RateLimitError)
    assert (exc.retry_after, exc.message) == (None, "slow down")


def test_a_404_message_names_the_url_that_was_not_found() -> None:
    """A 404 says which URL was tried (a wrong base URL shows at once); other statuses do not."""
    url = "https://proxy.example/api/control/chat/v1/chat/completions"

    missing = error_from_response(404, NO_HEADERS, json_body({"detail": "Not Found"}), url=url)
    refused = error_from_response(400, NO_HEADERS, json_body({"detail": "bad"}), url=url)

    assert isinstance(missing, NotFoundError)
    assert (missing.message, missing.url) == ("Not Found", url)
    assert str(missing) == f"[404] Not Found at {url}"
    assert url not in str(refused)
