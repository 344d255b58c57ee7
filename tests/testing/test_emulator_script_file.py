"""Script files (`ScriptFile`, ``sequrity emulator --script FILE``): format, checks and effect."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cli_helpers import run_sequrity, standalone_emulator
from emulator_helpers import AUTH, CHAT, body, post

from sequrity.testing import Emulator, ScriptFile, ScriptFileError

WEATHER_TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}


def write(tmp_path: Path, data: Any) -> Path:
    """Write `data` as a JSON script file (a string is written as is)."""
    path = tmp_path / "script.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.anyio
async def test_answers_and_faults_of_a_script_file_apply_in_order(
    tmp_path: Path, http: aiohttp.ClientSession, emu: Emulator
):
    """Replies, tool calls, HTTP errors and faults from the file answer requests in file order."""
    path = write(
        tmp_path,
        {
            "answers": [
                {"reply": "scripted hello", "route": "/control/chat/*"},
                {"http_error": 418, "detail": "teapot", "headers": {"X-Why": "script"}},
                {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]},
            ],
            "faults": [{"status": 503, "retry_after": 0, "route": "/control/code/*"}],
        },
    )
    ScriptFile.load(path).apply(emu)

    first = await post(http, emu, body("a"))
    second = await post(http, emu, body("b"))
    third = await post(http, emu, body("c", tools=[WEATHER_TOOL]))
    faulted = await post(http, emu, body("d"), path="/control/code/v1/chat/completions")
    after = await post(http, emu, body("e"), path="/control/code/v1/chat/completions")

    assert first[1]["choices"][0]["message"]["content"] == "scripted hello"
    assert (second[0], second[1], second[2]["X-Why"]) == (418, {"detail": "teapot"}, "script")
    call = third[1]["choices"][0]["message"]["tool_calls"][0]["function"]
    assert (call["name"], json.loads(call["arguments"])) == ("get_weather", {"city": "Paris"})
    assert (faulted[0], faulted[2]["Retry-After"]) == (503, "0")
    assert after[0] == 200


def test_every_fault_kind_maps_to_the_python_api(tmp_path: Path):
    """Each fault kind of the file registers the fault its FaultBuilder method would."""
    path = write(
        tmp_path,
        {
            "faults": [
                {"status": 429, "retry_after_ms": 5, "should_retry": True, "times": 2},
                {"delay": 0.25, "times": None},
                {"reset": True, "during_body": True, "after_events": 2},
                {"truncate_body": True},
                {"truncate_stream": True, "after_events": 3},
                {"stream_error": "boom", "route": "/control/chat/*"},
                {"stream_delay": 0.01},
                {"trickle": True, "chunk_size": 4, "seconds": 0},
            ]
        },
    )
    with Emulator.start_in_thread() as emu:
        ScriptFile.load(path).apply(emu)
        faults = emu.faults.registered

    assert [f.kind for f in faults] == [
        "status", "delay", "reset", "truncate_body", "truncate_stream",
        "stream_error", "stream_delay", "trickle",
    ]  # fmt: skip
    assert (faults[0].status, faults[0].remaining, faults[0].headers) == (
        429,
        2,
        {"retry-after-ms": "5", "x-should-retry": "true"},
    )
    assert (faults[1].seconds, faults[1].remaining) == (0.25, None)
    assert (faults[2].during_body, faults[2].after_events) == (True, 2)
    assert (faults[5].message, faults[5].route) == ("boom", "/control/chat/*")
    assert faults[7].chunk_size == 4


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{oops", "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
        ("[]", 'expected an object with "answers" and/or "faults", got an array'),
        ({"answer": []}, 'unknown key "answer" (a script has "answers" and "faults")'),
        ({"answers": {}}, "answers: must be an array, got an object"),
        ({"answers": ["hi"]}, "answers[0]: expected an object, got a string"),
        ({"answers": [{"text": "hi"}]}, 'answers[0]: needs exactly one of "reply", "tool_calls", "final", "http_error" (got none)'),
        ({"answers": [{"reply": "a", "final": 1}]}, 'answers[0]: needs exactly one of "reply", "tool_calls", "final", "http_error" (got "reply" and "final")'),
        ({"answers": [{"reply": "a", "detail": 1}]}, 'answers[0]: unknown key "detail" (allowed here: reply, times, route, session, when)'),
        ({"answers": [{"reply": "a", "when": {"user": "x"}}]}, 'answers[0].when: unknown key "user" (allowed here: last_user_contains, last_user_matches, tools, called, not_called, after_tool_results)'),
        ({"answers": [{"reply": "a", "when": {"tools": 3}}]}, "answers[0].when.tools: must be a string or an array of strings, got a number"),
        ({"answers": [{"reply": "a", "when": {"last_user_matches": "("}}]}, "answers[0].when.last_user_matches: not a valid regular expression: missing ), unterminated subpattern at position 0"),
        ({"answers": [{"tool_calls": [{"name": "t", "arguments": {"a": {"$match": 1}}}]}]}, 'answers[0].tool_calls[0].arguments.a: "$match" needs "when": {"last_user_matches": ...} on the answer'),
        ({"answers": [{"tool_calls": [{"name": "t", "arguments": {"a": {"$result": "x", "b": 1}}}]}]}, 'answers[0].tool_calls[0].arguments.a: a template is an object with exactly one key, "$match" or "$result"'),
        ({"answers": [{"final": {"$result": 1}}]}, 'answers[0].final: "$result" takes a tool name'),
        ({"answers": [{"reply": "a", "branches_on": ["t"]}]}, 'answers[0]: unknown key "branches_on" (allowed here: reply, times, route, session, when)'),
        ({"answers": [{"reply": 5}]}, "answers[0].reply: must be a string, got a number"),
        ({"answers": [{"reply": "a", "times": 0}]}, "answers[0].times: must be a whole number >= 1 or null (always), got 0"),
        ({"answers": [{"tool_calls": []}]}, "answers[0].tool_calls: must be a non-empty array, got an array"),
        ({"answers": [{"tool_calls": [{"arguments": {}}]}]}, 'answers[0].tool_calls[0]: needs a "name" (the tool to call)'),
        ({"answers": [{"http_error": 200}]}, "answers[0].http_error: must be an HTTP error status (400 to 599), got a number"),
        ({"answers": [{"final": 1, "status": "ok"}]}, 'answers[0].status: must be "success" or "failure", got a string'),
        ({"faults": [{"status": 503, "retry": 1}]}, 'faults[0]: unknown key "retry" (allowed here: status, detail, retry_after, retry_after_ms, should_retry, headers, times, route)'),
        ({"faults": [{"delay": "1s"}]}, "faults[0].delay: must be seconds (a number >= 0), got a string"),
        ({"faults": [{"reset": False}]}, "faults[0].reset: must be true, got a boolean"),
        ({"faults": [{"explode": True}]}, 'faults[0]: needs exactly one of "status", "delay", "reset", "truncate_body", "truncate_stream", "stream_error", "stream_delay", "trickle" (got none)'),
    ],
)  # fmt: skip
def test_a_bad_script_file_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, content: Any, problem: str
):
    """Every mistake in a script file is reported with the file name and the entry's position."""
    path = write(tmp_path, content)

    with pytest.raises(ScriptFileError) as caught:
        ScriptFile.load(path)

    assert str(caught.value) == f"{path}: {problem}"


