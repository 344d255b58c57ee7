"""
Bad input is refused with a `SequrityValidationError` before anything is sent, and the error never
echoes a secret: control characters and invalid names in headers, header objects of the wrong type,
an empty model, credentials inside the base URL, keys that are not strings. Through both clients.
"""

from __future__ import annotations

import logging

import pytest

from sequrity import AsyncSequrityClient, ControlConfig, SequrityClient, SequrityValidationError
from sequrity.control import FeaturesHeader

pytestmark = pytest.mark.anyio

SECRET = "sk-SECRET-b81e2d"
MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]


def assert_not_echoed(error: BaseException) -> None:
    """Neither the secret nor any part of it marked SECRET appears in the error."""
    assert "SECRET" not in str(error)
    assert "SECRET" not in repr(error)


CONTROL_CHARACTERS = ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"]


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("char", CONTROL_CHARACTERS, ids=lambda c: f"0x{ord(c):02x}")
@pytest.mark.parametrize("field", ["llm_api_key", "session_id", "custom_headers"])
async def test_control_characters_in_header_values_are_refused_before_sending(
    api, emulator, field, char, stream
):
    """A control character (not only CR/LF/NUL) in a header value never reaches aiohttp."""
    value = f"{SECRET}{char}x"
    kwargs = {field: {"X-Note": value} if field == "custom_headers" else value}
    call = api.stream if stream else api.call

    with pytest.raises(SequrityValidationError) as info:
        await call("control.chat.create", HELLO, MODEL, **kwargs)

    assert "control character" in str(info.value)
    assert emulator.requests == []
    assert_not_echoed(info.value)


async def test_a_tab_in_a_header_value_is_allowed(api, emulator):
    """Horizontal tab is legal inside an HTTP header value and is sent as given."""
    await api.call("control.chat.create", HELLO, MODEL, custom_headers={"X-Note": "a\tb"})

    assert emulator.requests[-1].headers["X-Note"] == "a\tb"


BAD_NAMES = ["X Note", "X-Note(", "X-Nöte", "X\tNote", "X-Note\x01", "X/Note", "[X]", "X-Note@"]


@pytest.mark.parametrize("name", BAD_NAMES)
async def test_invalid_header_names_are_refused_before_sending(api, emulator, name):
    """A header name that is not an HTTP token is refused, naming the problem."""
    with pytest.raises(SequrityValidationError) as info:
        await api.call("control.chat.create", HELLO, MODEL, custom_headers={name: "1"})

    assert "invalid header name" in str(info.value)
    assert emulator.requests == []


@pytest.mark.parametrize("name", ["X-Note", "x_note", "X.Note~1", "!#$%&'*+-.^_`|~"])
async def test_valid_token_header_names_are_sent(api, emulator, name):
    """Every character HTTP allows in a header name is accepted."""
    await api.call("control.chat.create", HELLO, MODEL, custom_headers={name: "1"})

    assert emulator.requests[-1].headers[name] == "1"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("features", "dual"),
        ("features", {"agent_arch": "dual-llm"}),
        ("security_policy", "tool x { hard deny when true; }"),
        ("fine_grained_config", {"fsm": {"max_n_turns": 3}}),
        ("features", FeaturesHeader),
    ],
    ids=["features-str", "features-dict", "policy-str", "config-dict", "features-class"],
)
async def test_header_objects_of_the_wrong_type_are_refused_before_sending(
    api, emulator, field, value
):
    """A string or dict where a header object belongs is a validation error naming the field."""
    with pytest.raises(SequrityValidationError) as info:
        await api.call("control.chat.create", HELLO, MODEL, **{field: value})

    assert field in str(info.value)
    assert emulator.requests == []


@pytest.mark.parametrize("model", ["", "   ", None, 42])
@pytest.mark.parametrize(
    ("path", "args"),
    [
        ("control.chat.create", (HELLO,)),
        ("control.messages.create", (HELLO,)),
        ("control.responses.create", ()),
    ],
    ids=["chat", "messages", "responses"],
)
async def test_an_empty_or_missing_model_is_refused_before_sending(
    api, emulator, path, args, model
):
    """`model=""` (or blank, or not a string) is never sent."""
    kwargs = {"max_tokens": 10} if "messages" in path else {}
    if "responses" in path:
        kwargs["input"] = "hello"

    with pytest.raises(SequrityValidationError) as info:
        await api.call(path, *args, model=model, **kwargs)

    assert "model" in str(info.value)
    assert emulator.requests == []


USERINFO_URLS = [
    f"https://user:{SECRET}@api.sequrity.ai",
    f"http://user:{SECRET}@127.0.0.1:8000",
    f"https://{SECRET}@api.sequrity.ai/",
    f"ftp://user:{SECRET}@api.sequrity.ai",
    f"https://user:{SECRET}@api.sequrity.ai:99999",
]


@pytest.mark.parametrize("cls", [AsyncSequrityClient, SequrityClient])
@pytest.mark.parametrize("url", USERINFO_URLS)
def test_a_base_url_with_credentials_is_refused_without_echoing_them(cls, url):
    """`user:password@` in the base URL is refused, and the password is not in the message."""
    with pytest.raises(SequrityValidationError) as info:
        cls("sq-k", base_url=url)

    assert_not_echoed(info.value)


def test_a_base_url_with_credentials_from_the_environment_is_refused(monkeypatch):
    """``SEQURITY_BASE_URL`` with credentials is refused the same way."""
    monkeypatch.setenv("SEQURITY_BASE_URL", USERINFO_URLS[0])

    with pytest.raises(SequrityValidationError) as info:
        AsyncSequrityClient("sq-k")

    assert "credentials" in str(info.value)
    assert_not_echoed(info.value)


def test_a_bytes_key_in_control_config_is_refused_without_echoing_it():
    """`ControlConfig(llm_api_key=b"...")` names the type, never the value."""
    with pytest.raises(SequrityValidationError) as info:
        ControlConfig(llm_api_key=SECRET.encode())

    assert "bytes" in str(info.value)
    assert_not_echoed(info.value)


@pytest.mark.parametrize("field", ["llm_api_key", "session_id"])
async def test_a_bytes_key_per_call_is_refused_without_echoing_it(api, emulator, field, caplog):
    """A bytes value for a header-borne argument is refused; neither the error nor a log shows it."""
    caplog.set_level(logging.DEBUG, logger="sequrity")

    with pytest.raises(SequrityValidationError) as info:
        await api.call("control.chat.create", HELLO, MODEL, **{field: SECRET.encode()})

    assert emulator.requests == []
    assert_not_echoed(info.value)
    assert "SECRET" not in caplog.text


@pytest.mark.parametrize("cls", [AsyncSequrityClient, SequrityClient])
def test_a_bytes_api_key_is_refused_without_echoing_it(cls):
    """`api_key=b"..."` is refused at construction, naming the type only."""
    with pytest.raises(SequrityValidationError) as info:
        cls(SECRET.encode(), base_url="http://127.0.0.1:1")  # type: ignore[arg-type]

    assert_not_echoed(info.value)
