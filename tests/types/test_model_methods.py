"""The pydantic-style methods of every model: exact shapes, validation errors, copies, round trips."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from typing import Any

import attrs
import pytest

import sequrity.types
from sequrity import SequrityClient, SequrityValidationError
from sequrity.control import (
    ControlFlowMetaPolicy,
    FeaturesHeader,
    FineGrainedConfigHeader,
    FsmOverrides,
    MetaData,
    ResponseContentJsonSchema,
    SecurityPolicyHeader,
)
from sequrity.types._model_methods import ModelMethods
from sequrity.types.chat_completion.request import JsonSchema, ResponseFormatJsonSchema
from sequrity.types.chat_completion.response import (
    ChatCompletionResponse,
    Choice,
    ResponseMessage,
    ResponseToolCall,
    ToolCallFunction,
)

TOOL_CALL = ResponseToolCall(id="tc-s-1", function=ToolCallFunction(arguments='{"a": 1}', name="f"))
MESSAGE = ResponseMessage(role="assistant", content=None, tool_calls=[TOOL_CALL], extra={"x": 1})


def _model_classes() -> list[type[Any]]:
    found: dict[str, type[Any]] = {}
    packages = [sequrity.types]
    names = [m.name for p in packages for m in pkgutil.walk_packages(p.__path__, p.__name__ + ".")]
    names += [
        "sequrity.control.types.policy_gen",
        "sequrity.control.types.results",
        "sequrity.control.types.utility",
        "sequrity.control.types.headers",
    ]
    for name in names:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                attrs.has(cls)
                and cls.__module__.startswith("sequrity.")
                and "accumulat" not in cls.__module__
            ):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def test_every_model_class_has_the_methods() -> None:
    """Every attrs model of the wire, header, result and policy types has the pydantic-style methods."""
    classes = _model_classes()

    # `HeaderValidation` is a report of `validate_header`, not a model of the API.
    missing = [
        c.__qualname__
        for c in classes
        if not issubclass(c, ModelMethods) and c.__name__ != "HeaderValidation"
    ]

    assert (len(classes) > 250, missing) == (True, [])


def test_response_message_dump_has_every_declared_field_and_no_extra() -> None:
    """JSON mode gives every declared field (None included) with nested dicts; unknown keys stay out."""
    assert MESSAGE.model_dump(mode="json") == {
        "role": "assistant",
        "content": None,
        "refusal": None,
        "annotations": None,
        "audio": None,
        "function_call": None,
        "tool_calls": [
            {"id": "tc-s-1", "function": {"arguments": '{"a": 1}', "name": "f"}, "type": "function"}
        ],
    }


def test_exclude_none_drops_none_fields_at_every_level() -> None:
    """`exclude_none=True` keeps only the fields that have a value, in nested models too."""
    assert MESSAGE.model_dump(exclude_none=True) == {
        "role": "assistant",
        "tool_calls": [
            {"id": "tc-s-1", "function": {"arguments": '{"a": 1}', "name": "f"}, "type": "function"}
        ],
    }


def test_sets_are_sets_in_python_mode_and_sorted_lists_in_json_mode() -> None:
    """Metadata sets dump as sets, or as sorted JSON arrays with mode="json"."""
    meta = MetaData(tags=frozenset({"b", "a"}))
    policy = ControlFlowMetaPolicy(tags={"RACE"})

    assert meta.model_dump() == {"producers": set(), "consumers": set(), "tags": {"a", "b"}}
    assert meta.model_dump(mode="json") == {"producers": [], "consumers": [], "tags": ["a", "b"]}
    assert policy.model_dump(mode="json") == {
        "mode": "deny",
        "producers": [],
        "tags": ["RACE"],
        "consumers": [],
    }


def test_trailing_underscore_names_and_aliases() -> None:
    """`schema_` is the key by default and `schema` with `by_alias=True`, as pydantic does."""
    schema = JsonSchema(name="answer", schema_={"type": "object"})

    assert list(schema.model_dump()) == ["name", "description", "schema_", "strict"]
    assert schema.model_dump(by_alias=True, exclude_none=True) == {
        "name": "answer",
        "schema": {"type": "object"},
    }


def test_response_dump_includes_the_session_id() -> None:
    """The session id a response arrived with is one of its fields."""
    response = ChatCompletionResponse(
        id="c",
        choices=[Choice(index=0, message=MESSAGE, finish_reason="tool_calls")],
        created=1,
        model="m",
        session_id="s-1",
    )

    assert response.model_dump()["session_id"] == "s-1"
    assert response.model_dump(include={"id", "session_id"}) == {"id": "c", "session_id": "s-1"}
    assert "choices" not in response.model_dump(exclude={"choices"})


def test_header_dump_keeps_its_fields_and_excludes_nested_ones() -> None:
    """Header models dump their declared fields; nested excludes work with a dict."""
    header = FineGrainedConfigHeader(fsm=FsmOverrides(max_n_turns=3, disable_rllm=True))

    dumped = header.model_dump(exclude_none=True, exclude={"fsm": {"disable_rllm"}})

    assert dumped == {"fsm": {"max_n_turns": 3}}
    assert FeaturesHeader.dual_llm().model_dump() == {
        "agent_arch": "dual-llm",
        "content_classifiers": None,
        "content_blockers": None,
    }


def test_dump_json_is_compact_json_text() -> None:
    """`model_dump_json` is the JSON-mode dump as compact text (or indented)."""
    text = MESSAGE.model_dump_json(exclude_none=True)

    assert text == json.dumps(
        MESSAGE.model_dump(mode="json", exclude_none=True), separators=(",", ":")
    )
    assert "\n" in MESSAGE.model_dump_json(indent=2)


@pytest.mark.parametrize(
    "obj",
    [
        MESSAGE,
        JsonSchema(name="answer", schema_={"type": "object"}),
        ResponseFormatJsonSchema(json_schema=JsonSchema(name="a", schema_={}, strict=True)),
        FeaturesHeader.dual_llm(toxicity_filter=True),
        SecurityPolicyHeader.dual_llm(codes='tool "t" { hard deny always; }'),
        MetaData(producers=frozenset({"p"})),
    ],
    ids=lambda o: type(o).__name__,
)
def test_validate_takes_back_a_json_dump(obj: Any) -> None:
    """`model_validate(obj.model_dump(mode="json", by_alias=True))` equals the object (unknown keys aside)."""
    again = type(obj).model_validate(obj.model_dump(mode="json", by_alias=True, exclude_none=True))

    assert (
        attrs.evolve(again, extra={}) == attrs.evolve(obj, extra={})
        if hasattr(obj, "extra")
        else again == obj
    )


def test_validate_returns_an_instance_unchanged_and_converts_other_models() -> None:
    """An instance of the class is returned as it is; another model of the same JSON is converted."""
    from sequrity.types.chat_completion.request import AssistantMessage

    converted = AssistantMessage.model_validate(MESSAGE)

    assert ResponseMessage.model_validate(MESSAGE) is MESSAGE
    assert converted.tool_calls is not None
    assert converted.tool_calls[0].id == "tc-s-1"


def test_validation_errors_are_value_errors_naming_the_field() -> None:
    """Bad data raises SequrityValidationError (a ValueError, like pydantic's), naming the field."""
    with pytest.raises(ValueError, match=r"function") as bad_wire:
        ResponseToolCall.model_validate({"id": "x"})
    with pytest.raises(
        SequrityValidationError, match=r"FeaturesHeader\.bogus: unknown field"
    ) as bad_header:
        FeaturesHeader.model_validate({"agent_arch": "dual-llm", "bogus": 1})

    assert isinstance(bad_wire.value, SequrityValidationError)
    assert isinstance(bad_header.value, ValueError)


def test_validate_json_reads_the_result_envelope() -> None:
    """The Dual-LLM envelope parses from its JSON text; invalid JSON raises instead of giving 'unknown'."""
    text = json.dumps(
        {
            "status": "failure",
            "error": {"code": "PolicyViolation", "message": "denied"},
            "program": "x = 1",
        }
    )

    envelope = ResponseContentJsonSchema.model_validate_json(text)

    assert (
        envelope.status,
        envelope.error.message if envelope.error else None,
        envelope.program,
    ) == ("failure", "denied", "x = 1")
    with pytest.raises(SequrityValidationError, match="Invalid JSON"):
        ResponseContentJsonSchema.model_validate_json("{not json")


def test_copy_replaces_the_updated_fields() -> None:
    """`model_copy(update=...)` gives a new object with those fields replaced."""
    header = FsmOverrides(max_n_turns=3)

    copied = header.model_copy(update={"max_n_turns": 5})
    deep = MESSAGE.model_copy(deep=True)

    assert (copied.max_n_turns, header.max_n_turns) == (5, 3)
    assert deep == MESSAGE
    assert deep.tool_calls is not MESSAGE.tool_calls


def test_a_response_message_goes_back_into_messages(sync_client: SequrityClient) -> None:
    """The assistant message object, or its JSON dump, is accepted in the next request's messages."""
    tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    history: list[Any] = [{"role": "user", "content": "call f"}]
    sent = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        ],
    }
    message = ResponseMessage.model_validate(sent)

    as_object = sync_client.control.chat.create(
        [*history, message, {"role": "tool", "tool_call_id": "call_1", "content": "ok"}],
        "m",
        tools=tools,
    )
    as_dump = sync_client.control.chat.create(
        [
            *history,
            message.model_dump(mode="json"),
            {"role": "tool", "tool_call_id": "call_1", "content": "ok"},
        ],
        "m",
        tools=tools,
    )

    assert as_object.content == as_dump.content
    assert as_object.content
