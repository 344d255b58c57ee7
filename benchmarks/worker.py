"""
One benchmark workload in one fresh process, printing a JSON line of measurements.

The same file runs with our package, with the official ``sequrity`` 0.4.2 (same import name, its own
virtual environment), or as a baseline (``--bare``: aiohttp + ``json``, or ``http.client`` for the
blocking workloads), so every contender is driven by the same code. ``--speed`` runs ours with the
``[speed]`` extra (uvloop and orjson; the async workloads then run on a uvloop loop, as a user with
uvloop would); without it, uvloop and orjson are hidden from our package even when installed.
``--events N`` asks the server for streams of N events.

Usage: ``python worker.py WORKLOAD BASE_URL REQUESTS CONCURRENCY [--bare] [--speed] [--events N]``;
workloads: ``plain``, ``stream``, ``fanout``, ``blocking``, ``first`` (import and first answer in
this fresh process), ``memory`` (per client and per open stream), ``import``.
"""

from __future__ import annotations

import sys
import time

START = time.perf_counter()
SPEED = "--speed" in sys.argv
if not SPEED:
    # Hide the [speed] extra from our package (None in sys.modules makes an import fail).
    sys.modules["uvloop"] = None  # type: ignore[assignment]
    sys.modules["orjson"] = None  # type: ignore[assignment]

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
from collections.abc import Awaitable, Callable  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

MESSAGES = [{"role": "user", "content": "What is the largest prime number below 100?"}]
MODEL = "openai/gpt-5-mini"
PATH = "/control/chat/v1/chat/completions"


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def limited(n: int, concurrency: int, one: Callable[[], Awaitable[Any]]) -> None:
    """`n` calls of `one`, at most `concurrency` at a time: gather with a semaphore."""
    sem = asyncio.Semaphore(concurrency)

    async def run() -> None:
        async with sem:
            await one()

    await asyncio.gather(*(run() for _ in range(n)))


def bare_one(base: str, stream: bool) -> Callable[[Any], Callable[[], Awaitable[None]]]:
    """The floor: aiohttp's post, ``json.loads``, and for streams a split on blank lines."""
    body = json.dumps({"messages": MESSAGES, "model": MODEL, "stream": stream}).encode()
    headers = {"Authorization": "Bearer k", "Content-Type": "application/json"}

    def make(session: Any) -> Callable[[], Awaitable[None]]:
        async def one() -> None:
            async with session.post(base + PATH, data=body, headers=headers) as resp:
                if not stream:
                    json.loads(await resp.read())
                    return
                buf = b""
                async for chunk in resp.content.iter_any():
                    buf += chunk
                    *events, buf = buf.split(b"\n\n")
                    for event in events:
                        data = event[6:]
                        if data != b"[DONE]":
                            json.loads(data)

        return one

    return make


def ours_client(base: str) -> Any:
    from sequrity import AsyncSequrityClient

    return AsyncSequrityClient(api_key="k", base_url=base)


async def aclose(client: Any) -> None:
    await (client.aclose() if hasattr(client, "aclose") else client.close())


async def run_async(
    workload: str, base: str, n: int, concurrency: int, bare: bool
) -> dict[str, Any]:
    stream = workload == "stream"
    if bare:
        import aiohttp

        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1000))
        one = bare_one(base, stream)(session)
        close: Callable[[], Awaitable[None]] = session.close
    else:
        client = ours_client(base)
        chat = client.control.chat

        if stream:

            async def one() -> None:
                s = await chat.create(MESSAGES, MODEL, stream=True)
                async for _ in s:
                    pass

        else:

            async def one() -> None:
                await chat.create(MESSAGES, MODEL)

        async def close() -> None:
            await aclose(client)

    await limited(min(200, n), concurrency, one)  # warm-up: connections, caches, imports
    start_rss = rss_kb()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if workload == "fanout" and not bare and hasattr(client.control.chat, "create_many"):
        outcomes = await client.control.chat.create_many(
            [{"messages": MESSAGES, "model": MODEL}] * n, concurrency=concurrency
        )
        assert len(outcomes) == n
        assert all(o.ok for o in outcomes)
        assert [o.index for o in outcomes] == list(range(n))
    else:
        await limited(n, concurrency, one)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start_rss
    await close()
    return {"wall": wall, "cpu": cpu, "n": n, "peak_growth_kb": max(peak_growth, 0)}


