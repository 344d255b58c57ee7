"""
The ``X-Features`` header: agent architecture, content classifiers and content blockers (§2.5).
"""

# ruff: noqa: RUF009 - `opt()` and friends return attrs field specifiers, not shared defaults

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Literal

import attrs

from ._header_fields import Choice, Float, Str, nested_seq, opt, spec
from ._header_json import HeaderModel, Model

__all__ = [
    "AgentArch",
    "BlockerName",
    "ConstraintConfig",
    "FeaturesHeader",
    "TaggerConfig",
    "TaggerName",
]

AgentArch = Literal["single-llm", "dual-llm"]
TaggerName = Literal[
    "pii_redaction", "toxicity_filter", "healthcare_topic_guardrail", "finance_topic_guardrail"
]
BlockerName = Literal["url_blocker", "file_blocker"]

_TAGGER_NAMES = (
    "pii_redaction",
    "toxicity_filter",
    "healthcare_topic_guardrail",
    "finance_topic_guardrail",
)


@attrs.frozen(kw_only=True)
class TaggerConfig(Model):
    """
    One content classifier (LLM-based; it inspects tool-call arguments and tool results).

    Attributes:
        name: ``"pii_redaction"``, ``"toxicity_filter"``, ``"healthcare_topic_guardrail"`` or
            ``"finance_topic_guardrail"``.
        threshold: Detection threshold, 0.0 to 1.0 (default 0.5).
        mode: Free-form sensitivity preset that takes precedence over `threshold` on the server
            (documented examples: ``"high sensitivity"``, ``"strict"``, ``"low sensitivity"``,
            ``"normal"``).
    """

    name: TaggerName = attrs.field(metadata=spec(Choice(_TAGGER_NAMES), nullable=False))
    threshold: float = attrs.field(default=0.5, metadata=spec(Float(0.0, 1.0), nullable=False))
    mode: str | None = opt(Str())


@attrs.frozen(kw_only=True)
class ConstraintConfig(Model):
    """
    One content blocker.

    Attributes:
        name: ``"url_blocker"`` (blocks URL access in tool calls) or ``"file_blocker"`` (blocks
            file access).
    """

    name: BlockerName = attrs.field(
        metadata=spec(Choice(("url_blocker", "file_blocker")), nullable=False)
    )


def _taggers(value: Iterable[TaggerConfig] | None) -> tuple[TaggerConfig, ...] | None:
    return tuple(value) if isinstance(value, list | tuple) else value  # type: ignore[return-value]


def _blockers(value: Iterable[ConstraintConfig] | None) -> tuple[ConstraintConfig, ...] | None:
    return tuple(value) if isinstance(value, list | tuple) else value  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class FeaturesHeader(HeaderModel):
    """
    Value of the ``X-Features`` header. Every field is optional; `None` leaves it to the server.

    Instances are immutable (and so safe to share as client defaults across threads and tasks);
    derive a changed copy with ``attrs.evolve(features, agent_arch="dual-llm")``.

    Attributes:
        agent_arch: ``"single-llm"`` or ``"dual-llm"``.
        content_classifiers: Classifiers to run, in order (lists are accepted and stored as tuples).
        content_blockers: Blockers to apply, in order.
    """

    header_name: ClassVar[str] = "X-Features"

    agent_arch: AgentArch | None = opt(Choice(("single-llm", "dual-llm")))
    content_classifiers: tuple[TaggerConfig, ...] | None = attrs.field(
        default=None, converter=_taggers, metadata=spec(nested_seq(TaggerConfig))
    )
    content_blockers: tuple[ConstraintConfig, ...] | None = attrs.field(
        default=None, converter=_blockers, metadata=spec(nested_seq(ConstraintConfig))
    )

    @classmethod
    def _build(
        cls,
        arch: AgentArch,
        toxicity_filter: bool,
        pii_redaction: bool,
        healthcare_guardrail: bool,
        finance_guardrail: bool,
        url_blocker: bool,
        file_blocker: bool,
    ) -> FeaturesHeader:
        wanted: list[tuple[bool, TaggerName]] = [
            (toxicity_filter, "toxicity_filter"),
            (pii_redaction, "pii_redaction"),
            (healthcare_guardrail, "healthcare_topic_guardrail"),
            (finance_guardrail, "finance_topic_guardrail"),
        ]
        taggers = [TaggerConfig(name=name) for on, name in wanted if on]
        blockers: list[BlockerName] = []
        if url_blocker:
            blockers.append("url_blocker")
        if file_blocker:
            blockers.append("file_blocker")
        return cls(
            agent_arch=arch,
            content_classifiers=taggers or None,
            content_blockers=[ConstraintConfig(name=n) for n in blockers] or None,
        )

    @classmethod
    def single_llm(
        cls,
        toxicity_filter: bool = False,
        pii_redaction: bool = False,
        healthcare_guardrail: bool = False,
        finance_guardrail: bool = False,
        url_blocker: bool = False,
        file_blocker: bool = False,
    ) -> FeaturesHeader:
        """
        Single-LLM features with the chosen classifiers (threshold 0.5) and blockers.

        With no arguments the header is ``{"agent_arch":"single-llm"}``. Classifiers are listed
        in the fixed order toxicity, PII, healthcare, finance; blockers URL then file; an empty
        list is left out.

        Args:
            toxicity_filter: Add the ``toxicity_filter`` classifier.
            pii_redaction: Add the ``pii_redaction`` classifier.
            healthcare_guardrail: Add the ``healthcare_topic_guardrail`` classifier.
            finance_guardrail: Add the ``finance_topic_guardrail`` classifier.
            url_blocker: Add the ``url_blocker`` blocker.
            file_blocker: Add the ``file_blocker`` blocker.
        """
        return cls._build(
            "single-llm",
            toxicity_filter,
            pii_redaction,
            healthcare_guardrail,
            finance_guardrail,
            url_blocker,
            file_blocker,
        )

    @classmethod
    def dual_llm(
        cls,
        toxicity_filter: bool = False,
        pii_redaction: bool = False,
        healthcare_guardrail: bool = False,
        finance_guardrail: bool = False,
        url_blocker: bool = False,
        file_blocker: bool = False,
    ) -> FeaturesHeader:
        """
        Dual-LLM features; the same arguments and ordering as `single_llm`.

        With no arguments the header is ``{"agent_arch":"dual-llm"}``.

        Args:
            toxicity_filter: Add the ``toxicity_filter`` classifier.
            pii_redaction: Add the ``pii_redaction`` classifier.
            healthcare_guardrail: Add the ``healthcare_topic_guardrail`` classifier.
            finance_guardrail: Add the ``finance_topic_guardrail`` classifier.
            url_blocker: Add the ``url_blocker`` blocker.
            file_blocker: Add the ``file_blocker`` blocker.
        """
        return cls._build(
            "dual-llm",
            toxicity_filter,
            pii_redaction,
            healthcare_guardrail,
            finance_guardrail,
            url_blocker,
            file_blocker,
        )

    @classmethod
    def create_single_llm_headers(cls) -> FeaturesHeader:
        """
        Same as ``FeaturesHeader.single_llm()``; kept for code written against older SDKs.
        """
        return cls.single_llm()

    @classmethod
    def create_dual_llm_headers(cls) -> FeaturesHeader:
        """
        Same as ``FeaturesHeader.dual_llm()``; kept for code written against older SDKs.
        """
        return cls.dual_llm()
