"""
`ControlConfig`: the client-level defaults of every Control request (provider, endpoint type, BYOK
key and the three configuration headers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from sequrity._exceptions import REDACTED, SequrityValidationError
from sequrity._lazy import load

from ._enums import EndpointType, LlmServiceProvider

if TYPE_CHECKING:
    from .types._features import FeaturesHeader
    from .types._fine_grained import FineGrainedConfigHeader
    from .types._policy import SecurityPolicyHeader

__all__ = ["ControlConfig"]


def _provider(value: LlmServiceProvider | str | None) -> LlmServiceProvider | None:
    if value is None:
        return None
    try:
        return LlmServiceProvider(value)
    except ValueError:
        allowed = ", ".join(repr(p.value) for p in LlmServiceProvider)
        raise SequrityValidationError(
            f"ControlConfig.provider: {value!r} is not allowed; allowed values: {allowed} or None"
        ) from None


def _endpoint_type(value: EndpointType | str) -> EndpointType:
    try:
        return EndpointType(value)
    except ValueError:
        allowed = ", ".join(repr(e.value) for e in EndpointType)
        raise SequrityValidationError(
            f"ControlConfig.endpoint_type: {value!r} is not allowed; allowed values: {allowed}"
        ) from None


def _is(kind: type[Any] | str, *, secret: bool = False) -> Any:
    """
    The validator of an optional field holding a `kind` (a class, or ``"module:Class"`` for a
    header model, imported when a value first needs checking: a config without headers never
    loads the header models).
    """

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        cls: type[Any] = kind if isinstance(kind, type) else load(kind)
        if not isinstance(value, cls):
            # A secret is named by its type only: the value may be the key itself.
            shown = type(value).__name__ if secret else repr(value)
            raise SequrityValidationError(
                f"ControlConfig.{attribute.name}: expected a {cls.__name__} or None, got {shown}"
            )

    return check


def _redact(value: str | None) -> str:
    return "None" if value is None else repr(REDACTED)


@attrs.frozen(kw_only=True)
class ControlConfig:
    """
    Defaults applied to every Control request of a client; each one can be overridden per call.

    Immutable, and so are the header objects it holds, so one config can be shared by many
    clients, threads and tasks. Use `attrs.evolve` for a changed copy. ``repr()`` never shows
    `llm_api_key`.

    Attributes:
        llm_api_key: Your own provider key (BYOK), sent as ``X-Api-Key``; None uses a
            Sequrity-managed key.
        provider: ``"openai"``, ``"openrouter"``, ``"anthropic"``, ``"sequrity_azure"`` or
            ``"llama"`` (strings or `LlmServiceProvider`; stored as the enum, which is a `str`);
            None leaves the provider segment out of the URL (server default).
        endpoint_type: ``"chat"`` (default), ``"code"``, ``"agent"`` or ``"lang-graph"``.
        features: Default ``X-Features`` header, or None for no header.
        security_policy: Default ``X-Policy`` header, or None for no header.
        fine_grained_config: Default ``X-Config`` header, or None for no header.

    Raises:
        SequrityValidationError: A value outside the allowed ones, naming the field.
    """

    llm_api_key: str | None = attrs.field(
        default=None, repr=_redact, validator=_is(str, secret=True)
    )
    provider: LlmServiceProvider | None = attrs.field(default=None, converter=_provider)
    endpoint_type: EndpointType = attrs.field(default=EndpointType.CHAT, converter=_endpoint_type)
    features: FeaturesHeader | None = attrs.field(
        default=None, validator=_is("sequrity.control.types._features:FeaturesHeader")
    )
    security_policy: SecurityPolicyHeader | None = attrs.field(
        default=None, validator=_is("sequrity.control.types._policy:SecurityPolicyHeader")
    )
    fine_grained_config: FineGrainedConfigHeader | None = attrs.field(
        default=None, validator=_is("sequrity.control.types._fine_grained:FineGrainedConfigHeader")
    )
