"""
Run one chat call in a fresh process and report, as one JSON line on stdout, how it ended and how
much the process's peak resident memory grew during it (a clean peak: nothing else ran here).

Usage: ``python memory_probe.py async|sync BASE_URL plain|stream``. Linux only (``/proc``).
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import aiohttp  # noqa: F401 - imported before the baseline, like everything the call needs

from sequrity import AsyncSequrityClient, SequrityClient, SequrityError

MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "hello"}]


def peak_mib() -> float:
    """
    The peak resident set size of this process image so far, in MiB: Linux's ``VmHWM``. (Not
    ``getrusage``'s ``ru_maxrss``, which a child keeps from the larger parent it was forked from.)
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


async def call_async(url: str, stream: bool) -> None:
    async with AsyncSequrityClient("sq-probe", base_url=url, retry=None) as client:
        if stream:
            async with await client.control.chat.create(HELLO, MODEL, stream=True) as s:
                async for _ in s:
                    pass
        else:
            await client.control.chat.create(HELLO, MODEL)


def call_sync(url: str, stream: bool) -> None:
    with SequrityClient("sq-probe", base_url=url, retry=None) as client:
        if stream:
            with client.control.chat.create(HELLO, MODEL, stream=True) as s:
                for _ in s:
                    pass
        else:
            client.control.chat.create(HELLO, MODEL)


def main() -> None:
    mode, url, shape = sys.argv[1:4]
    stream = shape == "stream"
    outcome: dict[str, Any] = {"error": None, "limit": None}
    before = peak_mib()
    try:
        if mode == "async":
            asyncio.run(call_async(url, stream))
        else:
            call_sync(url, stream)
    except SequrityError as exc:
        outcome["error"] = type(exc).__name__
        outcome["limit"] = getattr(exc, "limit", None)
        outcome["message"] = str(exc)[:300]
    outcome["growth_mib"] = peak_mib() - before
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
