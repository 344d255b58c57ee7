"""
The Dual-LLM result envelope (`ResponseContentJsonSchema`), `parse_result`, which never raises, and
`PolicyViolationError`, a failure envelope raised where an answer is expected.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from ..._exceptions import SequrityError
from ...types._model_methods import ModelMethods
from ._results_parse import (
    Obj,
    ShapeError,
    boolean,
    child,
    expect_object,
    extra,
    fail,
    merge_extra,
    optional,
    require,
    string,
    string_set,
)

__all__ = [
    "ErrorInfo",
    "MetaData",
    "PolicyViolationError",
    "ResponseContentJsonSchema",
    "ValueWithMeta",
    "parse_result",
]

_STATUSES = ("success", "failure", "unknown")


@attrs.frozen(kw_only=True)
class MetaData(ModelMethods):
    """
    Security metadata of a program value: who produced it, who may consume it, and its tags.

    Attributes:
        producers: Sources the value was derived from.
        consumers: Who may receive the value; ``"*"`` means anyone.
        tags: Labels such as ``"__non_executable"`` or policy-defined tags.
        extra: Meta keys this version does not know, kept as received (a new key never makes
            the result unreadable).
    """

    producers: frozenset[str] = frozenset()
    consumers: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """
        Give the wire form of this metadata.

        Returns:
            The three sets as sorted JSON arrays, then the unknown keys.
        """
        known: dict[str, Any] = {
            "producers": sorted(self.producers),
            "consumers": sorted(self.consumers),
            "tags": sorted(self.tags),
        }
        return merge_extra(known, self.extra)


@attrs.frozen(kw_only=True)
class ValueWithMeta(ModelMethods):
    """
    A program value together with its metadata.

    A meta-only object, such as the session metadata (which has no value), is a `ValueWithMeta`
    with ``has_value=False`` and ``value=None``; `to_dict` then leaves out the ``value`` key.

    Attributes:
        value: The value, as decoded from JSON.
        meta: Its metadata; empty when the server sent none.
        value_type: The Python type name the server reports (for example ``"str"``), if any.
        has_value: Whether the object carried a ``value`` key (a ``null`` value counts).
        extra: Keys this version does not know, kept as received.
    """

    value: Any = None
    meta: MetaData = attrs.field(factory=MetaData)
    value_type: str | None = None
    has_value: bool = True
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """
        Give the wire form of this value.

        Returns:
            ``value`` (when `has_value`), ``meta``, ``value_type`` (when set), then unknown keys.
        """
        known: dict[str, Any] = {"value": self.value} if self.has_value else {}
        known["meta"] = self.meta.to_dict()
        if self.value_type is not None:
            known["value_type"] = self.value_type
        return merge_extra(known, self.extra)


@attrs.frozen
class ErrorInfo(ModelMethods):
    """
    Why a Dual-LLM run failed, for example a policy denial.

    Attributes:
        code: A machine-readable error code.
        message: The explanation, such as ``Tool call to 'send_email' is denied by argument
            checking policies. Context: {...}``.
        extra: Keys this version does not know, kept as received.
    """

    code: str
    message: str
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """
        Give the wire form of this error.

        Returns:
            ``code``, ``message``, then unknown keys.
        """
        return merge_extra({"code": self.code, "message": self.message}, self.extra)


@attrs.frozen(kw_only=True)
class ResponseContentJsonSchema(ModelMethods):
    """
    The JSON envelope a Dual-LLM run returns as the final assistant message's content.

    A policy denial is not an HTTP error: it arrives as a normal response whose envelope has
    ``status="failure"`` and an `error`. ``status="unknown"`` is made only on this side, by
    `parse_result`, when the content could not be read; `raw` and `parse_error` then say what was
    received and what was wrong with it.

    Attributes:
        status: ``"success"``, ``"failure"`` or ``"unknown"``.
        final_return_value: The program's ``final_return_value`` variable, if it set one.
        error: Why the run failed, when it did.
        program: The generated program (with ``include_program``).
        namespace_snapshot: The program's variables (with ``include_namespace_snapshot``).
        session_meta: The session's metadata, a meta-only `ValueWithMeta`.
        policy_check_history: Policy-check records (with ``include_policy_check_history``, or
            on violations), as received.
        message_history_mismatch_detected: Whether the re-sent history differed from the
            server's copy.
        raw: The content as received, when it could not be parsed.
        parse_error: What was wrong with `raw`, with a JSONPath where that helps.
        extra: Keys this version does not know, kept as received.
    """

    status: str
    final_return_value: ValueWithMeta | None = None
    error: ErrorInfo | None = None
    program: str | None = None
    namespace_snapshot: dict[str, ValueWithMeta] | None = None
    session_meta: ValueWithMeta | None = None
    policy_check_history: list[dict[str, Any]] | None = None
    message_history_mismatch_detected: bool | None = None
    raw: str | None = None
    parse_error: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @classmethod
    def parse_json_safe(cls, data: str | bytes | None) -> ResponseContentJsonSchema:
        """
        Parse the content of a Dual-LLM answer; the official name (and parameter) of
        `parse_result`.

        Args:
            data: The assistant message's content.

        Returns:
            The envelope; ``status="unknown"`` with `raw` and `parse_error` when unreadable.
        """
        return parse_result(data)

    @property
    def is_success(self) -> bool:
        """
        Whether the program ran to completion.

        Returns:
            True when `status` is ``"success"``.
        """
        return self.status == "success"

    @property
    def is_failure(self) -> bool:
        """
        Whether the server reported a failure (a policy denial, for example).

        Returns:
            True when `status` is ``"failure"``.
        """
        return self.status == "failure"

    @property
    def is_denied(self) -> bool:
        """
        Whether a policy denied a tool call.

        Returns:
            True for a failure whose error message contains "denied" (any case). A control-flow
            violation ("Control flow violation detected ...") is a failure but not a denial.
        """
        return self.is_failure and self.error is not None and "denied" in self.error.message.lower()

    @property
    def value(self) -> Any:
        """
        The program's return value.

        Returns:
            ``final_return_value.value``, or `None` when there is none.
        """
        return None if self.final_return_value is None else self.final_return_value.value

    def to_dict(self) -> dict[str, Any]:
        """
        Give the wire JSON of this envelope.

        Keys whose value is `None` are left out, sets become sorted arrays, and unknown keys are
        written back at every level. Values and unknown keys are not copied.

        Returns:
            A dict for `json.dumps`; `parse_result` of its JSON gives back an equal envelope.
        """
        known: dict[str, Any] = {"status": self.status}
        if self.final_return_value is not None:
            known["final_return_value"] = self.final_return_value.to_dict()
        if self.error is not None:
            known["error"] = self.error.to_dict()
        if self.program is not None:
            known["program"] = self.program
        if self.namespace_snapshot is not None:
            known["namespace_snapshot"] = {
                name: item.to_dict() for name, item in self.namespace_snapshot.items()
            }
        if self.session_meta is not None:
            known["session_meta"] = self.session_meta.to_dict()
        if self.policy_check_history is not None:
            known["policy_check_history"] = list(self.policy_check_history)
        if self.message_history_mismatch_detected is not None:
            known["message_history_mismatch_detected"] = self.message_history_mismatch_detected
        if self.raw is not None:
            known["raw"] = self.raw
        if self.parse_error is not None:
            known["parse_error"] = self.parse_error
        return merge_extra(known, self.extra)


class PolicyViolationError(SequrityError):
    """
    A Dual-LLM run ended with ``status: "failure"``: a policy denied a tool call, the program
    broke a control-flow policy, or the server stopped it for another reason its envelope gives.

    The client itself returns such an answer as a normal response (read it with
    `parse_result`); the framework integrations (`sequrity.integrations`) raise this error
    instead, so that an agent never takes a denial for an answer. The session stays usable:
    continue it with ``session_id=error.session_id``.

    Attributes:
        result: The failure envelope, with `error` and `policy_check_history`.
        session_id: The session the run belongs to, when known.
    """

    def __init__(self, result: ResponseContentJsonSchema, *, session_id: str | None = None) -> None:
        error = result.error
        message = error.message if error is not None else "the Dual-LLM run failed"
        super().__init__(message)
        self.message = message
        self.result = result
        self.session_id = session_id

    @property
    def code(self) -> str | None:
        """
        The envelope's ``error.code`` (for example ``"PolicyViolation"``).

        Returns:
            The code, or `None` when the envelope has no error.
        """
        return None if self.result.error is None else self.result.error.code

    @property
    def is_denied(self) -> bool:
        """
        Whether a policy denied a tool call (as opposed to another failure).

        Returns:
            `ResponseContentJsonSchema.is_denied` of the envelope.
        """
        return self.result.is_denied

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle their ``args``; this one is built from the envelope instead.
        return (type(self), (self.result,), {"session_id": self.session_id})


def parse_result(text: str | bytes | None) -> ResponseContentJsonSchema:
    """
    Parse the content of a Dual-LLM answer into a `ResponseContentJsonSchema`; never raises.

    Unknown keys are kept in ``extra`` at every level. A key the schema marks optional may be
    missing or ``null``. Anything else that does not fit (not JSON, not an object, a missing or
    unrecognised ``status``, a value of the wrong JSON type) gives ``status="unknown"`` with
    ``raw`` set to the text and ``parse_error`` saying what was wrong and where.

    Args:
        text: The assistant message's content (bytes are decoded as UTF-8).

    Returns:
        The envelope.

    Example:
        >>> parse_result('{"status": "success", "final_return_value": {"value": 97}}').value
        97
        >>> parse_result("not json").parse_error
        'invalid JSON: Expecting value: line 1 column 1 (char 0)'
    """
    raw, problem = _as_text(text)
    if raw is None:
        return ResponseContentJsonSchema(status="unknown", parse_error=problem)
    try:
        decoded = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return ResponseContentJsonSchema(
            status="unknown", raw=raw, parse_error=f"invalid JSON: {exc}"
        )
    try:
        return _read_envelope(decoded)
    except ShapeError as exc:
        return ResponseContentJsonSchema(status="unknown", raw=raw, parse_error=str(exc))
    except Exception as exc:  # pragma: no cover - a reader bug must not break the caller's flow
        problem = f"unexpected {type(exc).__name__}: {exc}"
        return ResponseContentJsonSchema(status="unknown", raw=raw, parse_error=problem)


def _as_text(text: object) -> tuple[str | None, str]:
    # Typed `object`: callers get content from untyped JSON, so anything may arrive here.
    if isinstance(text, str):
        return text, ""
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace"), ""
    if text is None:
        return None, "no content: expected a JSON string, got None"
    return None, f"expected a JSON string, got {type(text).__name__}"


_ENVELOPE_KEYS = frozenset(attrs.fields_dict(ResponseContentJsonSchema)) - {"extra"}
_VALUE_KEYS = frozenset({"value", "meta", "value_type"})
_META_KEYS = frozenset({"producers", "consumers", "tags"})
_ERROR_KEYS = frozenset({"code", "message"})


def _read_envelope(decoded: object) -> ResponseContentJsonSchema:
    obj = expect_object(decoded, "$")
    status = string(require(obj, "status", "$"), "$.status")
    if status not in _STATUSES:
        expected = ", ".join(map(repr, _STATUSES))
        raise ShapeError("$.status", f"expected one of {expected}, got {status!r}")
    return ResponseContentJsonSchema(
        status=status,
        final_return_value=optional(obj, "final_return_value", "$", _read_value),
        error=optional(obj, "error", "$", _read_error),
        program=optional(obj, "program", "$", string),
        namespace_snapshot=optional(obj, "namespace_snapshot", "$", _read_namespace),
        session_meta=optional(obj, "session_meta", "$", _read_value),
        policy_check_history=optional(obj, "policy_check_history", "$", _read_history),
        message_history_mismatch_detected=optional(
            obj, "message_history_mismatch_detected", "$", boolean
        ),
        raw=optional(obj, "raw", "$", string),
        parse_error=optional(obj, "parse_error", "$", string),
        extra=extra(obj, _ENVELOPE_KEYS),
    )


def _read_value(value: object, path: str) -> ValueWithMeta:
    obj = expect_object(value, path)
    meta = optional(obj, "meta", path, _read_meta)
    return ValueWithMeta(
        value=obj.get("value"),
        meta=MetaData() if meta is None else meta,
        value_type=optional(obj, "value_type", path, string),
        has_value="value" in obj,
        extra=extra(obj, _VALUE_KEYS),
    )


def _read_meta(value: object, path: str) -> MetaData:
    obj = expect_object(value, path)
    return MetaData(
        producers=_read_set(obj, "producers", path),
        consumers=_read_set(obj, "consumers", path),
        tags=_read_set(obj, "tags", path),
        extra=extra(obj, _META_KEYS),
    )


def _read_set(obj: Obj, key: str, path: str) -> frozenset[str]:
    found = optional(obj, key, path, string_set)
    return frozenset() if found is None else found


def _read_error(value: object, path: str) -> ErrorInfo:
    obj = expect_object(value, path)
    return ErrorInfo(
        string(require(obj, "code", path), child(path, "code")),
        string(require(obj, "message", path), child(path, "message")),
        extra=extra(obj, _ERROR_KEYS),
    )


def _read_namespace(value: object, path: str) -> dict[str, ValueWithMeta]:
    obj = expect_object(value, path)
    return {name: _read_value(item, child(path, name)) for name, item in obj.items()}


def _read_history(value: object, path: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        fail(path, "an array of objects", value)
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            fail(f"{path}[{index}]", "an object", item)
    return list(value)
