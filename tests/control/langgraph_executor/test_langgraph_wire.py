"""client.control.langgraph against the emulator: routes, body, headers, sessions, errors, streams."""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import attrs
import pytest
from langgraph_helpers import (
    MODEL,
    Counter,
    abump,
    bump,
    cycle_spec,
    judge,
    mail_spec,
    read_file,
    send_email,
)

from sequrity import AsyncSequrityClient, RetryPolicy, SequrityClient, SequrityValidationError
from sequrity.control import (
    ControlConfig,
    FeaturesHeader,
    FineGrainedConfigHeader,
    FsmOverrides,
    MetaData,
    ResponseFormatOverrides,
    SecurityPolicyHeader,
)
from sequrity.control.resources.langgraph import (
    START,
    BranchSpec,
    GraphSpec,
    LangGraphExecutor,
    LangGraphNodeError,
    LangGraphPolicyDeniedError,
    LangGraphResource,
    LangGraphStepLimitError,
    NodeFinished,
    NodeStarted,
    RunFinished,
)

pytestmark = pytest.mark.anyio

FAST_RETRY = RetryPolicy(initial_backoff=0, max_backoff=0)
DENY_MAIL = (
    'tool "read_file" -> @tags |= {"confidential"};\n'
    'tool "send_email" { hard deny when "confidential" in state.tags; }\n'
)


def lang_graph_requests(emulator: Any) -> list[Any]:
    """The recorded requests to lang-graph routes."""
    return [r for r in emulator.requests if r.path.startswith("/control/lang-graph/")]


@pytest.mark.parametrize(
    ("provider", "path"),
    [
        (None, "/control/lang-graph/v1/chat/completions"),
        ("openai", "/control/lang-graph/openai/v1/chat/completions"),
        ("openrouter", "/control/lang-graph/openrouter/v1/chat/completions"),
        ("sequrity_azure", "/control/lang-graph/sequrity_azure/v1/chat/completions"),
        ("anthropic", "/control/lang-graph/anthropic/v1/messages"),
    ],
)
async def test_each_provider_has_its_route(client, emulator, provider, path):
    """Chat providers use lang-graph chat/completions; anthropic uses lang-graph messages."""
    state = await client.control.langgraph.run(
        mail_spec(), {"query": "q"}, MODEL, provider=provider
    )

    assert state == {"query": "q", "result": "Email sent: File contents: Hello World"}
    assert {r.path for r in lang_graph_requests(emulator)} == {path}


async def test_chat_body_carries_program_context_vars_and_tools(client, emulator):
    """The body has the compiled program, the initial state with default meta, and node tools."""
    await client.control.langgraph.run(mail_spec(), {"query": "q"}, MODEL)

    body = lang_graph_requests(emulator)[0].json
    assert body["user_provided_program"] == LangGraphExecutor(mail_spec()).generated_code
    assert body["context_vars"] == {
        "initial_state": {
            "value": {"query": "q"},
            "meta": {"producers": [], "consumers": ["*"], "tags": []},
        }
    }
    assert [t["function"]["name"] for t in body["tools"]] == ["read_file", "send_email"]
    assert body["model"] == MODEL
    assert body["messages"][0]["role"] == "user"


async def test_messages_body_has_max_tokens_and_anthropic_tools(client, emulator):
    """Over Messages: max_tokens 16384 and tools with input_schema."""
    await client.control.langgraph.run(mail_spec(), {"query": "q"}, MODEL, provider="anthropic")

    body = lang_graph_requests(emulator)[0].json
    assert body["max_tokens"] == 16384
    assert body["tools"][0]["name"] == "read_file"
    assert "input_schema" in body["tools"][0]


async def test_x_config_is_planner_only_and_the_callers_header_is_unchanged(client, emulator):
    """X-Config gets fsm.disable_rllm=true on a copy; the caller's object keeps its values."""
    config = FineGrainedConfigHeader(fsm=FsmOverrides(max_n_turns=10))

    await client.control.langgraph.run(
        mail_spec(), {"query": "q"}, MODEL, fine_grained_config=config
    )

    sent = [json.loads(r.headers["X-Config"]) for r in lang_graph_requests(emulator)]
    assert sent[0] == {"fsm": {"max_n_turns": 10, "disable_rllm": True}}
    assert config.fsm is not None
    assert config.fsm.disable_rllm is None
    assert (
        json.loads(lang_graph_requests(emulator)[0].headers["X-Features"])["agent_arch"]
        == "dual-llm"
    )


