"""
Offline tools for SQRT, the Sequrity policy language: parser, syntax tree, formatter, evaluator.

The parser accepts exactly the language of the protocol spec (section 8) and never crashes.
"""

from __future__ import annotations

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
