"""
The ``X-Policy`` header: policy mode, SQRT/Cedar policy code and internal policy presets (§2.6).
"""

# ruff: noqa: RUF009 - `opt()` and friends return attrs field specifiers, not shared defaults

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal

import attrs

from ._header_fields import (
    Bool,
    Choice,
    Decode,
    Encode,
    Hooks,
    Nested,
    Str,
    StrSet,
    opt,
    spec,
    to_str_set,
)
from ._header_json import HeaderModel, Model

__all__ = [
    "ControlFlowMetaPolicy",
    "EnforcementLevel",
    "InternalPolicyPresets",
    "PolicyCode",
    "PolicyLanguage",
    "PolicyMode",
    "SecurityPolicyHeader",
]

PolicyMode = Literal["standard", "strict", "custom"]
PolicyLanguage = Literal["sqrt", "cedar"]
EnforcementLevel = Literal["hard", "soft"]

_LEVELS = ("hard", "soft")


@attrs.frozen(kw_only=True)
class PolicyCode(Model):
    """
    Policy source code.

    Attributes:
        code: The policy source (may be empty). Non-ASCII text and newlines are escaped in the
            header, never altered.
        language: ``"sqrt"`` (default) or ``"cedar"``.
    """

    code: str = attrs.field(default="", metadata=spec(Str(), nullable=False))
    language: PolicyLanguage = attrs.field(
        default="sqrt", metadata=spec(Choice(("sqrt", "cedar")), nullable=False)
    )


def _str_set(value: Iterable[str]) -> frozenset[str]:
    return to_str_set(value)  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class ControlFlowMetaPolicy(Model):
    """
    Which metadata may (``"allow"``) or may not (``"deny"``) influence branch decisions (dual-LLM).

    Unlike the official SDK (which ignores them here) unknown JSON fields are refused, as they are
    everywhere else.

    Attributes:
        mode: ``"allow"`` (whitelist) or ``"deny"`` (blacklist, default).
        producers: Producer names; any iterable of strings, stored as a frozenset and sent as a
            sorted array.
        tags: Tag names (for example ``"__non_executable"``).
        consumers: Consumer names.
    """

    mode: Literal["allow", "deny"] = attrs.field(
        default="deny", metadata=spec(Choice(("allow", "deny")), nullable=False)
    )
    producers: frozenset[str] = attrs.field(
        factory=frozenset, converter=_str_set, metadata=spec(StrSet(), nullable=False)
    )
    tags: frozenset[str] = attrs.field(
        factory=frozenset, converter=_str_set, metadata=spec(StrSet(), nullable=False)
    )
    consumers: frozenset[str] = attrs.field(
        factory=frozenset, converter=_str_set, metadata=spec(StrSet(), nullable=False)
    )


def _required(rule: Bool | Choice, default: Any) -> Any:
    return attrs.field(default=default, metadata=spec(rule, nullable=False))


@attrs.frozen(kw_only=True)
class InternalPolicyPresets(Model):
    """
    Built-in policy switches. Every field has a default, so all are sent whenever `presets` is set.

    Attributes:
        default_allow: Allow a tool call that no rule matches (default true).
        default_allow_enforcement_level: ``"soft"`` (default) or ``"hard"``.
        enable_non_executable_memory: Tag every tool result ``__non_executable`` (dual-LLM only).
        branching_meta_policy: Metadata allowed/forbidden in control flow (dual-LLM only).
        enable_llm_blocked_tag: Deny ``parse_with_ai`` calls on values tagged ``__llm_blocked``.
        llm_blocked_tag_enforcement_level: ``"hard"`` (default) or ``"soft"``.
    """

    default_allow: bool = _required(Bool(), True)
    default_allow_enforcement_level: EnforcementLevel = _required(Choice(_LEVELS), "soft")
    enable_non_executable_memory: bool = _required(Bool(), True)
    branching_meta_policy: ControlFlowMetaPolicy = attrs.field(
        factory=ControlFlowMetaPolicy,
        metadata=spec(Nested(ControlFlowMetaPolicy), nullable=False),
    )
    enable_llm_blocked_tag: bool = _required(Bool(), True)
    llm_blocked_tag_enforcement_level: EnforcementLevel = _required(Choice(_LEVELS), "hard")