def test_emulator_command_refuses_a_bad_script_file_in_one_line(tmp_path: Path):
    """`sequrity emulator --script` with a bad file prints one error line and exits 2."""
    path = write(tmp_path, {"answers": [{"reply": "a", "times": -1}]})
    missing = tmp_path / "missing.json"

    bad = run_sequrity("emulator", "--port", "0", "--script", str(path))
    absent = run_sequrity("emulator", "--port", "0", "--script", str(missing))

    assert (bad.returncode, absent.returncode) == (2, 2)
    assert bad.stderr.splitlines() == [
        f"sequrity: error: bad --script file {path}: answers[0].times: "
        "must be a whole number >= 1 or null (always), got -1"
    ]
    assert absent.stderr.splitlines() == [
        f"sequrity: error: bad --script file {missing}: cannot read it: No such file or directory"
    ]


def test_standalone_emulator_answers_from_its_script_file_over_http(tmp_path: Path):
    """A curl-style client of `sequrity emulator --script FILE` gets the scripted tool call."""
    path = write(
        tmp_path,
        {"answers": [{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Oslo"}}]}]},
    )
    request_body = json.dumps(body("weather?", tools=[WEATHER_TOOL])).encode()

    with standalone_emulator("--script", str(path)) as emu:
        request = urllib.request.Request(
            emu.url + CHAT,
            data=request_body,
            headers={**AUTH, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())

    assert f"script {path}: 1 answer(s), 0 fault(s)" in emu.line
    message = answer["choices"][0]["message"]
    assert message["tool_calls"][0]["function"]["name"] == "get_weather"
    assert answer["choices"][0]["finish_reason"] == "tool_calls"