def http_client_one(base: str) -> Callable[[], None]:
    """The blocking floor: one keep-alive ``http.client`` connection per thread, ``json.loads``."""
    import http.client
    import threading

    parts = urlsplit(base)
    body = json.dumps({"messages": MESSAGES, "model": MODEL}).encode()
    headers = {"Authorization": "Bearer k", "Content-Type": "application/json"}
    local = threading.local()

    def one() -> None:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(parts.hostname, parts.port)
        conn.request("POST", parts.path + PATH, body, headers)
        json.loads(conn.getresponse().read())

    return one


def run_blocking(base: str, n: int, threads: int, bare: bool) -> dict[str, Any]:
    client = None
    if bare:
        one = http_client_one(base)
    else:
        from sequrity import SequrityClient

        client = SequrityClient(api_key="k", base_url=base)

        def one() -> None:
            client.control.chat.create(MESSAGES, MODEL)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda _: one(), range(threads * 4)))  # every thread's connection
    for _ in range(50):
        one()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if threads == 1:
        for _ in range(n):
            one()
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: one(), range(n)))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    if client is not None:
        client.close()
    return {"wall": wall, "cpu": cpu, "n": n, "peak_growth_kb": 0}


def first_answer(base: str, bare: bool) -> dict[str, Any]:
    """Import and one answer in this fresh process, from the worker's first line."""
    if bare:
        import aiohttp

        async def go() -> None:
            async with aiohttp.ClientSession() as session:
                await bare_one(base, False)(session)()

        asyncio.run(go())
    else:
        from sequrity import AsyncSequrityClient

        async def go() -> None:
            async with AsyncSequrityClient(api_key="k", base_url=base) as client:
                await client.control.chat.create(MESSAGES, MODEL)

        asyncio.run(go())
    return {"first_s": time.perf_counter() - START}


async def memory(base: str, count: int, bare: bool) -> dict[str, Any]:
    """Python heap (tracemalloc) per client after one request, and per open stream."""
    import gc
    import tracemalloc

    if bare:
        import aiohttp

        def new_client() -> Any:
            return aiohttp.ClientSession()

        async def request(c: Any) -> None:
            await bare_one(base, False)(c)()

        async def open_stream(c: Any) -> Any:
            resp = await c.post(
                base + PATH,
                data=json.dumps({"messages": MESSAGES, "model": MODEL, "stream": True}).encode(),
                headers={"Authorization": "Bearer k", "Content-Type": "application/json"},
            )
            await resp.content.readany()
            return resp

        async def close(c: Any) -> None:
            await c.close()

    else:
        new_client = lambda: ours_client(base)  # noqa: E731

        async def request(c: Any) -> None:
            await c.control.chat.create(MESSAGES, MODEL)

        async def open_stream(c: Any) -> Any:
            s = await c.control.chat.create(MESSAGES, MODEL, stream=True)
            await anext(aiter(s))  # the official stream is iterable, not an iterator
            return s

        close = aclose
    warm = new_client()
    await request(warm)
    await close(warm)
    gc.collect()
    tracemalloc.start()
    base_mem = tracemalloc.get_traced_memory()[0]
    clients = [new_client() for _ in range(count)]
    for c in clients:
        await request(c)
    gc.collect()
    per_client = (tracemalloc.get_traced_memory()[0] - base_mem) / count
    for c in clients:
        await close(c)
    del clients
    shared = new_client()
    await request(shared)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    streams = [await open_stream(shared) for _ in range(count)]
    gc.collect()
    per_stream = (tracemalloc.get_traced_memory()[0] - before) / count
    for s in streams:
        if bare:
            s.release()
        else:
            await (s.aclose() if hasattr(s, "aclose") else s.close())
    await close(shared)
    tracemalloc.stop()
    return {"client_kb": per_client / 1024, "stream_kb": per_stream / 1024}


def event_loop_run(coro: Any) -> Any:
    if SPEED:
        import uvloop

        return uvloop.run(coro)
    return asyncio.run(coro)


def main() -> int:
    workload, base, n, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    bare = "--bare" in sys.argv
    if "--events" in sys.argv:
        base += f"/e{int(sys.argv[sys.argv.index('--events') + 1])}"
    if workload == "import":
        t0 = time.perf_counter()
        import sequrity  # noqa: F401

        print(json.dumps({"import_s": time.perf_counter() - t0}))
        return 0
    if workload == "first":
        result = first_answer(base, bare)
    elif workload == "blocking":
        result = run_blocking(base, n, concurrency, bare)
    elif workload == "memory":
        result = event_loop_run(memory(base, n, bare))
    else:
        result = event_loop_run(run_async(workload, base, n, concurrency, bare))
    result["pid"] = os.getpid()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
