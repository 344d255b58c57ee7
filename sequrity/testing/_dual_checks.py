"""
Two Dual-LLM checks beyond the SQRT tool policy:

* The **branching meta-policy** (``X-Policy.presets.branching_meta_policy``, in effect in
  ``"custom"`` mode only). A scripted step may say which tools' results the emulated program
  branched on to decide it (``branches_on``); the metadata of those results is checked. ``"deny"``
  (a blacklist) is violated when the value carries any listed producer, consumer or tag; ``"allow"``
  (a whitelist) when it carries a producer or tag not listed (the server's own ``__`` tags, such as
  ``__non_executable``, do not count).
* The internal tool **parse_with_ai** (the quarantined LLM). The emulator runs it itself when a
  scripted step calls it and ``fsm.enabled_internal_tools`` does not leave it out: with
  ``presets.enable_llm_blocked_tag`` (default true), an argument tagged ``__llm_blocked`` denies
  the call (``llm_blocked_tag_enforcement_level`` ``"hard"``, the default; at ``"soft"`` a firing
  SQRT hard allow for ``parse_with_ai`` lets it through); then the SQRT policy applies as to any
  tool. The emulator has no language model: the result is the value of the call's first argument,
  tagged ``__tool/parse_with_ai``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sequrity.sqrt import Meta, MetaSet, Value, propagate

from ._config import EffectiveConfig
from ._errors import ScriptError
from ._sessions import Session

__all__ = [
    "CONTROL_FLOW_MESSAGE",
    "LLM_BLOCKED",
    "PARSE_WITH_AI",
    "PARSE_WITH_AI_TAG",
    "branch_violation",
    "internal_tool_enabled",
    "llm_blocked_denial",
    "parse_with_ai_result",
    "text_of",
]

PARSE_WITH_AI = "parse_with_ai"
#: The tag whose data must never reach an LLM.
LLM_BLOCKED = "__llm_blocked"
#: The tag the results of ``parse_with_ai`` carry.
PARSE_WITH_AI_TAG = "__tool/parse_with_ai"

CONTROL_FLOW_MESSAGE = "Control flow violation detected during program execution."


def _listed(policy: Mapping[str, Any], field: str) -> MetaSet:
    values = policy.get(field)
    return (
        MetaSet.of(v for v in values if isinstance(v, str))
        if isinstance(values, list)
        else MetaSet()
    )


def branch_violation(
    effective: EffectiveConfig, session: Session, branches_on: Sequence[str]
) -> dict[str, Any] | None:
    """
    Check a step decided by branching on the results of `branches_on`.

    Returns:
        The policy-check entry of a violation (``{"branching_meta_policy": ..., "meta": ...}``),
        or `None` when the branch is allowed (or the policy is not in effect).

    Raises:
        ScriptError: A tool in `branches_on` has no result in the session.
    """
    if not branches_on or effective.policy.get("mode") != "custom":
        return None
    policy = effective.preset("branching_meta_policy", {})
    if not isinstance(policy, Mapping):
        return None
    latest: dict[str, Meta] = {result.call.name: result.value.meta for result in session.history}
    missing = [name for name in branches_on if name not in latest]
    if missing:
        raise ScriptError(f"branches_on names {missing} but the session has no result of them")
    meta = propagate(*(latest[name] for name in branches_on))
    if policy.get("mode", "deny") == "allow":
        own = MetaSet.of(t for t in meta.tags.items if not str(t).startswith("__"))
        tags = MetaSet() if meta.tags.cofinite else own
        bad = (
            not tags.minus(_listed(policy, "tags")).is_empty
            or not meta.producers.minus(_listed(policy, "producers")).is_empty
        )
    else:
        bad = any(
            not meta.get(field).intersect(_listed(policy, field)).is_empty
            for field in ("producers", "consumers", "tags")
        )
    if not bad:
        return None
    return {
        "branching_meta_policy": dict(policy),
        "branched_on": list(branches_on),
        "meta": meta.to_json(),
    }


def internal_tool_enabled(effective: EffectiveConfig, name: str) -> bool:
    """
    Whether the internal tool `name` is enabled (``fsm.enabled_internal_tools`` lists it, or is
    not set).
    """
    fsm = effective.config.get("fsm")
    enabled = fsm.get("enabled_internal_tools") if isinstance(fsm, Mapping) else None
    return enabled is None or (isinstance(enabled, list) and name in enabled)


def llm_blocked_denial(effective: EffectiveConfig, args: Mapping[str, Value]) -> str | None:
    """
    Return the enforcement level (``"hard"`` or ``"soft"``) of the ``__llm_blocked`` rule when
    it fires for a ``parse_with_ai`` call with `args`, else `None`.
    """
    if effective.preset("enable_llm_blocked_tag", True) is False:
        return None
    if not any(LLM_BLOCKED in value.meta.tags for value in args.values()):
        return None
    level = effective.preset("llm_blocked_tag_enforcement_level", "hard")
    return "soft" if level == "soft" else "hard"


def parse_with_ai_result(args: Mapping[str, Value]) -> Value:
    """
    The emulated answer of ``parse_with_ai``: its first argument's value, with the arguments'
    metadata plus the ``__tool/parse_with_ai`` tag.
    """
    first = next(iter(args.values()), Value())
    meta = propagate(*(value.meta for value in args.values()))
    return Value(
        first.value, meta.replace("tags", meta.tags.union(MetaSet.of([PARSE_WITH_AI_TAG])))
    )


def text_of(value: Any) -> str:
    """The text a value stands for in later arguments (strings as they are, others as JSON)."""
    return value if isinstance(value, str) else json.dumps(value)
