"""Tests for the public surface: `__all__` of `sequrity` and `sequrity.control`, seed import paths, errors."""

from __future__ import annotations
import __future__

import importlib
import inspect
import types
from typing import get_args

import pytest

import sequrity
import sequrity.control


def public_names(module: types.ModuleType) -> set[str]:
    """
    Names a user sees on `module` (`dir()`, so lazily loaded names count): no leading underscore,
    no submodules, no `__future__` flags, no `typing.TYPE_CHECKING`.
    """
    return {
        name
        for name in dir(module)
        if not name.startswith("_")
        and name != "TYPE_CHECKING"
        and not isinstance(value := getattr(module, name), types.ModuleType)
        and not isinstance(value, __future__._Feature)
    }


@pytest.mark.parametrize("module", [sequrity, sequrity.control], ids=lambda m: m.__name__)
def test_all_lists_exactly_the_public_names(module: types.ModuleType) -> None:
    """`__all__` (minus dunder entries such as `__version__`) equals the public names of the module."""
    declared = {name for name in module.__all__ if not name.startswith("_")}

    assert declared == public_names(module)


@pytest.mark.parametrize("module", [sequrity, sequrity.control], ids=lambda m: m.__name__)
def test_all_has_no_duplicates(module: types.ModuleType) -> None:
    """Every name is listed once."""
    assert len(module.__all__) == len(set(module.__all__))


@pytest.mark.parametrize(
    ("module_name", "name"),
    [(m.__name__, n) for m in (sequrity, sequrity.control) for n in m.__all__],
)
def test_every_name_in_all_is_importable(module_name: str, name: str) -> None:
    """`from <module> import <name>` works for each name of `__all__`."""
    namespace: dict[str, object] = {}

    exec(f"from {module_name} import {name}", namespace)

    assert namespace[name] is getattr(importlib.import_module(module_name), name)


def test_star_import_gives_exactly_all() -> None:
    """`from sequrity import *` binds exactly the names of `__all__`."""
    namespace: dict[str, object] = {}

    exec("from sequrity import *", namespace)

    assert set(namespace) - {"__builtins__"} == set(sequrity.__all__)


def test_version_is_a_string() -> None:
    """`sequrity.__version__` is a non-empty version string."""
    assert (type(sequrity.__version__), bool(sequrity.__version__)) == (str, True)


def test_seed_request_import_path() -> None:
    """The request models import from `sequrity.types.chat_completion.request`."""
    from sequrity.types.chat_completion.request import (
        AssistantMessage,
        ChatCompletionRequest,
        FunctionDefinition,
        Message,
        ResponseFormat,
        SystemMessage,
        Tool,
        ToolMessage,
        UserMessage,
    )

    names = [
        AssistantMessage,
        ChatCompletionRequest,
        FunctionDefinition,
        SystemMessage,
        Tool,
        ToolMessage,
        UserMessage,
    ]

    assert all(inspect.isclass(n) for n in names)
    assert (
        set(get_args(Message)) >= {SystemMessage, UserMessage, AssistantMessage, ToolMessage},
        len(get_args(ResponseFormat)),
    ) == (True, 3)


def test_seed_response_import_path() -> None:
    """The response models import from `sequrity.types.chat_completion.response`."""
    from sequrity.types.chat_completion.response import (
        ChatCompletionResponse,
        Choice,
        CompletionUsage,
        ResponseMessage,
        ResponseToolCall,
    )

    classes = [ChatCompletionResponse, Choice, CompletionUsage, ResponseMessage, ResponseToolCall]

    assert [c.__name__ for c in classes] == [
        "ChatCompletionResponse",
        "Choice",
        "CompletionUsage",
        "ResponseMessage",
        "ResponseToolCall",
    ]


def test_seed_stream_import_path() -> None:
    """`ChatCompletionChunk` imports from the stream module and is the one re-exported at the top."""
    from sequrity.types.chat_completion.stream import ChatCompletionChunk

    assert ChatCompletionChunk is sequrity.ChatCompletionChunk


def test_seed_results_import_path() -> None:
    """Dual-LLM result types import from `sequrity.control.types.results`."""
    from sequrity.control.types.results import ErrorInfo, ResponseContentJsonSchema

    assert (ErrorInfo, ResponseContentJsonSchema) == (
        sequrity.control.ErrorInfo,
        sequrity.control.ResponseContentJsonSchema,
    )


def test_seed_headers_import_path() -> None:
    """Header classes import from `sequrity.types.control.headers` and are the control ones."""
    from sequrity.types.control.headers import FeaturesHeader, SecurityPolicyHeader

    assert (FeaturesHeader, SecurityPolicyHeader) == (
        sequrity.control.FeaturesHeader,
        sequrity.control.SecurityPolicyHeader,
    )


def test_top_level_request_and_response_are_the_seed_classes() -> None:
    """`sequrity.ChatCompletionRequest/Response` are the classes of the seed modules."""
    from sequrity.types.chat_completion.request import ChatCompletionRequest
    from sequrity.types.chat_completion.response import ChatCompletionResponse

    assert (sequrity.ChatCompletionRequest, sequrity.ChatCompletionResponse) == (
        ChatCompletionRequest,
        ChatCompletionResponse,
    )


PUBLIC_EXCEPTIONS = sorted(
    name
    for name in sequrity.__all__
    if inspect.isclass(getattr(sequrity, name))
    and issubclass(getattr(sequrity, name), BaseException)
)


def test_public_exceptions_are_exported() -> None:
    """The documented error tree is exported from `sequrity`."""
    assert {
        "SequrityError",
        "SequrityAPIError",
        "SequrityValidationError",
        "SequrityConnectionError",
        "RateLimitError",
    } <= set(PUBLIC_EXCEPTIONS)


@pytest.mark.parametrize("name", PUBLIC_EXCEPTIONS)
def test_every_public_exception_derives_from_sequrity_error(name: str) -> None:
    """Catching SequrityError catches every exception the package exports."""
    assert issubclass(getattr(sequrity, name), sequrity.SequrityError)


def test_every_exception_of_the_error_module_derives_from_sequrity_error() -> None:
    """No exception class in `sequrity._exceptions` escapes the SequrityError tree."""
    from sequrity import _exceptions

    stray = [
        name
        for name, value in vars(_exceptions).items()
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and not issubclass(value, sequrity.SequrityError)
    ]

    assert stray == []


def test_not_given_is_falsy_and_prints_its_name() -> None:
    """`NOT_GIVEN` is falsy, a singleton, and reprs as `NOT_GIVEN`."""
    assert (
        bool(sequrity.NOT_GIVEN),
        repr(sequrity.NOT_GIVEN),
        isinstance(sequrity.NOT_GIVEN, sequrity.NotGiven),
    ) == (
        False,
        "NOT_GIVEN",
        True,
    )
