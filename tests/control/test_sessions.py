"""Session handling: explicit ids, handles that never cross, opt-in official-style tracking."""

from __future__ import annotations

import anyio
import pytest

from sequrity import AsyncSequrityClient

pytestmark = pytest.mark.anyio

MODEL = "openai/gpt-5-mini"


def ask(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


async def test_concurrent_conversations_on_one_client_keep_their_sessions_apart(client, emulator):
    """Twenty handles talking at once on one client each keep one session of their own."""
    seen: dict[int, set[str | None]] = {}

    async def converse(i: int) -> None:
        async with client.control.session() as conversation:
            ids = set()
            for turn in range(3):
                response = await conversation.chat.create(ask(f"what is {i} + {turn}"), MODEL)
                ids.add(response.session_id)
            seen[i] = ids

    async with anyio.create_task_group() as tg:
        for i in range(20):
            tg.start_soon(converse, i)

    assert all(len(ids) == 1 for ids in seen.values())
    assert len({next(iter(ids)) for ids in seen.values()}) == 20


async def test_without_a_handle_no_session_is_reused(client, emulator):
    """Two plain calls on one client do not share a session unless asked to."""
    await client.control.chat.create(ask("hi"), MODEL)
    await client.control.chat.create(ask("hi"), MODEL)

    assert [r.headers.get("X-Session-ID") for r in emulator.requests] == [None, None]


async def test_opt_in_tracking_reuses_the_last_session_like_the_official_sdk(emulator):
    """With track_sessions=True the next call continues the previous answer's session."""
    async with AsyncSequrityClient("k", base_url=emulator.base_url, track_sessions=True) as c:
        first = await c.control.chat.create(ask("hi"), MODEL)
        await c.control.chat.create(ask("again"), MODEL)
        c.control.reset_session()
        await c.control.chat.create(ask("fresh"), MODEL)

    sent = [r.headers.get("X-Session-ID") for r in emulator.requests]
    assert sent == [None, first.session_id, None]
    assert c.control.session_id is not None


async def test_set_session_id_and_explicit_none(client, emulator):
    """A client-level session id is sent by default; session_id=None overrides it per call."""
    first = await client.control.chat.create(ask("hi"), MODEL)
    client.control.set_session_id(first.session_id)

    await client.control.chat.create(ask("again"), MODEL)
    await client.control.chat.create(ask("new"), MODEL, session_id=None)

    assert [r.headers.get("X-Session-ID") for r in emulator.requests] == [
        None,
        first.session_id,
        None,
    ]


async def test_handle_resumes_a_given_session(client, emulator):
    """session(id) continues an existing session from its first call."""
    first = await client.control.chat.create(ask("hi"), MODEL)

    conversation = client.control.session(first.session_id)
    again = await conversation.chat.create(ask("again"), MODEL)

    assert again.session_id == first.session_id
    assert emulator.requests[-1].headers["X-Session-ID"] == first.session_id


async def test_unknown_session_is_not_found(client, emulator):
    """Continuing a session the server never issued is a typed 404."""
    from sequrity import NotFoundError

    with pytest.raises(NotFoundError):
        await client.control.chat.create(
            ask("hi"), MODEL, session_id="00000000-0000-1000-8000-000000000000"
        )


def test_blocking_session_handle(sync_client):
    """The blocking client's session handle tracks its id across calls as a context manager."""
    with sync_client.control.session() as conversation:
        first = conversation.chat.create(ask("hi"), MODEL)
        second = conversation.chat.create(ask("again"), MODEL)
        assert conversation.id == first.session_id == second.session_id

    assert conversation.id is None