async def test_client_defaults_are_used_and_not_changed(emulator):
    """The client's ControlConfig headers are sent (planner-only copy) and stay as they were."""
    defaults = ControlConfig(
        fine_grained_config=FineGrainedConfigHeader(fsm=FsmOverrides(max_n_turns=7)),
        features=FeaturesHeader.dual_llm(pii_redaction=True),
    )
    async with AsyncSequrityClient("k", base_url=emulator.base_url, control=defaults) as c:
        await c.control.langgraph.run(mail_spec(), {}, MODEL)

    headers = lang_graph_requests(emulator)[0].headers
    assert json.loads(headers["X-Config"]) == {"fsm": {"max_n_turns": 7, "disable_rllm": True}}
    assert defaults.fine_grained_config == FineGrainedConfigHeader(fsm=FsmOverrides(max_n_turns=7))


async def test_first_request_has_no_session_id_and_later_ones_carry_it(client, emulator):
    """A run starts a fresh session, then names it on every later request."""
    client.control.set_session_id("some-other-conversation")

    result = await client.control.langgraph.execute(mail_spec(), {}, MODEL)

    sent = [r.headers.get("X-Session-ID") for r in lang_graph_requests(emulator)]
    assert sent == [None, result.session_id, result.session_id]
    assert result.session_id in emulator.sessions


async def test_each_node_runs_exactly_once_per_visit(client, emulator):
    """In a cycle, every node function runs once per visit and the server saw the same calls."""
    counter = Counter()
    spec = attrs.evolve(
        cycle_spec(),
        nodes={"bump": counter.wrap("bump", bump), "judge": counter.wrap("judge", judge)},
    )

    result = await client.control.langgraph.execute(spec, {"n": 0}, MODEL)

    assert counter.calls == {"bump": 3, "judge": 1}
    assert result.visited == ["bump", "bump", "bump", "judge"]
    issued = [c.name for c in emulator.sessions[result.session_id].calls.values()]
    assert issued == ["bump", "again", "bump", "again", "bump", "again", "judge"]


async def test_async_nodes_are_awaited_and_sync_nodes_run_on_worker_threads(client):
    """A coroutine node is awaited on the loop; a plain node runs off the loop's thread."""
    counter = Counter()
    loop_thread = threading.get_ident()
    spec = attrs.evolve(
        cycle_spec(abump), nodes={"bump": abump, "judge": counter.wrap("judge", judge)}
    )

    state = await client.control.langgraph.run(spec, {"n": 0}, MODEL)

    assert state["log"] == ["abump0", "abump1", "abump2", "judge"]
    assert loop_thread not in counter.threads


async def test_a_hard_deny_raises_the_typed_denial_with_the_partial_state(client, emulator):
    """A policy denying send_email stops the run: the error has read_file's update only."""
    sent: list[str] = []

    def mail(state: dict[str, Any]) -> dict[str, Any]:
        sent.append(state["result"])
        return send_email(state)

    spec = attrs.evolve(mail_spec(), nodes={"read_file": read_file, "send_email": mail})
    policy = SecurityPolicyHeader.dual_llm(codes=DENY_MAIL)

    with pytest.raises(LangGraphPolicyDeniedError) as caught:
        await client.control.langgraph.run(spec, {"query": "q"}, MODEL, security_policy=policy)

    assert sent == []
    assert caught.value.node == "send_email"
    assert caught.value.state == {"query": "q", "result": "File contents: Hello World"}
    assert "'send_email' is denied" in caught.value.envelope.error.message


async def test_initial_state_meta_reaches_the_policies(client, emulator):
    """Tags given in initial_state_meta are sent in context_vars and can deny the first node."""
    meta = MetaData(tags=frozenset({"secret"}), consumers=frozenset({"*"}))
    policy = SecurityPolicyHeader.dual_llm(
        codes='tool "read_file" { hard deny when "secret" in state.tags; }'
    )

    with pytest.raises(LangGraphPolicyDeniedError) as caught:
        await client.control.langgraph.run(
            mail_spec(), {"query": "q"}, MODEL, initial_state_meta=meta, security_policy=policy
        )

    sent = lang_graph_requests(emulator)[0].json["context_vars"]["initial_state"]["meta"]
    assert sent == {"producers": [], "consumers": ["*"], "tags": ["secret"]}
    assert (caught.value.node, caught.value.state, caught.value.node_calls) == (
        "read_file",
        {"query": "q"},
        (),
    )


