"""
Secrets stay secret: no API key in logs, reprs, errors or raw responses; header injection and
clear-text HTTP to remote hosts are refused; redirects are never followed.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import anyio
import pytest
from aiohttp import web

from sequrity import (
    AiohttpTransport,
    ApiRequest,
    ApiResponse,
    AsyncSequrityClient,
    ControlConfig,
    RetryEvent,
    RetryPolicy,
    SequrityAPIError,
    SequrityClient,
    SequrityError,
    SequrityValidationError,
    Timeout,
)
from sequrity._logging import configure_from_env, logger
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

API_KEY = "sq-SECRET-api-key-7f3a9c"
LLM_KEY = "sk-LLM-SECRET-b81e2d"
SECRETS = (API_KEY, LLM_KEY, "SECRET")
MODEL = "openai/gpt-5-mini"
PROMPT = "What is the largest prime number below 100?"
HELLO = [{"role": "user", "content": PROMPT}]
FAST_RETRY = RetryPolicy(initial_backoff=0, max_backoff=0)


def assert_no_secret(text: str) -> None:
    """Neither key, nor any part marked SECRET, appears in `text`."""
    for secret in SECRETS:
        assert secret not in text


class RecordingTransport:
    """Delegates to aiohttp and keeps every `ApiRequest` and `ApiResponse` it handled."""

    def __init__(self) -> None:
        self.inner = AiohttpTransport()
        self.requests: list[ApiRequest] = []
        self.responses: list[ApiResponse] = []

    async def send(self, request: ApiRequest) -> ApiResponse:
        self.requests.append(request)
        response = await self.inner.send(request)
        self.responses.append(response)
        return response

    async def open_stream(self, request: ApiRequest) -> Any:
        self.requests.append(request)
        return await self.inner.open_stream(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def recording() -> RecordingTransport:
    """A transport that records what went over it."""
    return RecordingTransport()


@pytest.fixture
async def secret_client(
    emulator: Emulator, recording: RecordingTransport
) -> AsyncIterator[tuple[AsyncSequrityClient, list[RetryEvent]]]:
    """An async client holding both secrets (API key and BYOK key), recording retries."""
    events: list[RetryEvent] = []
    async with AsyncSequrityClient(
        API_KEY,
        base_url=emulator.base_url,
        control=ControlConfig(llm_api_key=LLM_KEY),
        retry=FAST_RETRY,
        on_retry=events.append,
        transport=recording,
    ) as c:
        yield c, events


async def scenario(client: AsyncSequrityClient, emulator: Emulator) -> list[SequrityError]:
    """Plain, stream, retried and failing calls; return every error raised."""
    chat = client.control.chat
    errors: list[SequrityError] = []
    await chat.create(HELLO, MODEL)
    await chat.create(HELLO, MODEL, llm_api_key=LLM_KEY)
    async with await chat.create(HELLO, MODEL, stream=True) as s:
        [c async for c in s]
    emulator.faults.next_n(1).status(503)
    emulator.faults.next_n(1).reset()
    await chat.create(HELLO, MODEL)
    faults = [
        lambda f: f.status(400),
        lambda f: f.status(401),
        lambda f: f.status(429, retry_after=999),
        lambda f: f.truncate_body(),
        lambda f: f.reset(during_body=True),
        lambda f: f.delay(0.3),
    ]
    for install in faults:
        install(emulator.faults.next_n(3))
        try:
            await chat.create(HELLO, MODEL, timeout=Timeout(total=0.1))
        except SequrityError as exc:
            errors.append(exc)
        emulator.faults.clear()
    for install in (lambda f: f.stream_error(), lambda f: f.status(503)):
        install(emulator.faults.next_n(3))
        try:
            async with await chat.create(HELLO, MODEL, stream=True) as s:
                [c async for c in s]
        except SequrityError as exc:
            errors.append(exc)
        emulator.faults.clear()
    try:
        await chat.create(HELLO, MODEL, session_id="bad\r\nX-Evil: 1")
    except SequrityError as exc:
        errors.append(exc)
    return errors


@pytest.fixture
def restore_logger() -> Iterator[None]:
    """Undo `configure_from_env`'s handler and level on the `sequrity` logger."""
    handlers, level = list(logger.handlers), logger.level
    try:
        yield
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)


