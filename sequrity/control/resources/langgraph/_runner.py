"""
The thin async driver of a run: resolve the options once (pure `prepare`), then loop: send the
conversation through ``chat.create`` / ``messages.create`` of the same client (so retries, the
rate-limit gate, deadlines, typed errors and sessions all apply), hand the answer to the step
machine, run the node functions it asks for, and yield what happened as events.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import anyio
import attrs

from ...._exceptions import SequrityValidationError
from ...._sentinel import NOT_GIVEN
from ..._options import KeyOptions
from ...types.headers import FeaturesHeader, FineGrainedConfigHeader, FsmOverrides
from ...types.results import MetaData
from ._adapter import load_graph
from ._compile import CompiledGraph, compile_graph
from ._machine import Finished, RunMachine
from ._types import LangGraphEvent, LangGraphOptions, NodeStarted, RunFinished
from ._wire import (
    MESSAGES_MAX_TOKENS,
    opening_messages,
    read_chat,
    read_messages,
    reply_chat,
    reply_messages,
)

if TYPE_CHECKING:
    from ..._config import ControlConfig
    from ..chat import AsyncChatResource
    from ..messages import AsyncMessagesResource

__all__ = ["RunPlan", "Senders", "drive", "prepare"]

ENDPOINT_TYPE = "lang-graph"
_DEFAULT_META: dict[str, Any] = {"producers": [], "consumers": ["*"], "tags": []}
#: Options passed to ``create`` unchanged when given (``features`` and ``fine_grained_config``
#: are adapted first).
_PASSED = (*KeyOptions.__optional_keys__, "provider", "security_policy")


class Senders(Protocol):
    """What a run sends through: the chat and messages resources of one client."""

    @property
    def chat(self) -> AsyncChatResource: ...

    @property
    def messages(self) -> AsyncMessagesResource: ...


@attrs.frozen(kw_only=True)
class RunPlan:
    """
    Everything a run needs, resolved before anything is sent.

    Attributes:
        graph: The compiled graph.
        initial_state: The caller's initial state.
        model: The model name(s).
        messages_api: Whether the run speaks Anthropic Messages (provider ``anthropic``).
        max_requests: ``max_exec_steps``.
        meta: The metadata of the initial state.
        request: Keywords for every ``create`` call (headers, route, deadlines).
    """

    graph: CompiledGraph
    initial_state: Mapping[str, Any]
    model: str
    messages_api: bool
    max_requests: int
    meta: dict[str, Any]
    request: dict[str, Any]


def _features(value: FeaturesHeader | None) -> FeaturesHeader:
    if value is None:
        return FeaturesHeader.dual_llm()
    if value.agent_arch is None:
        return attrs.evolve(value, agent_arch="dual-llm")
    if value.agent_arch != "dual-llm":
        raise SequrityValidationError(
            "LangGraph execution requires 'dual-llm' agent architecture; features has "
            f"agent_arch={value.agent_arch!r}"
        )
    return value


def _planner_only(value: FineGrainedConfigHeader | None) -> FineGrainedConfigHeader:
    """A copy of `value` with ``fsm.disable_rllm=true``: the program is given, so no review."""
    config = value if value is not None else FineGrainedConfigHeader()
    response_format = config.response_format
    if response_format is not None and response_format.strip_response_content:
        raise SequrityValidationError(
            "LangGraph execution requires 'strip_response_content' to be False (the result "
            "envelope is read)"
        )
    fsm = config.fsm if config.fsm is not None else FsmOverrides()
    return attrs.evolve(config, fsm=attrs.evolve(fsm, disable_rllm=True))


def _meta(value: MetaData | Mapping[str, Any] | None) -> dict[str, Any]:
    if value is None:
        return dict(_DEFAULT_META)
    if isinstance(value, MetaData):
        return value.to_dict()
    if isinstance(value, Mapping):
        return dict(value)
    raise SequrityValidationError(
        f"initial_state_meta must be a MetaData or a mapping, got {type(value).__name__}"
    )


def prepare(
    config: ControlConfig,
    graph: Any,
    initial_state: Mapping[str, Any],
    model: str,
    options: LangGraphOptions,
) -> RunPlan:
    """
    Resolve a run's options against the client's `ControlConfig` and compile the graph (pure).

    Raises:
        SequrityValidationError: an unknown keyword, a bad value or an unsupported graph.
        LangGraphUnavailableError: a LangGraph graph without ``langgraph`` installed.
    """
    unknown = sorted(set(options) - LangGraphOptions.__optional_keys__)
    if unknown:
        raise SequrityValidationError(f"unexpected keyword argument(s): {', '.join(unknown)}")
    if not isinstance(initial_state, Mapping):
        raise SequrityValidationError(
            f"initial_state must be a dict, got {type(initial_state).__name__}"
        )
    if not isinstance(model, str) or not model:
        raise SequrityValidationError("model must be a non-empty string")
    max_requests = options.get("max_exec_steps", 20)
    spec = load_graph(graph, options.get("node_functions"), options.get("internal_node_mapping"))
    compiled = compile_graph(spec, max_steps=max_requests)
    features = options.get("features", NOT_GIVEN)
    fine_grained = options.get("fine_grained_config", NOT_GIVEN)
    request: dict[str, Any] = {
        "endpoint_type": ENDPOINT_TYPE,
        "features": _features(config.features if features is NOT_GIVEN else features),
        "fine_grained_config": _planner_only(
            config.fine_grained_config if fine_grained is NOT_GIVEN else fine_grained
        ),
    }
    request.update({k: options[k] for k in _PASSED if k in options})  # type: ignore[literal-required]
    provider = request.get("provider", NOT_GIVEN)
    effective = config.provider if provider is NOT_GIVEN else provider
    return RunPlan(
        graph=compiled,
        initial_state=initial_state,
        model=model,
        messages_api=effective == "anthropic",
        max_requests=max_requests,
        meta=_meta(options.get("initial_state_meta")),
        request=request,
    )


async def _invoke(fn: Callable[..., Any], state: dict[str, Any]) -> Any:
    if inspect.iscoroutinefunction(fn):
        return await fn(state)
    result = await anyio.to_thread.run_sync(functools.partial(fn, state), abandon_on_cancel=True)
    if inspect.isawaitable(result):
        return await result
    return result


async def drive(control: Senders, plan: RunPlan) -> AsyncIterator[LangGraphEvent]:
    """
    Run the plan: yield `NodeStarted` and `NodeFinished` per node, then `RunFinished`.

    Args:
        control: The resources to send through (``client.control``).
        plan: The prepared run.

    Raises:
        LangGraphError: the run stopped (a subclass says why).
        SequrityError: any error of the requests themselves (after retries).
    """
    machine = RunMachine(plan.graph, plan.initial_state, max_requests=plan.max_requests)
    state = machine.jsonable_state()
    history = opening_messages(state)
    extra_body = {
        "user_provided_program": plan.graph.program,
        "context_vars": {"initial_state": {"value": state, "meta": plan.meta}},
    }
    while True:
        # The first request names no session (a fresh one per run); later ones name the run's.
        if plan.messages_api:
            response: Any = await control.messages.create(
                history,
                plan.model,
                MESSAGES_MAX_TOKENS,
                tools=plan.graph.messages_tools(),
                session_id=machine.session_id,
                extra_body=extra_body,
                **plan.request,
            )
            answer = read_messages(response)
        else:
            response = await control.chat.create(
                history,
                plan.model,
                tools=plan.graph.chat_tools(),
                session_id=machine.session_id,
                extra_body=extra_body,
                **plan.request,
            )
            answer = read_chat(response)
        outcome = machine.receive(answer, response.session_id)
        if not isinstance(outcome, tuple):
            yield RunFinished(result=outcome)
            return
        results: list[Finished] = []
        for call in outcome:
            if machine.failed:
                results.append(machine.skip(call))
                continue
            task = machine.begin(call)
            if task.tool.kind == "node":
                yield NodeStarted(node=task.tool.name, call_id=call.id, state=dict(task.state))
            try:
                value = await _invoke(task.tool.function, task.state)
            except Exception as exc:
                finished = machine.finish(task, error=exc)
            else:
                finished = machine.finish(task, value)
            if finished.event is not None:
                yield finished.event
            results.append(finished)
        if plan.messages_api:
            reply_messages(history, response, results)
        else:
            reply_chat(history, response, results)