async def test_a_429_mid_run_is_retried_and_the_run_completes(client, emulator):
    """A rate limit on the request carrying a node's result is retried through the normal path."""

    def read_and_trip(state: dict[str, Any]) -> dict[str, Any]:
        emulator.faults.next_n(1).status(429, retry_after=0)
        return read_file(state)

    spec = attrs.evolve(mail_spec(), nodes={"read_file": read_and_trip, "send_email": send_email})

    result = await client.control.langgraph.execute(spec, {}, MODEL)

    assert result.state["result"] == "Email sent: File contents: Hello World"
    assert result.steps == 3
    assert len(lang_graph_requests(emulator)) == 4


async def test_a_node_exception_is_reported_to_the_server_then_raised(client, emulator):
    """The server receives "Error: ..." as the tool result; the caller gets LangGraphNodeError."""

    def broken(state: dict[str, Any]) -> dict[str, Any]:
        raise ConnectionError("smtp down")

    spec = attrs.evolve(mail_spec(), nodes={"read_file": read_file, "send_email": broken})

    with pytest.raises(LangGraphNodeError) as caught:
        await client.control.langgraph.run(spec, {}, MODEL)

    last = lang_graph_requests(emulator)[-1].json["messages"][-1]
    assert last == {
        "role": "tool",
        "tool_call_id": caught.value.node_calls[-1].id,
        "content": "Error: ConnectionError: smtp down",
    }
    assert isinstance(caught.value.__cause__, ConnectionError)
    assert caught.value.envelope.status == "failure"


async def test_a_graph_that_never_ends_hits_the_step_limit(client):
    """An endless cycle raises LangGraphStepLimitError after max_exec_steps requests."""
    spec = GraphSpec(
        nodes={"bump": bump},
        edges=[(START, "bump")],
        branches=[
            BranchSpec(source="bump", router=lambda s: "x", path_map={"x": "bump"}, name="loop")
        ],
    )

    with pytest.raises(LangGraphStepLimitError) as caught:
        await client.control.langgraph.run(spec, {"n": 0}, MODEL, max_exec_steps=5)

    assert caught.value.steps == 5
    assert caught.value.state["n"] == 2


async def test_two_concurrent_runs_never_share_a_session(client, emulator):
    """Runs started together each get their own session and their own results."""
    results: list[Any] = [None, None]

    async def run(i: int) -> None:
        results[i] = await client.control.langgraph.execute(cycle_spec(), {"n": i}, MODEL)

    async with anyio.create_task_group() as tg:
        tg.start_soon(run, 0)
        tg.start_soon(run, 1)

    assert results[0].session_id != results[1].session_id
    assert [r.visited.count("bump") for r in results] == [3, 2]
    assert [emulator.sessions[r.session_id].requests for r in results] == [r.steps for r in results]


async def test_the_callers_initial_state_is_never_modified(client):
    """The input dict (and its nested list) is the same after the run."""
    given = {"n": 0, "log": ["start"]}

    state = await client.control.langgraph.run(cycle_spec(), given, MODEL)

    assert given == {"n": 0, "log": ["start"]}
    assert state["log"][0] == "start"


async def test_stream_yields_typed_events_then_the_result(client):
    """Events come as NodeStarted/NodeFinished per node, then RunFinished."""
    events = [e async for e in client.control.langgraph.stream(mail_spec(), {}, MODEL)]

    kinds = [(type(e).__name__, getattr(e, "node", None)) for e in events]
    assert kinds == [
        ("NodeStarted", "read_file"),
        ("NodeFinished", "read_file"),
        ("NodeStarted", "send_email"),
        ("NodeFinished", "send_email"),
        ("RunFinished", None),
    ]
    assert isinstance(events[-1], RunFinished)
    assert events[-1].result.state == events[-2].state


async def test_stream_updates_view_has_langgraphs_shape(client):
    """stream_mode="updates" yields {node: update} per node."""
    updates = [
        u
        async for u in client.control.langgraph.stream(
            cycle_spec(), {"n": 1}, MODEL, stream_mode="updates"
        )
    ]

    assert updates == [
        {"bump": {"n": 2, "log": ["bump1"]}},
        {"bump": {"n": 3, "log": ["bump2"]}},
        {"judge": {"verdict": "big", "log": ["judge"]}},
    ]