# -- logs --------------------------------------------------------------------------------------


async def test_debug_log_never_contains_either_key(
    secret_client, emulator, capsys, restore_logger, monkeypatch
):
    """With SEQURITY_LOG=debug every exchange is logged, with both keys redacted."""
    monkeypatch.delenv("SEQURITY_LOG_BODIES", raising=False)
    configure_from_env({"SEQURITY_LOG": "debug"})
    client, _ = secret_client

    await scenario(client, emulator)

    err = capsys.readouterr().err
    assert "sequrity DEBUG POST " in err
    assert "-> 200" in err
    assert "-> 400" in err
    assert "'Authorization': '<redacted>'" in err
    assert "'X-Api-Key': '<redacted>'" in err
    assert "sequrity INFO retrying POST" in err
    assert_no_secret(err)
    assert PROMPT not in err


async def test_caplog_at_debug_sees_no_key_and_no_body(
    secret_client, emulator, caplog, monkeypatch
):
    """Every record on logger `sequrity`, formatted with its arguments, is free of keys and bodies."""
    monkeypatch.delenv("SEQURITY_LOG_BODIES", raising=False)
    caplog.set_level(logging.DEBUG, logger="sequrity")
    client, _ = secret_client

    await scenario(client, emulator)

    records = [r for r in caplog.records if r.name.startswith("sequrity")]
    assert len(records) > 10
    text = "\n".join(f"{r.getMessage()} {r.args!r}" for r in records)
    assert_no_secret(text)
    assert PROMPT not in text
    assert "body" not in text


async def test_bodies_are_logged_only_when_asked(secret_client, emulator, caplog, monkeypatch):
    """SEQURITY_LOG_BODIES=1 adds request and response bodies, still without keys."""
    monkeypatch.setenv("SEQURITY_LOG_BODIES", "1")
    caplog.set_level(logging.DEBUG, logger="sequrity")
    client, _ = secret_client

    await client.control.chat.create(HELLO, MODEL)

    messages = [r.getMessage() for r in caplog.records if r.name == "sequrity"]
    assert any(m.startswith("request body: ") and PROMPT in m for m in messages)
    assert any(m.startswith("response body: ") and "97" in m for m in messages)
    assert_no_secret("\n".join(messages))


async def test_nothing_is_logged_at_debug_unless_enabled(secret_client, emulator, caplog):
    """At the default level the SDK writes no DEBUG line."""
    caplog.set_level(logging.WARNING)
    client, _ = secret_client

    await client.control.chat.create(HELLO, MODEL)

    assert [r for r in caplog.records if r.name == "sequrity"] == []


# -- reprs and errors --------------------------------------------------------------------------


def exception_texts(exc: BaseException) -> Iterator[str]:
    """repr, str and traceback of `exc` and of every exception chained to it."""
    yield "".join(traceback.format_exception(exc))
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield repr(current)
        yield str(current)
        current = current.__cause__ or current.__context__


async def test_no_error_raised_by_the_scenario_reveals_a_key(secret_client, emulator):
    """repr, str, traceback, headers and body of every error (and its causes) hold no key."""
    client, events = secret_client

    errors = await scenario(client, emulator)

    assert len(errors) == 9
    for exc in errors:
        for text in exception_texts(exc):
            assert_no_secret(text)
        assert_no_secret(repr(getattr(exc, "headers", {})))
        assert_no_secret(repr(getattr(exc, "body", "")))
        assert_no_secret(repr(vars(exc)))
    assert events
    for event in events:
        assert_no_secret(repr(event))


async def test_reprs_of_clients_config_request_and_raw_response_hide_keys(
    secret_client, emulator, recording
):
    """Client, ControlConfig, ApiRequest, ApiResponse and RawResponse reprs hold no key."""
    client, _ = secret_client
    sync = SequrityClient(API_KEY, base_url=emulator.base_url, control=client.config)
    try:
        raw = await client.control.chat.with_raw_response.create(HELLO, MODEL)

        texts = [
            repr(client),
            str(client),
            repr(sync),
            str(sync),
            repr(client.config),
            repr(ControlConfig(llm_api_key=LLM_KEY)),
            repr(client.control),
            repr(raw),
            str(raw),
            repr(raw.headers),
            *(repr(r) for r in recording.requests),
            *(repr(r) for r in recording.responses),
        ]
    finally:
        await anyio.to_thread.run_sync(sync.close)

    assert recording.requests[-1].headers["Authorization"] == "Bearer " + API_KEY
    assert "'Authorization': '<redacted>'" in repr(recording.requests[-1])
    assert "'X-Api-Key': '<redacted>'" in repr(recording.requests[-1])
    for text in texts:
        assert_no_secret(text)


