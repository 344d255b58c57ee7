"""
Offline tools for SQRT, the Sequrity policy language: parser, syntax tree, formatter, evaluator.

The parser accepts exactly the language of the protocol spec (section 8) and never crashes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes as _lazy_attributes

if TYPE_CHECKING:
    from . import _ast as ast
    from ._ast import Node as Node
    from ._ast import Program as Program
    from ._ast import children as children
    from ._ast import walk as walk
    from ._errors import SqrtEvalError as SqrtEvalError
    from ._errors import SqrtParseError as SqrtParseError
    from ._format import format as format
    from ._format import format_tree as format_tree
    from ._hooks import check_policy_code as check_policy_code
    from ._parser import ParseResult as ParseResult
    from ._parser import check as check
    from ._parser import check_file as check_file
    from ._parser import parse as parse
    from ._parser import parse_tree as parse_tree
    from ._parser import validate as validate
    from ._policy import Decision as Decision
    from ._policy import FiredRule as FiredRule
    from ._policy import Policy as Policy
    from ._policy import ResultOutcome as ResultOutcome
    from ._policy import ToolCall as ToolCall
    from ._policy import apply_result as apply_result
    from ._policy import evaluate_call as evaluate_call
    from ._sets import Meta as Meta
    from ._sets import MetaSet as MetaSet
    from ._sets import Value as Value
    from ._sets import propagate as propagate


__all__ = [
    "Decision",
    "FiredRule",
    "Meta",
    "MetaSet",
    "Node",
    "ParseResult",
    "Policy",
    "Program",
    "ResultOutcome",
    "SqrtEvalError",
    "SqrtParseError",
    "ToolCall",
    "Value",
    "apply_result",
    "ast",
    "check",
    "check_file",
    "check_policy_code",
    "children",
    "evaluate_call",
    "format",
    "format_tree",
    "parse",
    "parse_tree",
    "propagate",
    "validate",
    "walk",
]

# Every name loads on first use (see `sequrity._lazy`): `sequrity --help` builds the policy
# commands' parser without loading the parser or the evaluator.
__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "ast": "sequrity.sqrt._ast:",
        "Node": "sequrity.sqrt._ast",
        "Program": "sequrity.sqrt._ast",
        "children": "sequrity.sqrt._ast",
        "walk": "sequrity.sqrt._ast",
        "SqrtEvalError": "sequrity.sqrt._errors",
        "SqrtParseError": "sequrity.sqrt._errors",
        "format": "sequrity.sqrt._format",
        "format_tree": "sequrity.sqrt._format",
        "check_policy_code": "sequrity.sqrt._hooks",
        "ParseResult": "sequrity.sqrt._parser",
        "check": "sequrity.sqrt._parser",
        "check_file": "sequrity.sqrt._parser",
        "parse": "sequrity.sqrt._parser",
        "parse_tree": "sequrity.sqrt._parser",
        "validate": "sequrity.sqrt._parser",
        "Decision": "sequrity.sqrt._policy",
        "FiredRule": "sequrity.sqrt._policy",
        "Policy": "sequrity.sqrt._policy",
        "ResultOutcome": "sequrity.sqrt._policy",
        "ToolCall": "sequrity.sqrt._policy",
        "apply_result": "sequrity.sqrt._policy",
        "evaluate_call": "sequrity.sqrt._policy",
        "Meta": "sequrity.sqrt._sets",
        "MetaSet": "sequrity.sqrt._sets",
        "Value": "sequrity.sqrt._sets",
        "propagate": "sequrity.sqrt._sets",
    },
)
