"""
Conversion of the legacy ``X-Security-Features`` / ``X-Security-Policy`` values (SDK <= v0.3.0,
§2.10) into today's ``X-Features`` / ``X-Policy`` objects. The SDK never sends the legacy headers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from sequrity._exceptions import SequrityValidationError

from ._features import AgentArch, ConstraintConfig, FeaturesHeader, TaggerConfig, TaggerName
from ._policy import InternalPolicyPresets, PolicyCode, PolicyLanguage, SecurityPolicyHeader

__all__ = ["legacy_features_to_current", "legacy_policy_to_current"]

_ARCHS: Final[dict[str, AgentArch]] = {"Single LLM": "single-llm", "Dual LLM": "dual-llm"}
_TAGGERS: Final[dict[str, TaggerName]] = {
    "Toxicity Filter": "toxicity_filter",
    "PII Redaction": "pii_redaction",
    "Healthcare Topic Guardrail": "healthcare_topic_guardrail",
    "Finance Topic Guardrail": "finance_topic_guardrail",
}
_LANGUAGES: Final[dict[str, PolicyLanguage]] = {
    "sqrt": "sqrt",
    "sqrt-lite": "sqrt",
    "cedar": "cedar",
}
_LONG_PROGRAM_MODES: Final = ("base", "mid", "long")
_ARCH_MODES: Final = ("standard", "strict", "custom")


def _fail(problems: list[str]) -> SequrityValidationError:
    return SequrityValidationError("; ".join(problems), problems)


def _relabel(exc: SequrityValidationError, prefix: str, path: str) -> SequrityValidationError:
    return _fail([path + e.removeprefix(prefix) for e in exc.errors])


def _config(entry: Mapping[str, Any], path: str) -> dict[str, Any]:
    raw = entry.get("config_json", "{}")
    if isinstance(raw, Mapping):
        return dict(raw)
    if not isinstance(raw, str):
        raise _fail([f"{path}.config_json: expected a JSON string, got {raw!r}"])
    try:
        config = json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        raise _fail([f"{path}.config_json: Invalid JSON: {exc}"]) from None
    if not isinstance(config, dict):
        raise _fail([f"{path}.config_json: expected a JSON object, got {config!r}"])
    return config


def _mode(config: dict[str, Any], allowed: tuple[str, ...], path: str) -> None:
    unknown = sorted(set(config) - {"mode"})
    if unknown:
        raise _fail([f"{path}.config_json: unknown keys {unknown}; allowed: 'mode'"])
    mode = config.get("mode", allowed[0])
    if mode not in allowed:
        raise _fail(
            [f"{path}.config_json.mode: {mode!r} is not allowed; allowed values: {allowed}"]
        )


def legacy_features_to_current(value: list[Any]) -> dict[str, Any]:
    """
    Convert a legacy ``X-Security-Features`` array into the current ``X-Features`` object.

    Mapping: ``"Single LLM"``/``"Dual LLM"`` -> ``agent_arch``; their ``{"mode": ...}`` config
    (standard/strict/custom) is checked and dropped, because the mode now lives in
    ``X-Policy.mode``. ``"Toxicity Filter"``, ``"PII Redaction"``, ``"Healthcare Topic
    Guardrail"`` and ``"Finance Topic Guardrail"`` -> ``content_classifiers`` (in the given order;
    optional ``threshold``/``mode`` in their config are kept). ``"URL Blocker"`` ->
    ``content_blockers``. ``"Long Program Support"`` (base/mid/long) is checked and dropped: it
    tuned program length on the server and has no ``X-Features`` equivalent. ``"Legal Topic
    Guardrail"`` has no current classifier and is refused rather than silently dropped.

    Args:
        value: The decoded legacy array of ``{"feature_name", "config_json"}`` objects.

    Returns:
        The ``X-Features`` JSON object (e.g. ``{"agent_arch": "dual-llm"}``).

    Raises:
        SequrityValidationError: Not an array, an unknown or unsupported feature, a repeated or
            conflicting entry, or an invalid ``config_json``.
    """
    if not isinstance(value, list):
        raise _fail([f"X-Security-Features: expected a JSON array, got {value!r}"])
    arch: AgentArch | None = None
    taggers: list[TaggerConfig] = []
    blockers: list[ConstraintConfig] = []
    seen: set[str] = set()
    for i, entry in enumerate(value):
        path = f"X-Security-Features[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("feature_name"), str):
            raise _fail([f"{path}: expected an object with a string 'feature_name', got {entry!r}"])
        unknown = sorted(set(entry) - {"feature_name", "config_json"})
        if unknown:
            raise _fail([f"{path}: unknown keys {unknown}; allowed: 'feature_name', 'config_json'"])
        name: str = entry["feature_name"]
        config = _config(entry, path)
        if name in seen or (name in _ARCHS and arch is not None):
            raise _fail([f"{path}.feature_name: {name!r} conflicts with an earlier entry"])
        seen.add(name)
        if name in _ARCHS:
            _mode(config, _ARCH_MODES, path)
            arch = _ARCHS[name]
        elif name in _TAGGERS:
            unknown = sorted(set(config) - {"threshold", "mode"})
            if unknown:
                raise _fail(
                    [f"{path}.config_json: unknown keys {unknown}; allowed: 'threshold', 'mode'"]
                )
            try:
                taggers.append(TaggerConfig.from_dict({"name": _TAGGERS[name], **config}))
            except SequrityValidationError as exc:
                raise _relabel(exc, "TaggerConfig", f"{path}.config_json") from None
        elif name == "URL Blocker":
            blockers.append(ConstraintConfig(name="url_blocker"))
        elif name == "Long Program Support":
            _mode(config, _LONG_PROGRAM_MODES, path)
        else:
            supported = [*_ARCHS, *_TAGGERS, "URL Blocker", "Long Program Support"]
            raise _fail(
                [f"{path}.feature_name: {name!r} has no current equivalent; supported: {supported}"]
            )
    header = FeaturesHeader(
        agent_arch=arch, content_classifiers=taggers or None, content_blockers=blockers or None
    )
    return header.dump_for_headers("json")


def legacy_policy_to_current(value: dict[str, Any]) -> dict[str, Any]:
    """
    Convert a legacy ``X-Security-Policy`` object into the current ``X-Policy`` object.

    Mapping: ``language`` ``"sqrt"`` and ``"sqrt-lite"`` (a subset of SQRT) -> ``"sqrt"``,
    ``"cedar"`` -> ``"cedar"`` (default ``"sqrt"``); ``codes`` (a string, or a list of strings
    joined with newlines) -> ``codes.code``; ``auto_gen`` and ``fail_fast`` unchanged;
    ``internal_policy_preset`` -> ``presets`` (its keys must be current preset field names).
    Legacy policies had no mode, so ``mode`` is left to the server.

    Args:
        value: The decoded legacy object, e.g. ``{"language": "sqrt-lite", "codes": ""}``.

    Returns:
        The ``X-Policy`` JSON object, e.g. ``{"codes": {"code": "", "language": "sqrt"}}``.

    Raises:
        SequrityValidationError: Not an object, unknown keys, or invalid values.
    """
    if not isinstance(value, Mapping):
        raise _fail([f"X-Security-Policy: expected a JSON object, got {value!r}"])
    allowed = ("language", "codes", "auto_gen", "fail_fast", "internal_policy_preset")
    problems = [
        f"X-Security-Policy.{key}: unknown field; allowed fields: {allowed}"
        for key in value
        if key not in allowed
    ]
    language = value.get("language", "sqrt")
    if language not in _LANGUAGES:
        problems.append(
            f"X-Security-Policy.language: {language!r} is not allowed; allowed values: {tuple(_LANGUAGES)}"
        )
    codes = value.get("codes", "")
    if isinstance(codes, list) and all(isinstance(c, str) for c in codes):
        codes = "\n".join(codes)
    if not isinstance(codes, str):
        problems.append(
            f"X-Security-Policy.codes: expected a string or a list of strings, got {codes!r}"
        )
    for key in ("auto_gen", "fail_fast"):
        if value.get(key) is not None and not isinstance(value[key], bool):
            problems.append(f"X-Security-Policy.{key}: expected true or false, got {value[key]!r}")
    if problems:
        raise _fail(problems)
    presets = None
    raw_presets = value.get("internal_policy_preset")
    if raw_presets is not None:
        try:
            presets = InternalPolicyPresets.from_dict(raw_presets)
        except SequrityValidationError as exc:
            raise _relabel(
                exc, "InternalPolicyPresets", "X-Security-Policy.internal_policy_preset"
            ) from None
    header = SecurityPolicyHeader(
        codes=PolicyCode(code=codes, language=_LANGUAGES[language]),
        auto_gen=value.get("auto_gen"),
        fail_fast=value.get("fail_fast"),
        presets=presets,
    )
    return header.dump_for_headers("json")
