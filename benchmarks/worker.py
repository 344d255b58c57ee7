"""
One benchmark workload in one fresh process, printing a JSON line of measurements.

The same file runs with our package, with the official ``sequrity`` 0.4.2 (same import name, its own
virtual environment), or as a bare aiohttp baseline (``--bare``), so every contender is driven by the
same code. Usage: ``python worker.py WORKLOAD BASE_URL REQUESTS CONCURRENCY [--bare]``.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

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
    sem = asyncio.Semaphore(concurrency)

    async def run() -> None:
        async with sem:
            await one()

    await asyncio.gather(*(run() for _ in range(n)))


def bare_one(base: str, stream: bool) -> Callable[[Any], Callable[[], Awaitable[None]]]:
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
        from sequrity import AsyncSequrityClient

        client = AsyncSequrityClient(api_key="k", base_url=base)
        chat = client.control.chat

        if stream:

            async def one() -> None:
                s = await chat.create(MESSAGES, MODEL, stream=True)
                async for _ in s:
                    pass

        else:

            async def one() -> None:
                await chat.create(MESSAGES, MODEL)

        close = (
            client.close
            if hasattr(client, "close") and not hasattr(client, "aclose")
            else client.aclose
        )

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


def run_blocking(base: str, n: int, threads: int) -> dict[str, Any]:
    from sequrity import SequrityClient

    client = SequrityClient(api_key="k", base_url=base)
    for _ in range(50):
        client.control.chat.create(MESSAGES, MODEL)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if threads == 1:
        for _ in range(n):
            client.control.chat.create(MESSAGES, MODEL)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: client.control.chat.create(MESSAGES, MODEL), range(n)))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    client.close()
    return {"wall": wall, "cpu": cpu, "n": n, "peak_growth_kb": 0}


def main() -> int:
    workload, base, n, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    bare = "--bare" in sys.argv
    if workload == "import":
        t0 = time.perf_counter()
        import sequrity  # noqa: F401

        print(json.dumps({"import_s": time.perf_counter() - t0}))
        return 0
    if workload == "blocking":
        result = run_blocking(base, n, concurrency)
    else:
        result = asyncio.run(run_async(workload, base, n, concurrency, bare))
    result["pid"] = os.getpid()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