class _PolicyCodeRule(Nested):
    """`codes` also accepts the legacy bare-string form (§2.6): a SQRT source string."""

    def bind(self, nested: Hooks) -> tuple[Decode, Encode]:
        decode_object, encode = super().bind(nested)

        def decode(value: Any, path: str, errors: list[str]) -> Any:
            if isinstance(value, str):
                return PolicyCode(code=value)
            return decode_object(value, path, errors)

        return decode, encode


def _codes(value: PolicyCode | str | Mapping[str, Any] | None) -> PolicyCode | None:
    if isinstance(value, Mapping):  # ``{"language": ..., "code": ...}``, as official code writes
        return PolicyCode.from_dict(value)
    return PolicyCode(code=value) if isinstance(value, str) else value


@attrs.frozen(kw_only=True)
class SecurityPolicyHeader(HeaderModel):
    """
    Value of the ``X-Policy`` header. Every field is optional; `None` leaves it to the server.

    Instances are immutable; derive changed copies with `attrs.evolve`.

    Attributes:
        mode: ``"standard"``, ``"strict"`` or ``"custom"`` (``branching_meta_policy`` only takes
            effect in ``"custom"``).
        codes: The policy code; a plain string is taken as SQRT source.
        auto_gen: Generate policies from tool descriptions (dual-LLM only).
        fail_fast: Stop at the first hard denial (server default true).
        presets: Built-in policy switches.
    """

    header_name: ClassVar[str] = "X-Policy"

    mode: PolicyMode | None = opt(Choice(("standard", "strict", "custom")))
    codes: PolicyCode | None = attrs.field(
        default=None, converter=_codes, metadata=spec(_PolicyCodeRule(PolicyCode))
    )
    auto_gen: bool | None = opt(Bool())
    fail_fast: bool | None = opt(Bool())
    presets: InternalPolicyPresets | None = opt(Nested(InternalPolicyPresets))

    def check_code(self) -> SecurityPolicyHeader:
        """
        Check the SQRT code locally, before anything is sent; return the header unchanged.

        Opt-in (the server stays the authority on what it accepts): call it where a policy is
        built, e.g. ``SecurityPolicyHeader.dual_llm(codes=source).check_code()``. Cedar code and
        empty code are not checked.

        Raises:
            SqrtParseError: The code is not valid SQRT; the error gives the line, the column and
                the offending line with a caret.
        """
        if self.codes is not None and self.codes.code and self.codes.language == "sqrt":
            from ...sqrt import check_policy_code

            check_policy_code(self.codes.code)
        return self

    @classmethod
    def dual_llm(
        cls,
        mode: PolicyMode = "standard",
        codes: str = "",
        language: PolicyLanguage = "sqrt",
        auto_gen: bool = False,
        fail_fast: bool | None = None,
        default_allow: bool = True,
        default_allow_enforcement_level: EnforcementLevel = "soft",
        enable_non_executable_memory: bool = True,
        enable_llm_blocked_tag: bool = True,
        llm_blocked_tag_enforcement_level: EnforcementLevel = "hard",
        branching_meta_policy_mode: Literal["allow", "deny"] = "deny",
        branching_meta_policy_producers: Iterable[str] | None = None,
        branching_meta_policy_tags: Iterable[str] | None = None,
        branching_meta_policy_consumers: Iterable[str] | None = None,
    ) -> SecurityPolicyHeader:
        """
        A complete dual-LLM policy header.

        With no arguments: ``{"mode":"standard","codes":{"code":"","language":"sqrt"},
        "auto_gen":false,"presets":{...all six presets, branching policy "deny" with empty
        sets...}}`` (`fail_fast` is left out while None).

        Args:
            mode: Policy mode.
            codes: Policy source code.
            language: ``"sqrt"`` or ``"cedar"``.
            auto_gen: Generate policies from tool descriptions.
            fail_fast: Stop at the first hard denial; None leaves it to the server.
            default_allow: See `InternalPolicyPresets`.
            default_allow_enforcement_level: See `InternalPolicyPresets`.
            enable_non_executable_memory: See `InternalPolicyPresets`.
            enable_llm_blocked_tag: See `InternalPolicyPresets`.
            llm_blocked_tag_enforcement_level: See `InternalPolicyPresets`.
            branching_meta_policy_mode: ``"allow"`` or ``"deny"``.
            branching_meta_policy_producers: Producers (None = empty).
            branching_meta_policy_tags: Tags (None = empty).
            branching_meta_policy_consumers: Consumers (None = empty).
        """
        branching = ControlFlowMetaPolicy(
            mode=branching_meta_policy_mode,
            producers=list(branching_meta_policy_producers or ()),
            tags=list(branching_meta_policy_tags or ()),
            consumers=list(branching_meta_policy_consumers or ()),
        )
        return cls(
            mode=mode,
            codes=PolicyCode(code=codes, language=language),
            auto_gen=auto_gen,
            fail_fast=fail_fast,
            presets=InternalPolicyPresets(
                default_allow=default_allow,
                default_allow_enforcement_level=default_allow_enforcement_level,
                enable_non_executable_memory=enable_non_executable_memory,
                branching_meta_policy=branching,
                enable_llm_blocked_tag=enable_llm_blocked_tag,
                llm_blocked_tag_enforcement_level=llm_blocked_tag_enforcement_level,
            ),
        )

    @classmethod
    def single_llm(
        cls,
        mode: PolicyMode = "standard",
        codes: str = "",
        language: PolicyLanguage = "sqrt",
        fail_fast: bool | None = None,
        default_allow: bool = True,
        enable_llm_blocked_tag: bool = True,
        llm_blocked_tag_enforcement_level: EnforcementLevel = "hard",
    ) -> SecurityPolicyHeader:
        """
        A complete single-LLM policy header.

        The same shape as `dual_llm`, but ``auto_gen`` and ``enable_non_executable_memory`` are
        forced to false (single-LLM does not support them) and the other presets keep their
        defaults.

        Args:
            mode: Policy mode.
            codes: Policy source code.
            language: ``"sqrt"`` or ``"cedar"``.
            fail_fast: Stop at the first hard denial; None leaves it to the server.
            default_allow: See `InternalPolicyPresets`.
            enable_llm_blocked_tag: See `InternalPolicyPresets`.
            llm_blocked_tag_enforcement_level: See `InternalPolicyPresets`.
        """
        return cls(
            mode=mode,
            codes=PolicyCode(code=codes, language=language),
            auto_gen=False,
            fail_fast=fail_fast,
            presets=InternalPolicyPresets(
                default_allow=default_allow,
                enable_non_executable_memory=False,
                enable_llm_blocked_tag=enable_llm_blocked_tag,
                llm_blocked_tag_enforcement_level=llm_blocked_tag_enforcement_level,
            ),
        )

    @classmethod
    def create_default(cls) -> SecurityPolicyHeader:
        """
        The neutral policy used by the getting-started examples with either architecture.

        Produces ``{"mode":"standard","codes":{"code":"","language":"sqrt"}}``: standard mode and
        an empty SQRT policy, which are also the server's own defaults. It is neither factory's
        output on purpose: ``dual_llm()`` sends ``enable_non_executable_memory: true``, which
        single-LLM does not support, and ``single_llm()`` sends it as false, which silently
        weakens a dual-LLM session. Leaving `presets` out lets the server pick the right presets
        for whichever architecture ``X-Features`` selects, so this header is valid for both.
        """
        return cls(mode="standard", codes=PolicyCode())