async def test_cancelling_a_stream_releases_its_connection(client, emulator):
    """Cancelled while waiting for the server, the run frees its pooled connection at once."""
    seen: list[Any] = []

    def read_then_stall(state: dict[str, Any]) -> dict[str, Any]:
        emulator.faults.next_n(1).delay(5.0)
        return read_file(state)

    spec = attrs.evolve(mail_spec(), nodes={"read_file": read_then_stall, "send_email": send_email})
    with anyio.move_on_after(0.5) as scope:
        async for event in client.control.langgraph.stream(spec, {}, MODEL):
            seen.append(event)

    assert scope.cancelled_caught
    assert [type(e) for e in seen] == [NodeStarted, NodeFinished]
    assert sum(len(c._acquired) for c in connectors(client)) == 0


async def test_leaving_a_stream_early_sends_nothing_more(client, emulator):
    """Breaking out after the first node leaves no request in flight and stops the run."""
    stream = client.control.langgraph.stream(mail_spec(), {}, MODEL)
    async for event in stream:
        if isinstance(event, NodeFinished):
            break
    await stream.aclose()

    assert len(lang_graph_requests(emulator)) == 1
    assert sum(len(c._acquired) for c in connectors(client)) == 0


def connectors(client: AsyncSequrityClient) -> list[Any]:
    """The aiohttp connectors of a client (private API, as in tests/test_leaks.py)."""
    transport = client._transport
    sessions = [transport._session, *transport._sessions.values()]
    return [s.connector for s in sessions if s is not None and s.connector is not None]


@pytest.mark.parametrize(
    "options",
    [
        {"features": FeaturesHeader.single_llm()},
        {
            "fine_grained_config": FineGrainedConfigHeader(
                response_format=ResponseFormatOverrides(strip_response_content=True)
            )
        },
        {"max_exec_steps": 0},
        {"node_functions": {"nope": read_file}},
        {"unknown_option": 1},
    ],
    ids=["single-llm", "strip-content", "zero-steps", "unknown-node", "unknown-keyword"],
)
async def test_bad_options_are_refused_before_anything_is_sent(client, emulator, options):
    """Invalid options raise SequrityValidationError and no request reaches the server."""
    with pytest.raises(SequrityValidationError):
        await client.control.langgraph.run(mail_spec(), {}, MODEL, **options)

    assert lang_graph_requests(emulator) == []


# -- the blocking twin ------------------------------------------------------------------------


def test_blocking_client_runs_graphs_from_many_threads(sequrity_emulator):
    """One SequrityClient runs graphs from 4 threads at once, each in its own session."""
    with SequrityClient("k", base_url=sequrity_emulator.base_url, retry=FAST_RETRY) as client:
        assert isinstance(client.control.langgraph, LangGraphResource)
        with ThreadPoolExecutor(4) as pool:
            results = list(
                pool.map(
                    lambda n: client.control.langgraph.execute(cycle_spec(), {"n": n}, MODEL),
                    range(4),
                )
            )

    assert [r.state["n"] for r in results] == [3, 3, 3, 4]
    assert len({r.session_id for r in results}) == 4


def test_blocking_client_runs_a_graph_inside_a_running_loop(sequrity_emulator):
    """Called from a coroutine (as in Jupyter), the blocking run completes without deadlock."""
    with SequrityClient("k", base_url=sequrity_emulator.base_url) as client:

        async def inside() -> dict[str, Any]:
            return client.control.langgraph.run(
                mail_spec(), {}, MODEL, node_functions={"read_file": read_file}
            )

        state = asyncio.run(inside())

    assert state["result"] == "Email sent: File contents: Hello World"


def test_blocking_stream_yields_updates_and_closes_early(sequrity_emulator):
    """The blocking stream iterates updates; leaving early stops the run."""
    with SequrityClient("k", base_url=sequrity_emulator.base_url) as client:
        all_updates = list(
            client.control.langgraph.stream(cycle_spec(), {"n": 2}, MODEL, stream_mode="updates")
        )
        before = len(sequrity_emulator.requests)
        for _ in client.control.langgraph.stream(mail_spec(), {}, MODEL):
            break

    assert all_updates == [
        {"bump": {"n": 3, "log": ["bump2"]}},
        {"judge": {"verdict": "big", "log": ["judge"]}},
    ]
    assert len(sequrity_emulator.requests) == before + 1