# -- header injection --------------------------------------------------------------------------

INJECTIONS = [
    pytest.param({"llm_api_key": "sk-SECRET\r\nX-Evil: 1"}, id="llm_api_key-crlf"),
    pytest.param({"llm_api_key": "sk-SECRET\nX-Evil: 1"}, id="llm_api_key-lf"),
    pytest.param({"llm_api_key": "sk-SECRET\x00"}, id="llm_api_key-nul"),
    pytest.param({"llm_api_key": "sk-SECRET-é"}, id="llm_api_key-non-ascii"),
    pytest.param({"session_id": "abc\r\nX-Evil: 1"}, id="session_id-crlf"),
    pytest.param({"session_id": "abc\rX-Evil: 1"}, id="session_id-cr"),
    pytest.param({"custom_headers": {"X-Note": "a\r\nX-Evil: 1"}}, id="custom-value"),
    pytest.param({"custom_headers": {"X-Note\r\nX-Evil": "1"}}, id="custom-name-crlf"),
    pytest.param({"custom_headers": {"X-Note\n": "1"}}, id="custom-name-lf"),
    pytest.param({"custom_headers": {"X-Evil: 1\r\nX-Note": "1"}}, id="custom-name-colon"),
    pytest.param({"custom_headers": {"Authorization": "Bearer SECRET\r\nX: 1"}}, id="custom-auth"),
    pytest.param({"custom_headers": {"": "1"}}, id="custom-empty-name"),
]


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("kwargs", INJECTIONS)
async def test_header_injection_is_refused_before_sending(api, emulator, kwargs, stream):
    """CR, LF or NUL in any header name or value raises SequrityValidationError; nothing is sent."""
    call = api.stream if stream else api.call

    with pytest.raises(SequrityValidationError) as info:
        await call("control.chat.create", HELLO, MODEL, **kwargs)

    assert emulator.requests == []
    assert_no_secret(str(info.value))


@pytest.mark.parametrize("cls", [AsyncSequrityClient, SequrityClient])
@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"api_key": "sq-SECRET\r\nX-Evil: 1"}, id="api_key"),
        pytest.param({"api_key": "sq-SECRET\n"}, id="api_key-trailing-lf"),
        pytest.param({"default_headers": {"X-Note": "a\nb"}}, id="default-value"),
        pytest.param({"default_headers": {"X-No\rte": "a"}}, id="default-name"),
    ],
)
def test_header_injection_in_client_settings_is_refused_at_construction(cls, kwargs):
    """A CR/LF in the API key or a default header is refused when the client is built."""
    args = {"api_key": "sq-k", "base_url": "http://127.0.0.1:1", **kwargs}

    with pytest.raises(SequrityValidationError) as info:
        cls(**args)

    assert_no_secret(str(info.value))


async def test_header_injection_in_control_config_key_is_refused(emulator):
    """A BYOK key with a line break in ControlConfig never reaches the wire."""

    async def attempt() -> None:
        config = ControlConfig(llm_api_key="sk-SECRET\r\nX-Evil: 1")
        async with AsyncSequrityClient("sq-k", base_url=emulator.base_url, control=config) as c:
            await c.control.chat.create(HELLO, MODEL)

    with pytest.raises(SequrityValidationError) as info:
        await attempt()

    assert emulator.requests == []
    assert_no_secret(str(info.value))


# -- clear-text HTTP ---------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [AsyncSequrityClient, SequrityClient])
@pytest.mark.parametrize(
    "url",
    [
        "http://api.sequrity.ai",
        "http://10.0.0.7:8000",
        "http://0.0.0.0:8000",
        "http://localhost.evil.example",
        "http://127.0.0.1.nip.io",
        "HTTP://example.com",
    ],
)
def test_plain_http_to_a_remote_host_is_refused(cls, url):
    """The API key is never sent in clear text to a non-loopback host by default."""
    with pytest.raises(SequrityValidationError) as info:
        cls(API_KEY, base_url=url)

    assert "allow_insecure_http=True" in str(info.value)
    assert_no_secret(str(info.value))


