"""
The emulator's built-in, deterministic "model": what it answers when no script says otherwise.

Rules, tried in order on the text of the last user message (case-insensitive):

1. ``largest prime (number) below|under|less than N`` -> the largest prime smaller than N
   (for example ``"What is the largest prime number below 100?"`` -> ``97``);
2. ``what is A <op> B`` with ``+``, ``-``, ``*``, ``x`` or ``/`` and integer or decimal operands ->
   the result (``"what is 2 + 3"`` -> ``5``; a division by zero falls through to rule 3);
3. otherwise ``Emulated answer to: <text>`` (the user text with surrounding whitespace stripped).

Token usage is counted in whitespace-separated words, never less than 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["answer_text", "answer_value", "count_tokens", "message_text"]

_PRIME = re.compile(
    r"largest\s+prime(?:\s+number)?\s+(?:below|under|less\s+than|smaller\s+than)\s+(\d+)"
)
_ARITH = re.compile(r"what\s+is\s+(-?\d+(?:\.\d+)?)\s*([-+*x/])\s*(-?\d+(?:\.\d+)?)", re.IGNORECASE)
_MAX_PRIME_BOUND = 10_000_000


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    return all(n % d for d in range(3, math.isqrt(n) + 1, 2))


def _largest_prime_below(bound: int) -> int | None:
    for n in range(min(bound, _MAX_PRIME_BOUND) - 1, 1, -1):
        if _is_prime(n):
            return n
    return None


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _arith(a: int | float, op: str, b: int | float) -> int | float | None:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op in "*x":
        return a * b
    if b == 0:
        return None
    result = a / b
    return int(result) if result.is_integer() else result


def answer_value(text: str) -> Any:
    """
    Apply the module's rules to `text`.

    Args:
        text: The last user message.

    Returns:
        An `int`/`float` for rules 1 and 2, else the ``Emulated answer to: ...`` string.
    """
    lowered = text.lower()
    prime = _PRIME.search(lowered)
    if prime is not None:
        found = _largest_prime_below(int(prime.group(1)))
        if found is not None:
            return found
    arith = _ARITH.search(text)
    if arith is not None:
        result = _arith(_number(arith.group(1)), arith.group(2).lower(), _number(arith.group(3)))
        if result is not None:
            return result
    return f"Emulated answer to: {text.strip()}"


def answer_text(text: str) -> str:
    """
    Return `answer_value` as the plain text a single-LLM assistant message carries.
    """
    value = answer_value(text)
    return value if isinstance(value, str) else str(value)


def message_text(content: Any) -> str:
    """
    Return the text of a message ``content`` (a string, a list of parts, or `None`).
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for part in content:
            if isinstance(part, Mapping):
                text = part.get("text", part.get("refusal"))
                if isinstance(text, str):
                    parts.append(text)
        return " ".join(parts)
    return str(content)


def count_tokens(texts: Iterable[str]) -> int:
    """
    Count whitespace-separated words in `texts`; at least 1.
    """
    return max(1, sum(len(t.split()) for t in texts))
