"""
Emulator lifecycle: `Emulator` (async context manager on the running loop), `RunningEmulator`
(its own loop in a daemon thread, for blocking code and pytest) and `serve_forever` (the CLI).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from types import TracebackType
from typing import Any

from aiohttp import web

from ._app import build_app
from ._context import EmulatorState, RouteSpec
from ._defaults import DEFAULT_PORT
from ._faults import Faults
from ._policy import PolicyEngine, SqrtPolicyEngine
from ._records import RecordedRequest
from ._routes import default_routes
from ._script import Script
from ._script_file import ScriptFile
from ._sessions import SessionStore

__all__ = ["DEFAULT_PORT", "Emulator", "RunningEmulator", "serve_forever"]


class Emulator:
    """
    A local Sequrity Control API on ``127.0.0.1``, started with ``async with``.

    Args:
        host: The interface to bind (loopback by default; nothing else is needed for tests).
        port: The port; ``0`` picks a free one (read it back from `base_url`).
        api_keys: Accepted bearer tokens; `None` accepts any non-empty token.
        routes: The route table (default: `sequrity.testing._routes.default_routes`); the
            extension point for new APIs.
        policy_engine: The Dual-LLM policy evaluator (default: `SqrtPolicyEngine`).

    Example:
        >>> async with Emulator() as emu:
        ...     emu.script.reply("Hello!")
        ...     client = AsyncSequrityClient(api_key="k", base_url=emu.base_url)
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_keys: Iterable[str] | None = None,
        *,
        routes: Iterable[RouteSpec] | None = None,
        policy_engine: PolicyEngine | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._state = EmulatorState(
            api_keys=None if api_keys is None else frozenset(api_keys),
            policy=policy_engine if policy_engine is not None else SqrtPolicyEngine(),
        )
        self._routes = tuple(default_routes() if routes is None else routes)
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None

    async def start(self) -> None:
        """
        Bind the socket and start serving.

        Raises:
            RuntimeError: Already started.
            OSError: The address cannot be bound.
        """
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        app = build_app(self._state, self._routes)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self._host, self._port))
            site = web.SockSite(runner, sock)
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._bound_port = int(sock.getsockname()[1])
        self._runner = runner

    async def stop(self) -> None:
        """
        Stop serving and close open connections (idempotent).
        """
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """
        The bound port.

        Raises:
            RuntimeError: Not started.
        """
        if self._bound_port is None:
            raise RuntimeError("the emulator is not running; use 'async with Emulator() as emu'")
        return self._bound_port

    @property
    def base_url(self) -> str:
        """
        The base URL to give a client, e.g. ``http://127.0.0.1:54321`` (no trailing slash).
        """
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    @property
    def script(self) -> Script:
        """
        The scripted answers (see `Script`).
        """
        return self._state.script

    @property
    def faults(self) -> Faults:
        """
        The injected faults (see `Faults`).
        """
        return self._state.faults

    @property
    def sessions(self) -> SessionStore:
        """
        The sessions created so far.
        """
        return self._state.sessions

    @property
    def requests(self) -> list[RecordedRequest]:
        """
        A snapshot of the requests received so far, oldest first.
        """
        return self._state.requests.snapshot()

    def reset(self) -> None:
        """
        Forget scripts, faults, sessions and recorded requests; keep serving on the same port.
        """
        self._state.reset()

    @classmethod
    def start_in_thread(
        cls,
        host: str = "127.0.0.1",
        port: int = 0,
        api_keys: Iterable[str] | None = None,
        *,
        routes: Iterable[RouteSpec] | None = None,
        policy_engine: PolicyEngine | None = None,
        timeout: float = 10.0,
    ) -> RunningEmulator:
        """
        Start an emulator on its own event loop in a daemon thread.

        Args:
            host: As for `Emulator`.
            port: As for `Emulator`.
            api_keys: As for `Emulator`.
            routes: As for `Emulator`.
            policy_engine: As for `Emulator`.
            timeout: Seconds to wait for the server to start.

        Returns:
            The running emulator; call `RunningEmulator.stop` (or use ``with``) when done.
        """
        emulator = cls(host, port, api_keys, routes=routes, policy_engine=policy_engine)
        return RunningEmulator(emulator, timeout=timeout)


class RunningEmulator:
    """
    An `Emulator` serving from a background thread; usable from blocking code and any loop.

    The scripting, fault and inspection API is the emulator's own (it is thread-safe).
    """

    def __init__(self, emulator: Emulator, *, timeout: float = 10.0) -> None:
        self.emulator = emulator
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="sequrity-emulator", daemon=True
        )
        self._thread.start()
        started: Future[None] = asyncio.run_coroutine_threadsafe(emulator.start(), self._loop)
        try:
            started.result(timeout)
        except BaseException:
            self._shutdown_loop()
            raise

    def _shutdown_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()

    def stop(self, timeout: float = 10.0) -> None:
        """
        Stop the server and its thread (idempotent).
        """
        if self._loop.is_closed():
            return
        stopped = asyncio.run_coroutine_threadsafe(self.emulator.stop(), self._loop)
        try:
            stopped.result(timeout)
        finally:
            self._shutdown_loop()

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """
        The base URL, e.g. ``http://127.0.0.1:54321``.
        """
        return self.emulator.base_url

    @property
    def port(self) -> int:
        """
        The bound port.
        """
        return self.emulator.port

    @property
    def script(self) -> Script:
        """
        The scripted answers.
        """
        return self.emulator.script

    @property
    def faults(self) -> Faults:
        """
        The injected faults.
        """
        return self.emulator.faults

    @property
    def sessions(self) -> SessionStore:
        """
        The sessions created so far.
        """
        return self.emulator.sessions

    @property
    def requests(self) -> list[RecordedRequest]:
        """
        A snapshot of the requests received so far.
        """
        return self.emulator.requests

    def reset(self) -> None:
        """
        Forget scripts, faults, sessions and recorded requests.
        """
        self.emulator.reset()


def serve_forever(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    api_keys: Iterable[str] | None = None,
    *,
    ready: Callable[[str], Any] | None = print,
    script: ScriptFile | None = None,
) -> None:
    """
    Serve the emulator in the foreground until interrupted (Ctrl-C, or SIGTERM when its handler
    raises `KeyboardInterrupt` as the command line arranges).

    Args:
        host: The interface to bind.
        port: The port (``0`` = a free one; default 8765, as for ``sequrity emulator``).
        api_keys: Accepted bearer tokens; `None` accepts any.
        ready: Called with the base URL once serving (default: print it).
        script: Answers and faults to load before serving (see `ScriptFile`).

    Raises:
        OSError: The address cannot be bound (for example the port is in use).
    """

    async def main() -> None:
        async with Emulator(host, port, api_keys) as emu:
            if script is not None:
                script.apply(emu)
            if ready is not None:
                ready(emu.base_url)
            await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
