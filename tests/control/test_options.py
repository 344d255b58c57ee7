"""The control options declared once (`sequrity.control._options`): keywords, validation, NOT_GIVEN vs None."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, TypedDict, Unpack

import pytest

from sequrity import NOT_GIVEN, AsyncSequrityClient, SequrityClient, SequrityValidationError
from sequrity._sentinel import NotGiven
from sequrity.control import ControlConfig, FeaturesHeader
from sequrity.control._options import ConfigOptions, ControlOptions, CreateOptions, spread_signature
from sequrity.control.chat_completion import create_chat_completion, create_chat_completion_sync
from sequrity.control.resources.chat import AsyncChatResource, ChatCreateOptions, ChatParams
from sequrity.control.resources.langgraph._types import LangGraphOptions
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]
POLICY = {"type": "oai_chat_completion", "model": MODEL, "description": "Never delete files."}


@pytest.mark.parametrize(
    ("path", "args", "where"),
    [
        ("control.chat.create", (HELLO, MODEL), "chat.create"),
        ("control.messages.create", (HELLO, "claude-sonnet-4-5", 10), "messages.create"),
        ("control.responses.create", (MODEL,), "responses.create"),
        ("control.policy.generate", (POLICY,), "policy.generate"),
        ("control.utility.health", (), "utility.health"),
        ("control.validate_headers", (), "utility.validate_headers"),
        ("control.create_chat_completion", (HELLO, MODEL), "chat.create"),
    ],
)
async def test_an_unknown_keyword_is_refused_before_sending(api, emulator, path, args, where):
    """A misspelt keyword is a `SequrityValidationError` naming the call and the keyword."""
    with pytest.raises(SequrityValidationError) as caught:
        await api.call(path, *args, temprature=0.2)

    assert str(caught.value) == f"{where}() got unexpected keyword argument(s): 'temprature'"
    assert emulator.requests == []


async def test_run_tools_refuses_unknown_keywords_and_streaming(api, emulator):
    """`run_tools` names itself for an unknown keyword and refuses ``stream=True``."""
    call = ("control.chat.run_tools", HELLO, MODEL)
    kwargs: dict[str, Any] = {"tools": [], "functions": {}}

    with pytest.raises(SequrityValidationError, match=r"chat\.run_tools\(\).*'colour'"):
        await api.call(*call, colour="red", **kwargs)
    with pytest.raises(SequrityValidationError, match="does not stream"):
        await api.call(*call, stream=True, **kwargs)

    assert emulator.requests == []


async def test_create_many_refuses_an_unknown_fan_out_option(api, emulator):
    """A misspelt fan-out option is refused at once, before any request is sent."""
    with pytest.raises(SequrityValidationError, match="concurency"):
        await api.call(
            "control.chat.create_many", [{"messages": HELLO, "model": MODEL}], concurency=4
        )

    assert emulator.requests == []


@pytest.fixture
async def configured(emulator: Emulator) -> Any:
    """An async client whose `ControlConfig` names a provider and X-Features."""
    config = ControlConfig(provider="openai", features=FeaturesHeader.dual_llm())
    async with AsyncSequrityClient("k", base_url=emulator.base_url, control=config) as client:
        yield client


async def test_an_absent_option_takes_the_default_and_none_suppresses_it(configured, emulator):
    """Absent (or NOT_GIVEN): the config's provider and header; None: no provider, no header."""
    await configured.control.chat.create(HELLO, MODEL)
    await configured.control.chat.create(HELLO, MODEL, provider=NOT_GIVEN, features=NOT_GIVEN)
    await configured.control.chat.create(HELLO, MODEL, provider=None, features=None)

    sent = [(r.path, "X-Features" in r.headers) for r in emulator.requests]
    assert sent == [
        ("/control/chat/openai/v1/chat/completions", True),
        ("/control/chat/openai/v1/chat/completions", True),
        ("/control/chat/v1/chat/completions", False),
    ]


def test_create_shows_every_option_as_a_keyword_to_introspection():
    """`inspect.signature` (help(), notebooks, batch files) lists each option, keyword-only."""
    parameters = inspect.signature(AsyncChatResource.create).parameters

    assert set(ChatCreateOptions.__optional_keys__) <= set(parameters)
    assert {parameters[name].kind for name in ChatCreateOptions.__optional_keys__} == {
        inspect.Parameter.KEYWORD_ONLY
    }
    assert "options" not in parameters


def test_the_option_families_nest():
    """Create options extend the control options, which extend what LangGraph runs take."""
    assert ConfigOptions.__optional_keys__ < ControlOptions.__optional_keys__
    assert ControlOptions.__optional_keys__ < CreateOptions.__optional_keys__
    assert ConfigOptions.__optional_keys__ < LangGraphOptions.__optional_keys__
    assert not ChatParams.__optional_keys__ & CreateOptions.__optional_keys__


class Shape(TypedDict, total=False):
    """A toy options dict."""

    colour: str | NotGiven
    size: int


def test_spread_signature_replaces_the_options_parameter():
    """The decorated function's signature shows the TypedDict's keys, defaults reading NOT_GIVEN."""

    @spread_signature(Shape)
    def draw(name: str, *, scale: float = 1.0, **options: Unpack[Shape]) -> str:
        return name

    shown = inspect.signature(draw)

    assert list(shown.parameters) == ["name", "scale", "colour", "size"]
    assert shown.parameters["colour"].default is NOT_GIVEN
    assert shown.parameters["colour"].annotation == "str | NotGiven"


# -- the one-shot functions ------------------------------------------------------------------------


async def test_the_async_one_shot_function_sends_one_request(emulator):
    """`create_chat_completion` opens a client, sends once, and passes options through."""
    response = await create_chat_completion(
        HELLO, MODEL, api_key="k", base_url=emulator.base_url, service_provider=None, timeout=30
    )

    assert "97" in (response.content or "")
    assert [r.path for r in emulator.requests] == ["/control/chat/v1/chat/completions"]


def test_the_blocking_one_shot_function_works_from_plain_and_async_code(sequrity_emulator):
    """`create_chat_completion_sync` answers in blocking code and inside a running loop."""
    base = sequrity_emulator.base_url

    plain = create_chat_completion_sync(HELLO, MODEL, api_key="k", base_url=base)

    async def cell() -> Any:
        return create_chat_completion_sync(HELLO, MODEL, api_key="k", base_url=base)

    inside = asyncio.run(cell())
    assert plain.content == inside.content
    assert "97" in (plain.content or "")


def test_the_one_shot_functions_do_not_stream(sequrity_emulator):
    """`stream=True` is refused: the client would close under the stream."""
    with pytest.raises(SequrityValidationError, match="do not stream"):
        create_chat_completion_sync(
            HELLO,
            MODEL,
            api_key="k",
            base_url=sequrity_emulator.base_url,
            stream=True,  # type: ignore[call-arg]
        )


def test_the_blocking_client_takes_the_same_keywords(sequrity_emulator):
    """The generated blocking `create` validates the same way."""
    with (
        SequrityClient("k", base_url=sequrity_emulator.base_url) as client,
        pytest.raises(SequrityValidationError, match="'seeed'"),
    ):
        client.control.chat.create(HELLO, MODEL, seeed=1)  # type: ignore[call-overload]