def test_plain_http_from_the_environment_is_refused(monkeypatch):
    """SEQURITY_BASE_URL=http://remote is refused like an explicit base_url."""
    monkeypatch.setenv("SEQURITY_BASE_URL", "http://api.sequrity.ai")

    with pytest.raises(SequrityValidationError):
        AsyncSequrityClient(API_KEY)


@pytest.mark.parametrize("cls", [AsyncSequrityClient, SequrityClient])
def test_plain_http_to_a_remote_host_is_allowed_when_opted_in(cls):
    """`allow_insecure_http=True` accepts plain HTTP to a remote host."""
    client = cls(API_KEY, base_url="http://10.0.0.7:8000", allow_insecure_http=True)

    assert client.base_url == "http://10.0.0.7:8000"
    if isinstance(client, SequrityClient):
        client.close()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://127.9.9.9", "http://localhost:1", "http://[::1]:80"],
)
def test_plain_http_to_loopback_is_allowed(url):
    """Loopback hosts (the emulator) may use plain HTTP."""
    assert AsyncSequrityClient(API_KEY, base_url=url).base_url == url


# -- redirects ---------------------------------------------------------------------------------


@pytest.fixture
async def redirect_pair() -> AsyncIterator[tuple[str, list[web.Request], list[int]]]:
    """Server A redirects every request to server B; B counts what it receives."""
    received: list[web.Request] = []
    status_box = [307]

    async def target(request: web.Request) -> web.Response:
        received.append(request)
        return web.json_response({"detail": "should never be reached"})

    app_b = web.Application()
    app_b.router.add_route("*", "/{tail:.*}", target)
    runner_b = web.AppRunner(app_b)
    await runner_b.setup()
    site_b = web.TCPSite(runner_b, "127.0.0.1", 0)
    await site_b.start()
    port_b = runner_b.addresses[0][1]

    async def redirect(request: web.Request) -> web.Response:
        location = f"http://127.0.0.1:{port_b}{request.path}"
        return web.Response(status=status_box[0], headers={"Location": location})

    app_a = web.Application()
    app_a.router.add_route("*", "/{tail:.*}", redirect)
    runner_a = web.AppRunner(app_a)
    await runner_a.setup()
    site_a = web.TCPSite(runner_a, "127.0.0.1", 0)
    await site_a.start()
    port_a = runner_a.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port_a}", received, status_box
    finally:
        await runner_a.cleanup()
        await runner_b.cleanup()


@pytest.mark.parametrize("mode", ["async", "sync"])
@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirects_are_never_followed(redirect_pair, mode, stream, status):
    """A redirect raises a typed error naming it; the redirect target receives nothing."""
    base_url, received, status_box = redirect_pair
    status_box[0] = status

    def run_sync() -> BaseException:
        with SequrityClient(API_KEY, base_url=base_url, retry=FAST_RETRY) as c:
            try:
                result = c.control.chat.create(HELLO, MODEL, stream=stream, llm_api_key=LLM_KEY)
                if stream:
                    list(result)
            except Exception as exc:
                return exc
        raise AssertionError("no error")

    async def run_async() -> BaseException:
        async with AsyncSequrityClient(API_KEY, base_url=base_url, retry=FAST_RETRY) as c:
            try:
                result = await c.control.chat.create(
                    HELLO, MODEL, stream=stream, llm_api_key=LLM_KEY
                )
                if stream:
                    async with result as s:
                        [e async for e in s]
            except Exception as exc:
                return exc
        raise AssertionError("no error")

    if mode == "async":
        exc = await run_async()
    else:
        exc = await anyio.to_thread.run_sync(run_sync)

    assert type(exc) is SequrityAPIError
    assert exc.status_code == status
    assert "unexpected redirect" in str(exc)
    assert received == []
    for text in exception_texts(exc):
        assert_no_secret(text)


async def test_redirect_servers_work(redirect_pair):
    """Sanity check of the fixture: a client that follows redirects does reach server B."""
    base_url, received, _ = redirect_pair

    async with aiohttp.ClientSession() as http, http.post(base_url + "/x") as resp:
        await resp.read()

    assert len(received) == 1
