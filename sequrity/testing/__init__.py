"""
A faithful, deterministic local emulator of the Sequrity Control API, for tests: scripted model
answers, fault injection, request recording, and a pytest plugin (fixture ``sequrity_emulator``).
"""

from __future__ import annotations

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
