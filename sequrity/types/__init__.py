"""
Wire models of the APIs the Control API speaks (Chat Completions, Anthropic Messages, OpenAI
Responses), and `to_dict`, which gives any of them back as its JSON object.
"""

from __future__ import annotations

from ._dump import to_dict as to_dict

__all__ = ["to_dict"]
