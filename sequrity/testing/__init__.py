"""
A faithful, deterministic local emulator of the Sequrity Control API, for tests: scripted model
answers, fault injection, request recording, and a pytest plugin (fixture ``sequrity_emulator``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes as _lazy_attributes

if TYPE_CHECKING:
    from ._faults import Fault as Fault
    from ._faults import FaultBuilder as FaultBuilder
    from ._faults import Faults as Faults
    from ._policy import PolicyEngine as PolicyEngine
    from ._policy import PolicySettings as PolicySettings
    from ._policy import SqrtPolicyEngine as SqrtPolicyEngine
    from ._policy import Verdict as Verdict
    from ._records import RecordedRequest as RecordedRequest
    from ._script import ChatCall as ChatCall
    from ._script import ErrorReply as ErrorReply
    from ._script import Final as Final
    from ._script import Reply as Reply
    from ._script import Script as Script
    from ._script import ToolCalls as ToolCalls
    from ._script import ToolCallSpec as ToolCallSpec
    from ._script_file import ScriptFile as ScriptFile
    from ._script_file import ScriptFileError as ScriptFileError
    from ._server import Emulator as Emulator
    from ._server import RunningEmulator as RunningEmulator
    from ._server import serve_forever as serve_forever
    from ._sessions import Session as Session
    from ._sessions import SessionStore as SessionStore
    from ._when import When as When


__all__ = [
    "ChatCall",
    "Emulator",
    "ErrorReply",
    "Fault",
    "FaultBuilder",
    "Faults",
    "Final",
    "PolicyEngine",
    "PolicySettings",
    "RecordedRequest",
    "Reply",
    "RunningEmulator",
    "Script",
    "ScriptFile",
    "ScriptFileError",
    "Session",
    "SessionStore",
    "SqrtPolicyEngine",
    "ToolCallSpec",
    "ToolCalls",
    "Verdict",
    "When",
    "serve_forever",
]

# Every name loads on first use (see `sequrity._lazy`): the command line imports this package's
# command-line module without starting, or even loading, the emulator.
__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "Fault": "sequrity.testing._faults",
        "FaultBuilder": "sequrity.testing._faults",
        "Faults": "sequrity.testing._faults",
        "PolicyEngine": "sequrity.testing._policy",
        "PolicySettings": "sequrity.testing._policy",
        "SqrtPolicyEngine": "sequrity.testing._policy",
        "Verdict": "sequrity.testing._policy",
        "RecordedRequest": "sequrity.testing._records",
        "ChatCall": "sequrity.testing._script",
        "ErrorReply": "sequrity.testing._script",
        "Final": "sequrity.testing._script",
        "Reply": "sequrity.testing._script",
        "Script": "sequrity.testing._script",
        "ToolCalls": "sequrity.testing._script",
        "ToolCallSpec": "sequrity.testing._script",
        "ScriptFile": "sequrity.testing._script_file",
        "ScriptFileError": "sequrity.testing._script_file",
        "Emulator": "sequrity.testing._server",
        "RunningEmulator": "sequrity.testing._server",
        "serve_forever": "sequrity.testing._server",
        "Session": "sequrity.testing._sessions",
        "SessionStore": "sequrity.testing._sessions",
        "When": "sequrity.testing._when",
    },
)
