"""
A client stays open while anything built on it is in use: a resource, a session handle, a stream.
And the blocking client runs a custom transport on one loop, whatever thread calls it.
"""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import pytest

from sequrity import AiohttpTransport, AsyncSequrityClient, SequrityClient

pytestmark = pytest.mark.anyio

MODEL = "openai/gpt-5-mini"


def ask(text: str) -> list[dict[str, str]]:
    """A one-message conversation."""
    return [{"role": "user", "content": text}]


# -- item 1: what the user holds keeps the blocking client open ---------------------------------


def test_a_call_on_a_client_nobody_holds_succeeds(sequrity_emulator):
    """`SequrityClient(...).control.chat.create(...)` works: the call keeps its client open."""
    url = sequrity_emulator.base_url

    answer = SequrityClient("k", base_url=url).control.chat.create(ask("what is 2 + 2"), MODEL)

    assert answer.content == "4"


def test_a_resource_keeps_its_blocking_client_open(sequrity_emulator):
    """`chat = SequrityClient(...).control.chat` stays usable after collection runs."""
    chat = SequrityClient("k", base_url=sequrity_emulator.base_url).control.chat
    gc.collect()

    assert chat.create(ask("what is 1 + 2"), MODEL).content == "3"
    assert chat.create(ask("what is 2 + 3"), MODEL).content == "5"


class Assistant:
    """User code that keeps only the chat resource."""

    def __init__(self, url: str) -> None:
        self.chat = SequrityClient("k", base_url=url).control.chat

    def answer(self, question: str) -> str | None:
        return self.chat.create(ask(question), MODEL).content


def test_an_object_keeping_only_the_resource_works(sequrity_emulator):
    """An object holding `client.control.chat` (not the client) keeps working."""
    assistant = Assistant(sequrity_emulator.base_url)
    gc.collect()

    assert assistant.answer("what is 3 + 4") == "7"


def test_a_session_handle_keeps_its_blocking_client_open(sequrity_emulator):
    """A conversation handle from a dropped client keeps working, in one session."""
    conversation = SequrityClient("k", base_url=sequrity_emulator.base_url).control.session()
    gc.collect()

    first = conversation.chat.create(ask("what is 1 + 1"), MODEL)
    second = conversation.chat.create(ask("what is 2 + 2"), MODEL)

    assert (first.content, second.content) == ("2", "4")
    assert first.session_id == second.session_id == conversation.id


def test_a_stream_keeps_its_blocking_client_open(sequrity_emulator):
    """A stream whose client is dropped mid-way is read to its end."""
    client = SequrityClient("k", base_url=sequrity_emulator.base_url)
    stream = client.control.chat.create(ask("what is 20 + 22"), MODEL, stream=True)
    del client
    gc.collect()

    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)

    assert text == "42"


def test_a_client_is_closed_once_nothing_refers_to_it(sequrity_emulator):
    """When the client and everything built on it are gone, its loops and pools are closed."""
    client = SequrityClient("k", base_url=sequrity_emulator.base_url)
    chat = client.control.chat
    chat.create(ask("hi"), MODEL)
    transport = client.async_client._transport
    runner = weakref.ref(client._runner)

    del client
    gc.collect()
    assert runner() is not None  # `chat` still holds it
    del chat
    gc.collect()

    assert runner() is None
    assert transport._sessions == {}


async def test_a_resource_and_a_stream_keep_their_async_client(emulator):
    """A resource, then a stream, keep their exchange (transport and pool) alive without the client."""
    chat = AsyncSequrityClient("k", base_url=emulator.base_url).control.chat
    client = weakref.ref(chat._exchange)
    gc.collect()
    stream = await chat.create(ask("what is 5 + 6"), MODEL, stream=True)
    del chat
    gc.collect()
    alive = client()

    async with stream:
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert text == "11"
    assert alive is not None
    await alive.aclose()


# -- item 12: a custom transport under the blocking client ----------------------------------------


def call_in_thread(client: SequrityClient, question: str) -> Any:
    """Ask from a new thread that ends right after; return its answer (or its exception)."""
    box: list[Any] = []

    def run() -> None:
        try:
            box.append(client.control.chat.create(ask(question), MODEL).content)
        except BaseException as exc:
            box.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return box[0]


def test_a_custom_transport_survives_the_thread_that_first_used_it(sequrity_emulator):
    """A thread that called and ended does not make the next caller close the transport."""
    with SequrityClient(
        "k", base_url=sequrity_emulator.base_url, transport=AiohttpTransport()
    ) as client:
        first = call_in_thread(client, "what is 1 + 1")
        second = call_in_thread(client, "what is 2 + 2")
        third = client.control.chat.create(ask("what is 3 + 3"), MODEL).content

    assert (first, second, third) == ("2", "4", "6")


def test_a_custom_transport_serves_the_main_thread_then_a_worker(sequrity_emulator):
    """A call from the main thread and then one from a worker both succeed."""
    with SequrityClient(
        "k", base_url=sequrity_emulator.base_url, transport=AiohttpTransport()
    ) as client:
        main = client.control.chat.create(ask("what is 4 + 4"), MODEL).content
        worker = call_in_thread(client, "what is 5 + 5")

    assert (main, worker) == ("8", "10")


class MinimalTransport:
    """A transport implementing only `AsyncTransport` (send, open_stream, aclose)."""

    def __init__(self) -> None:
        self.inner = AiohttpTransport()
        self.closed = 0

    async def send(self, request: Any) -> Any:
        return await self.inner.send(request)

    async def open_stream(self, request: Any) -> Any:
        return await self.inner.open_stream(request)

    async def aclose(self) -> None:
        self.closed += 1
        await self.inner.aclose()


def test_a_minimal_custom_transport_works_from_any_thread_and_is_closed_once(sequrity_emulator):
    """A transport without per-loop support runs on one loop; close() closes it once."""
    transport = MinimalTransport()
    client = SequrityClient("k", base_url=sequrity_emulator.base_url, transport=transport)

    answers = [call_in_thread(client, "what is 1 + 2") for _ in range(3)]
    with client.control.chat.create(ask("what is 2 + 5"), MODEL, stream=True) as stream:
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    client.close()

    assert answers == ["3", "3", "3"]
    assert text == "7"
    assert transport.closed == 1
