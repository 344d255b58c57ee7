"""The blocking client: sharing between threads, use inside a running loop, fork, lifecycle."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from sequrity import SequrityClient, SequrityError, SequrityValidationError

MODEL = "openai/gpt-5-mini"


def ask(client: SequrityClient, text: str) -> str | None:
    return client.control.chat.create([{"role": "user", "content": text}], MODEL).content


def test_many_threads_share_one_client(sequrity_emulator):
    """Thirty-two threads sharing one client each get the answer to their own question."""
    questions = [f"what is {i} + {i}" for i in range(400)]
    with (
        SequrityClient("k", base_url=sequrity_emulator.base_url) as client,
        ThreadPoolExecutor(32) as pool,
    ):
        answers = list(pool.map(lambda q: ask(client, q), questions))

    assert answers == [ask_expected(i) for i in range(400)]


def ask_expected(i: int) -> str:
    return str(i + i)


def test_a_lone_caller_starts_no_thread_and_concurrent_callers_share_one(sequrity_emulator):
    """Sequential calls run on the caller's own loop; concurrent ones share one loop thread."""
    before = {t.ident for t in threading.enumerate()}
    with SequrityClient("k", base_url=sequrity_emulator.base_url) as client:
        for _ in range(20):
            ask(client, "hi")
        after_sequential = [t.name for t in threading.enumerate() if t.ident not in before]
        with ThreadPoolExecutor(8, thread_name_prefix="caller") as pool:
            list(pool.map(lambda _: ask(client, "hi"), range(200)))
            extra = [t.name for t in threading.enumerate() if t.ident not in before]

    assert after_sequential == []
    assert [name for name in extra if not name.startswith("caller")] in ([], ["sequrity-loop"])


def test_loops_of_ended_threads_are_closed_and_close_releases_the_rest(sequrity_emulator):
    """A thread's own loop and pool are closed once the thread ended; close() closes the rest."""
    client = SequrityClient("k", base_url=sequrity_emulator.base_url)
    transport = client.async_client._transport
    seen = []
    for _ in range(3):  # one at a time: each caller is alone, so it uses its own loop
        t = threading.Thread(target=ask, args=(client, "hi"))
        t.start()
        t.join()
        seen.extend(s for s in transport._sessions.values() if s not in seen)
    ask(client, "hi")  # a new caller sweeps the loops of threads that ended

    assert len(seen) == 3
    assert all(session.closed for session in seen)
    client.close()
    assert transport._sessions == {}


def test_a_stream_is_consumed_on_the_loop_that_opened_it(sequrity_emulator):
    """A blocking stream iterates on its own thread's loop, interleaved with other calls."""
    with (
        SequrityClient("k", base_url=sequrity_emulator.base_url) as client,
        client.control.chat.create(
            [{"role": "user", "content": "what is 2 + 2"}], MODEL, stream=True
        ) as stream,
    ):
        first = next(iter(stream))
        assert ask(client, "what is 3 + 3") == "6"
        rest = list(stream)

    text = "".join(c.choices[0].delta.content or "" for c in [first, *rest] if c.choices)
    assert text == "4"


def test_blocking_client_works_inside_a_running_event_loop(sequrity_emulator):
    """Called from a coroutine (as in Jupyter), the blocking client answers without deadlock."""
    with SequrityClient("k", base_url=sequrity_emulator.base_url) as client:

        async def inside() -> str | None:
            return ask(client, "what is 2 + 3")

        assert asyncio.run(inside()) == "5"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_client_keeps_working_in_a_forked_child(sequrity_emulator):
    """After fork, the child restarts its own loop thread and its calls succeed."""
    with SequrityClient("k", base_url=sequrity_emulator.base_url) as client:
        assert ask(client, "what is 1 + 1") == "2"
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                answer = ask(client, "what is 20 + 22")
                os.write(write, (answer or "").encode())
            finally:
                os._exit(0)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        child_answer = os.read(read, 100).decode()
        os.close(read)
        parent_answer = ask(client, "what is 3 + 4")

    assert os.waitstatus_to_exitcode(status) == 0
    assert child_answer == "42"
    assert parent_answer == "7"


def test_closed_client_refuses_calls(sequrity_emulator):
    """A call after close() raises a clear error instead of hanging."""
    client = SequrityClient("k", base_url=sequrity_emulator.base_url)
    assert ask(client, "hi")
    client.close()
    client.close()

    with pytest.raises(SequrityError, match="closed"):
        ask(client, "hi")


def test_forgotten_client_does_not_block_interpreter_exit(tmp_path, sequrity_emulator):
    """A script that never closes its client still exits promptly."""
    script = tmp_path / "leave_open.py"
    script.write_text(
        "import sys\n"
        "from sequrity import SequrityClient\n"
        f"c = SequrityClient('k', base_url={sequrity_emulator.base_url!r})\n"
        "print(c.control.chat.create([{'role': 'user', 'content': 'what is 1 + 2'}], 'm').content)\n"
    )
    import subprocess

    done = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", str(script)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"


def test_missing_api_key_names_the_environment_variable(monkeypatch):
    """Without a key argument or SEQURITY_API_KEY, construction fails naming the variable."""
    monkeypatch.delenv("SEQURITY_API_KEY", raising=False)

    with pytest.raises(SequrityValidationError, match="SEQURITY_API_KEY"):
        SequrityClient()


def test_environment_provides_key_and_base_url(monkeypatch, sequrity_emulator):
    """SEQURITY_API_KEY and SEQURITY_BASE_URL configure a client built without arguments."""
    monkeypatch.setenv("SEQURITY_API_KEY", "sq-env")
    monkeypatch.setenv("SEQURITY_BASE_URL", sequrity_emulator.base_url + "///")

    with SequrityClient() as client:
        assert client.base_url == sequrity_emulator.base_url
        assert ask(client, "what is 5 + 5") == "10"

    assert sequrity_emulator.requests[-1].headers["Authorization"] == "Bearer sq-env"


def test_plain_http_to_a_remote_host_is_refused():
    """The API key is not sent in clear text to a non-loopback host unless explicitly allowed."""
    with pytest.raises(SequrityValidationError, match="plain http"):
        SequrityClient("k", base_url="http://api.example.com")
    SequrityClient("k", base_url="http://api.example.com", allow_insecure_http=True).close()


def test_a_dropped_client_is_closed_by_the_garbage_collector(sequrity_emulator):
    """A client that is dropped without close() closes its loops and pools when collected."""
    import gc
    import weakref

    client = SequrityClient("k", base_url=sequrity_emulator.base_url)
    ask(client, "hi")
    runner = weakref.ref(client._runner)
    transport = client.async_client._transport
    ref = weakref.ref(client)

    del client
    gc.collect()

    assert ref() is None
    assert runner() is None
    assert transport._sessions == {}
