"""
Reading the configuration headers of a request — ``X-Features``, ``X-Policy``, ``X-Config`` and
the legacy ``X-Security-Features`` / ``X-Security-Policy`` (§2.5-2.7, §2.10) — with the SDK's own
validators, and the effective settings the emulator acts on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from sequrity._exceptions import SequrityValidationError
from sequrity.control.types.headers import (
    HeaderValidation,
    legacy_features_to_current,
    legacy_policy_to_current,
    validate_header,
)

from ._errors import HttpError

__all__ = ["EffectiveConfig", "HeaderConfig", "parse_config_headers"]

_CURRENT: Final = (("x_features", "X-Features"), ("x_policy", "X-Policy"), ("x_config", "X-Config"))


@attrs.frozen(kw_only=True)
class HeaderConfig:
    """
    The normalized config objects sent with one request (`None` = header not sent).
    """

    features: dict[str, Any] | None = None
    policy: dict[str, Any] | None = None
    config: dict[str, Any] | None = None


#: Checks one current header value (default: the SDK's validator alone).
HeaderCheck = Callable[[Any, str], HeaderValidation]


def _current(kind: Any, name: str, text: str, check: HeaderCheck) -> dict[str, Any]:
    verdict = check(kind, text)
    if verdict.valid and verdict.normalized is not None:
        return verdict.normalized
    errors = verdict.errors or ["invalid value"]
    if errors[0].startswith("Invalid JSON"):
        raise HttpError(400, f"Invalid JSON in {name} header: {errors[0].partition(': ')[2]}")
    raise HttpError(400, f"Invalid {name} header: " + "; ".join(errors))


def _legacy(name: str, text: str, convert: Any) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise HttpError(400, f"Invalid JSON in {name} header: {exc}") from None
    try:
        converted: dict[str, Any] = convert(value)
    except SequrityValidationError as exc:
        raise HttpError(400, f"Invalid {name} header: " + "; ".join(exc.errors)) from None
    return converted


def parse_config_headers(
    headers: Mapping[str, str], check: HeaderCheck = validate_header
) -> HeaderConfig:
    """
    Validate and normalize the config headers of a request.

    `check` validates each current header (the routes pass `_header_check.check_header`, the
    same check ``validate-headers`` runs).

    Legacy headers are converted to the current objects; sending a legacy header together with
    its current counterpart, or ``X-Security-Config`` (whose flat fields have no safe mapping),
    is refused.

    Raises:
        HttpError: ``400`` naming the header and the problem.
    """
    found: dict[str, dict[str, Any] | None] = {}
    for kind, name in _CURRENT:
        text = headers.get(name)
        found[kind] = None if text is None else _current(kind, name, text, check)
    legacy = (
        ("x_features", "X-Security-Features", legacy_features_to_current),
        ("x_policy", "X-Security-Policy", legacy_policy_to_current),
    )
    for kind, name, convert in legacy:
        text = headers.get(name)
        if text is None:
            continue
        if found[kind] is not None:
            current = dict(_CURRENT)[kind]
            raise HttpError(400, f"Send either {current} or the legacy {name} header, not both")
        found[kind] = _legacy(name, text, convert)
    if headers.get("X-Security-Config") is not None:
        raise HttpError(
            400,
            "The legacy X-Security-Config header is not supported; send X-Config instead "
            '(for example {"fsm": {"max_n_turns": 5}})',
        )
    return HeaderConfig(
        features=found["x_features"], policy=found["x_policy"], config=found["x_config"]
    )


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


@attrs.frozen(kw_only=True)
class EffectiveConfig:
    """
    The settings in force for a request: the headers sent, else those the session was given.
    """

    features: Mapping[str, Any] = attrs.field(factory=dict)
    policy: Mapping[str, Any] = attrs.field(factory=dict)
    config: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def agent_arch(self) -> str:
        """
        ``"single-llm"`` (the emulator's preset) unless ``X-Features`` says ``"dual-llm"``.
        """
        arch = self.features.get("agent_arch")
        return arch if isinstance(arch, str) else "single-llm"

    @property
    def max_n_turns(self) -> int | None:
        """
        ``fsm.max_n_turns``; `None` (unlimited) when unset or null.
        """
        value = _section(self.config, "fsm").get("max_n_turns")
        return value if isinstance(value, int) else None

    def response_flag(self, name: str) -> bool:
        """
        Whether ``response_format.<name>`` is true.
        """
        return _section(self.config, "response_format").get(name) is True

    @property
    def policy_code(self) -> str:
        """
        The SQRT source of ``X-Policy.codes.code`` (``""`` when none).
        """
        code = _section(self.policy, "codes").get("code")
        return code if isinstance(code, str) else ""

    @property
    def policy_language(self) -> str:
        """
        ``X-Policy.codes.language`` (default ``"sqrt"``).
        """
        language = _section(self.policy, "codes").get("language")
        return language if isinstance(language, str) else "sqrt"

    def preset(self, name: str, default: Any) -> Any:
        """
        ``X-Policy.presets.<name>``, or `default`.
        """
        value = _section(self.policy, "presets").get(name)
        return default if value is None else value

    @property
    def fail_fast(self) -> bool:
        """
        ``X-Policy.fail_fast`` (server default true).
        """
        return self.policy.get("fail_fast") is not False
