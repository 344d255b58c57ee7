"""
A new process pays only for what it uses: ``import sequrity`` and a first chat answer load neither
the request, header, result or stream models nor the tool loop, fan-out, cattrs or the blocking
client; the paths that need them load them on first use, in a process where nothing else did.
"""

from __future__ import annotations

from typing import Any

import pytest
from _fresh import fresh

#: Loaded by no program that only imports the package and asks for one chat answer.
NOT_ON_THE_FIRST_ANSWER = (
    "cattrs",
    "sequrity._sync_client",
    "sequrity._core._fanout",
    "sequrity._core._progress",
    "sequrity.control._tool_loop",
    "sequrity.control.types._features",
    "sequrity.control.types._fine_grained",
    "sequrity.control.types._policy",
    "sequrity.control.types._header_json",
    "sequrity.control.types.results",
    "sequrity.types.chat_completion.request",
    "sequrity.types.messages",
    "sequrity.types.responses",
)

_PRELUDE = """
import asyncio, json, sys
import sequrity

def loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] in ("sequrity", "cattrs", "aiohttp"))

async def main(base):
"""


def run(body: str, base_url: str) -> dict[str, Any]:
    """Run `body` (the inside of ``async def main(base)``) in a fresh interpreter."""
    script = _PRELUDE + "".join(f"    {line}\n" for line in body.strip().splitlines())
    script += "print(json.dumps(asyncio.run(main(sys.argv[1]))))\n"
    return fresh(script, base_url)[0]


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m.startswith(NOT_ON_THE_FIRST_ANSWER)]


@pytest.mark.slow
def test_import_sequrity_loads_neither_aiohttp_nor_any_model(sequrity_emulator: Any):
    """`import sequrity` alone loads the exceptions and little else: no aiohttp, no model."""
    out = run("return {'modules': loaded()}", sequrity_emulator.base_url)

    assert "aiohttp" not in out["modules"]
    assert not [m for m in out["modules"] if m.startswith(("sequrity.types", "sequrity.control"))]


@pytest.mark.slow
def test_a_first_chat_answer_loads_only_what_it_needs(sequrity_emulator: Any):
    """A first chat answer works and leaves the request, header and stream-free parts unloaded."""
    out = run(
        """
async with sequrity.AsyncSequrityClient("sq-key", base_url=base) as client:
    answer = await client.control.chat.create([{"role": "user", "content": "hi"}], "gpt-5-mini")
return {"content": answer.choices[0].message.content, "modules": loaded()}
""",
        sequrity_emulator.base_url,
    )

    assert out["content"]
    assert _heavy(out["modules"]) == []


@pytest.mark.slow
def test_header_objects_and_overrides_load_their_models_on_first_use(sequrity_emulator: Any):
    """A config refused for a wrong header type, then raw header JSON, work in a fresh process."""
    out = run(
        """
try:
    sequrity.ControlConfig(features="dual-llm")
except sequrity.SequrityValidationError as exc:
    refused = str(exc)
async with sequrity.AsyncSequrityClient("sq-key", base_url=base) as client:
    answer = await client.control.chat.create(
        [{"role": "user", "content": "hi"}],
        "gpt-5-mini",
        feature_overrides={"agent_arch": "single-llm"},
    )
return {"refused": refused, "ok": bool(answer.choices), "modules": loaded()}
""",
        sequrity_emulator.base_url,
    )

    assert "expected a FeaturesHeader or None" in out["refused"]
    assert out["ok"]
    assert "sequrity.control.types._header_json" in out["modules"]


@pytest.mark.slow
def test_typed_messages_and_the_tool_loop_load_their_models_on_first_use(sequrity_emulator: Any):
    """A body the fast path does not take, and `run_tools`, work in a fresh process."""
    out = run(
        """
async with sequrity.AsyncSequrityClient("sq-key", base_url=base) as client:
    answer = await client.control.chat.create(
        [{"role": "user", "content": [{"type": "text", "text": "hi"}]}], "gpt-5-mini"
    )
    loop = await client.control.chat.run_tools(
        [{"role": "user", "content": "hi"}], "gpt-5-mini", tools=[], functions={}
    )
return {"ok": bool(answer.choices), "finished": loop.finished, "modules": loaded()}
""",
        sequrity_emulator.base_url,
    )

    assert out["ok"]
    assert out["finished"]
    assert "sequrity.types.chat_completion.request" in out["modules"]
    assert "sequrity.control._tool_loop" in out["modules"]


@pytest.mark.slow
def test_a_first_fan_out_loads_it_on_first_use(sequrity_emulator: Any):
    """`create_many` works in a fresh process, loading the fan-out when it is first called."""
    out = run(
        """
async with sequrity.AsyncSequrityClient("sq-key", base_url=base) as client:
    outcomes = await client.control.chat.create_many(
        [{"messages": [{"role": "user", "content": "hi"}], "model": "gpt-5-mini"}] * 3
    )
return {"ok": [o.ok for o in outcomes], "modules": loaded()}
""",
        sequrity_emulator.base_url,
    )

    assert out["ok"] == [True, True, True]
    assert "sequrity._core._fanout" in out["modules"]


_HELP = """
import contextlib, io, json, runpy, sys
sys.argv = ["sequrity"] + sys.argv[1:]
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        runpy.run_module("sequrity", run_name="__main__")
    except SystemExit as exc:
        code = exc.code
modules = sorted(m for m in sys.modules if m.split(".")[0] in ("sequrity", "aiohttp", "attrs"))
print(json.dumps({"code": code, "help": out.getvalue(), "modules": modules}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("argv", [["--help"], ["policy", "--help"], ["emulator", "--help"]])
def test_command_line_help_loads_no_client_emulator_or_policy_parser(argv: list[str]):
    """`sequrity --help` (and a command's) loads none of the client, emulator or SQRT parser."""
    out, _ = fresh(_HELP, *argv)

    assert out["code"] == 0
    assert "usage: sequrity" in out["help"]
    assert not [
        m
        for m in out["modules"]
        if m.startswith(("aiohttp", "attrs", "sequrity._client", "sequrity.control"))
        or m in ("sequrity.testing._server", "sequrity.sqrt._parser", "sequrity.sqrt._ast")
    ]


@pytest.mark.slow
def test_chat_on_the_embedded_emulator_loads_no_messages_or_responses_models():
    """`sequrity chat` with no key answers from an emulator serving only the chat routes."""
    out, stderr = fresh(_HELP, "chat", "What is the largest prime below 100?")

    assert out["code"] == 0
    assert out["help"].strip() == "97"
    assert "embedded emulator" in stderr
    assert not [
        m
        for m in out["modules"]
        if m.startswith(("sequrity.types.messages", "sequrity.types.responses"))
        or m in ("sequrity.testing._messages", "sequrity.testing._responses")
    ]
