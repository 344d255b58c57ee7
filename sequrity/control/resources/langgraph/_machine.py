"""
The run as a pure step machine: the server's answer in, the node calls to make (or the result) out;
each call's outcome in, the tool result to send back out. No I/O: `_runner` drives it.

The machine knows where the graph is (its cursor follows edges, and routers' answers through
their path maps), so it checks that every call the server asks for is the one the graph expects,
and it knows whether the program ended at ``END``.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from typing import Any, NoReturn

import attrs

from ...._exceptions import SequrityValidationError
from ...types.results import ResponseContentJsonSchema
from ._compile import CompiledGraph, Goto, Route, ToolInfo, Transition
from ._errors import (
    LangGraphError,
    LangGraphExecutionError,
    LangGraphNodeError,
    LangGraphPolicyDeniedError,
    LangGraphStepLimitError,
)
from ._graph import END
from ._state import apply_update, initial_state, to_json
from ._types import LangGraphResult, NodeCall, NodeFinished

__all__ = ["Answer", "CallsAnswer", "FinalAnswer", "Finished", "RunMachine", "ServerCall", "Task"]


@attrs.frozen
class ServerCall:
    """
    One tool call the server asked for.
    """

    id: str
    name: str
    arguments: Any


@attrs.frozen
class CallsAnswer:
    """
    The server wants these calls run.
    """

    calls: tuple[ServerCall, ...]


@attrs.frozen
class FinalAnswer:
    """
    The server ended the run with this result envelope.
    """

    envelope: ResponseContentJsonSchema


Answer = CallsAnswer | FinalAnswer


@attrs.frozen(kw_only=True)
class Task:
    """
    A function to run for one server call.

    Attributes:
        call: The server's call.
        tool: The node or router.
        state: The state to pass (a copy).
    """

    call: ServerCall
    tool: ToolInfo
    state: dict[str, Any]


@attrs.frozen(kw_only=True)
class Finished:
    """
    The outcome of a task, ready to send back.

    Attributes:
        call_id: The server's call id.
        content: The tool-result text.
        event: For a node that succeeded, its `NodeFinished` event.
    """

    call_id: str
    content: str
    event: NodeFinished | None = None


def _is_langgraph(value: Any, *names: str) -> bool:
    cls = type(value)
    return cls.__name__ in names and cls.__module__.startswith("langgraph")


class RunMachine:
    """
    One run of a compiled graph.

    Args:
        graph: The compiled graph.
        given: The caller's initial state (never modified).
        max_requests: The most requests the run may send.
    """

    def __init__(
        self, graph: CompiledGraph, given: Mapping[str, Any], *, max_requests: int
    ) -> None:
        self._graph = graph
        self._max_requests = max_requests
        self.state = initial_state(graph.spec, given)
        self.calls: list[NodeCall] = []
        self.steps = 0
        self.session_id: str | None = None
        self._visits = 0
        self._adopt = False
        self._failure: tuple[str, BaseException] | None = None
        self._cursor: Transition = Goto(END)
        self._enter(graph.entry)

    # -- where the graph is ----------------------------------------------------------------------

    def _enter(self, transition: Transition) -> None:
        # Internal nodes run on the server: step over them; their updates arrive with the next
        # call's state (or the final value), which the client then adopts.
        while (
            isinstance(transition, Goto)
            and transition.node in self._graph.spec.internal
            and self._visits < self._graph.max_steps
        ):
            self._visits += 1
            self._adopt = True
            transition = self._graph.transitions.get(transition.node, Goto(END))
        self._cursor = transition

    @property
    def expected(self) -> str | None:
        """
        The tool the graph runs next, or `None` once it reached ``END``.

        Returns:
            A node or router name.
        """
        if isinstance(self._cursor, Route):
            return self._cursor.branch.tool_name
        return None if self._cursor.node == END else self._cursor.node

    def jsonable_state(self) -> Any:
        """
        Give the current state as plain JSON values (for ``context_vars``).

        Returns:
            The decoded JSON of the state.
        """
        return json.loads(to_json(self.state))

    # -- the server's answers ---------------------------------------------------------------------

    def receive(
        self, answer: Answer, session_id: str | None
    ) -> tuple[ServerCall, ...] | LangGraphResult:
        """
        Take one answer of the server.

        Args:
            answer: The answer, read by the wire adapter.
            session_id: The session id the answer carried.

        Returns:
            The calls to run (one `begin`/`finish` each, in order), or the result of a run that
            reached ``END``.

        Raises:
            LangGraphError: a node failed earlier, a policy denied a call, the server failed, or
                the step limit was reached (each a subclass).
        """
        self.steps += 1
        self.session_id = session_id or self.session_id
        envelope = answer.envelope if isinstance(answer, FinalAnswer) else None
        if self._failure is not None:
            name, exc = self._failure
            message = f"LangGraph node {name!r} failed: {type(exc).__name__}: {exc}"
            raise LangGraphNodeError(message, node=name, **self._context(envelope)) from exc
        if isinstance(answer, FinalAnswer):
            return self._final(answer.envelope)
        if not answer.calls:
            self._fail(LangGraphExecutionError, "the server asked for tool calls but sent none")
        if self.steps >= self._max_requests:
            self._fail(
                LangGraphStepLimitError,
                f"the graph did not reach END within max_exec_steps={self._max_requests} requests",
            )
        return answer.calls

    def _final(self, envelope: ResponseContentJsonSchema) -> LangGraphResult:
        context = self._context(envelope)
        if envelope.is_failure:
            error = envelope.error
            detail = f"{error.code}: {error.message}" if error else "no error given"
            if envelope.is_denied:
                message = f"a policy denied the LangGraph run at {self.expected!r}: {detail}"
                raise LangGraphPolicyDeniedError(message, node=self.expected, **context)
            raise LangGraphExecutionError(
                f"the server failed the LangGraph run: {detail}", **context
            )
        if not envelope.is_success:
            problem = envelope.parse_error or envelope.status
            self._fail(LangGraphExecutionError, f"unreadable final answer: {problem}", envelope)
        if self._adopt and isinstance(envelope.value, dict):
            self.state = dict(envelope.value)
        if self.expected is not None:
            if self._visits >= self._graph.max_steps:
                self._fail(
                    LangGraphStepLimitError,
                    f"the graph did not reach END within max_exec_steps={self._graph.max_steps} "
                    "node visits",
                    envelope,
                )
            self._fail(
                LangGraphExecutionError,
                f"the program ended before the graph reached END (next: {self.expected!r})",
                envelope,
            )
        return LangGraphResult(
            state=self.state,
            final_value=envelope.value,
            envelope=envelope,
            session_id=self.session_id,
            node_calls=tuple(self.calls),
            steps=self.steps,
        )

    # -- running calls -----------------------------------------------------------------------------

    @property
    def failed(self) -> bool:
        """
        Whether a node or router failed (the run then only reports back and stops).

        Returns:
            True after a failure.
        """
        return self._failure is not None

    def begin(self, call: ServerCall) -> Task:
        """
        Start one call: check it is the one the graph expects.

        Args:
            call: The server's call.

        Returns:
            The task to run.

        Raises:
            LangGraphExecutionError: the graph expects another call (or none).
        """
        expected = self.expected
        if call.name != expected:
            wanted = "nothing (it reached END)" if expected is None else repr(expected)
            self._fail(
                LangGraphExecutionError,
                f"the server asked for {call.name!r}, but the graph expects {wanted}",
            )
        tool = self._graph.tool(call.name)
        if tool is None:  # pragma: no cover - expected names are always tools
            self._fail(LangGraphExecutionError, f"no local function for {call.name!r}")
        if self._adopt and isinstance(call.arguments, dict):
            server_state = call.arguments.get("state")
            if isinstance(server_state, dict):
                self.state = dict(server_state)
            self._adopt = False
        if tool.kind == "node":
            self._visits += 1
        return Task(call=call, tool=tool, state=dict(self.state))

    def finish(self, task: Task, value: Any = None, error: BaseException | None = None) -> Finished:
        """
        Record what a task's function returned (or raised) and give the tool result to send.

        Args:
            task: The task.
            value: The function's return value.
            error: The exception it raised, if any.

        Returns:
            The tool result (an ``"Error: ..."`` text for a failure, which fails the run).

        Raises:
            SequrityValidationError: the function returned a construct this runner does not
                support (``Send``, ``Command``, several destinations).
        """
        name = task.tool.name
        if error is None and task.tool.kind == "node":
            if _is_langgraph(value, "Command", "Send"):
                raise SequrityValidationError(
                    f"node {name!r} returned a {type(value).__name__}; Command and Send are not "
                    "supported by the Sequrity LangGraph runner (use edges and routers)"
                )
            if value is not None and not isinstance(value, Mapping):
                error = TypeError(f"expected a dict of state updates, got {type(value).__name__}")
        if error is None and task.tool.kind == "node":
            changed = apply_update(self._graph.spec, self.state, value or {})
            self._record(task, value, None)
            self._enter(self._graph.transitions.get(name, Goto(END)))
            event = NodeFinished(
                node=name, call_id=task.call.id, update=value, state=dict(self.state)
            )
            return Finished(call_id=task.call.id, content=to_json(changed), event=event)
        if error is None:
            route = self._cursor
            assert isinstance(route, Route)
            key, found = self._route_key(name, route.destinations, value)
            if found:
                self._record(task, key, None)
                self._enter(Goto(route.destinations[key]))
                return Finished(call_id=task.call.id, content=to_json(key))
            keys = ", ".join(repr(k) for k in route.destinations)
            error = ValueError(f"router returned {value!r}, which is not one of {keys}")
        text = f"{type(error).__name__}: {error}"
        self._record(task, value, text)
        self._failure = (name, error)
        return Finished(call_id=task.call.id, content=f"Error: {text}")

    def skip(self, call: ServerCall) -> Finished:
        """
        Answer a call that is not run because an earlier one failed.

        Args:
            call: The server's call.

        Returns:
            An ``"Error: ..."`` tool result.
        """
        return Finished(call_id=call.id, content="Error: not run: an earlier node failed")

    @staticmethod
    def _route_key(name: str, destinations: Mapping[Hashable, str], value: Any) -> tuple[Any, bool]:
        if isinstance(value, list | tuple):
            if len(value) != 1:
                raise SequrityValidationError(
                    f"router {name!r} returned {len(value)} destinations; parallel fan-out is not "
                    "supported by the Sequrity LangGraph runner"
                )
            value = value[0]
        if _is_langgraph(value, "Send", "Command"):
            raise SequrityValidationError(
                f"router {name!r} returned a {type(value).__name__}; Send and Command are not "
                "supported by the Sequrity LangGraph runner"
            )
        try:
            found = value in destinations
        except TypeError:
            found = False
        if not found:
            return value, False
        # Send the path map's own key: the router may return an equal value of another type.
        key = next(k for k in destinations if k == value)
        return key, True

    def _record(self, task: Task, output: Any, error: str | None) -> None:
        self.calls.append(
            NodeCall(
                id=task.call.id,
                name=task.tool.name,
                kind=task.tool.kind,
                output=output,
                error=error,
                step=self.steps,
            )
        )

    # -- errors ------------------------------------------------------------------------------------

    def _context(self, envelope: ResponseContentJsonSchema | None) -> dict[str, Any]:
        return {
            "state": dict(self.state),
            "node_calls": tuple(self.calls),
            "session_id": self.session_id,
            "steps": self.steps,
            "envelope": envelope,
        }

    def _fail(
        self,
        cls: type[LangGraphError],
        message: str,
        envelope: ResponseContentJsonSchema | None = None,
    ) -> NoReturn:
        raise cls(message, **self._context(envelope))
