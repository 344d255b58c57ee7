"""
The keyword options Control API calls share, declared once as `TypedDict`s and taken as
``**options: Unpack[...]`` (PEP 692), so every signature stays typed for type checkers and IDEs.

A key left out means "not given": the client's `ControlConfig` (or timeout, retry policy, session)
applies. An explicit `None` means "send nothing": no header, the provider-less route, a new session.
`split_options` refuses unknown keywords with a `SequrityValidationError`, and `spread_signature`
shows the keys as keyword parameters to `inspect.signature` and `help()`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

from .._exceptions import SequrityValidationError
from .._sentinel import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from .._core._retry import RetryPolicy
    from .._core._wire import Timeout
    from .types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader

__all__ = [
    "CallOptions",
    "ConfigOptions",
    "ControlOptions",
    "CreateOptions",
    "HeaderCheckOptions",
    "KeyOptions",
    "OverrideOptions",
    "split_options",
    "spread_signature",
]

F = TypeVar("F", bound=Callable[..., Any])


class CallOptions(TypedDict, total=False):
    """
    Options of every call.

    Attributes:
        timeout: Deadlines for this call: seconds (total) or a `Timeout`; `None` for no limit.
        retry: Retry policy for this call: a `RetryPolicy`, a number of retries, or `None` for
            no retries. A request with a body is sent with one ``Idempotency-Key`` on every
            attempt (pass your own in ``custom_headers`` to control it).
    """

    timeout: Timeout | float | None | NotGiven
    retry: RetryPolicy | int | None | NotGiven


class KeyOptions(CallOptions, total=False):
    """
    Options of calls that reach a model provider (`CallOptions` and these).

    Attributes:
        llm_api_key: Your provider key (BYOK), sent as ``X-Api-Key``; `None` sends none.
        custom_headers: Extra headers, merged case-insensitively (they win).
    """

    llm_api_key: str | None | NotGiven
    custom_headers: Mapping[str, str] | None


class ConfigOptions(KeyOptions, total=False):
    """
    The route and the security configuration (`KeyOptions` and these).

    Attributes:
        provider: LLM provider route (``openai``, ``openrouter``, ``anthropic``,
            ``sequrity_azure``, ``llama``); `None` uses the server's default provider.
        features: ``X-Features`` (a `FeaturesHeader`); `None` sends no header.
        security_policy: ``X-Policy`` (a `SecurityPolicyHeader`); `None` sends no header.
        fine_grained_config: ``X-Config`` (a `FineGrainedConfigHeader`); `None` sends no header.
    """

    provider: str | None | NotGiven
    features: FeaturesHeader | None | NotGiven
    security_policy: SecurityPolicyHeader | None | NotGiven
    fine_grained_config: FineGrainedConfigHeader | None | NotGiven


class OverrideOptions(TypedDict, total=False):
    """
    Raw JSON merged into the configuration headers.

    Attributes:
        feature_overrides: JSON deep-merged into ``X-Features``.
        policy_overrides: JSON deep-merged into ``X-Policy``.
        config_overrides: JSON deep-merged into ``X-Config``.
    """

    feature_overrides: Mapping[str, Any] | None
    policy_overrides: Mapping[str, Any] | None
    config_overrides: Mapping[str, Any] | None


class ControlOptions(ConfigOptions, OverrideOptions, total=False):
    """
    Everything a Control API request can set besides its body (`ConfigOptions`,
    `OverrideOptions` and these).

    Attributes:
        endpoint_type: ``chat``, ``code``, ``agent`` or ``lang-graph``.
        session_id: Continue this session (``X-Session-ID``); `None` starts a new one (unless the
            history carries Dual-LLM tool-call ids). Not given: the session of the handle the
            resource belongs to (``client.control.session()``), else the client's
            (`set_session_id`, or the last answer's when tracking was opted into), else none.
    """

    endpoint_type: str | NotGiven
    session_id: str | None | NotGiven


class CreateOptions(ControlOptions, total=False):
    """
    The options of every ``create`` (`ControlOptions` and this).

    Attributes:
        extra_body: Extra top-level JSON keys, for provider parameters this SDK does not model
            yet.
    """

    extra_body: Mapping[str, Any] | None


class HeaderCheckOptions(CallOptions, OverrideOptions, total=False):
    """
    The headers ``validate_headers`` checks (`CallOptions`, `OverrideOptions` and these): each a
    header object, the header string itself, or `None` to skip it; not given checks the client's
    `ControlConfig` default. Overrides apply to header objects only.

    Attributes:
        features: ``X-Features`` to check.
        security_policy: ``X-Policy`` to check.
        fine_grained_config: ``X-Config`` to check.
    """

    features: FeaturesHeader | str | None | NotGiven
    security_policy: SecurityPolicyHeader | str | None | NotGiven
    fine_grained_config: FineGrainedConfigHeader | str | None | NotGiven


#: The keys of `CreateOptions`: what a ``create`` takes besides its body parameters.
CREATE_KEYS: frozenset[str] = CreateOptions.__optional_keys__


def refuse_unknown(where: str, names: Any, known: frozenset[str]) -> None:
    """
    Raise for keyword arguments a call does not take.

    Raises:
        SequrityValidationError: naming the call and the unknown keywords.
    """
    unknown = sorted(set(names) - known)
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        raise SequrityValidationError(f"{where}() got unexpected keyword argument(s): {listed}")


def split_options(
    where: str, options: Mapping[str, Any], body: frozenset[str]
) -> tuple[dict[str, Any], CreateOptions]:
    """
    Split a ``create``'s keywords into its body parameters (`body`) and its `CreateOptions`.

    Raises:
        SequrityValidationError: a keyword that is neither.
    """
    if not options:
        return {}, {}
    params: dict[str, Any] = {}
    control: dict[str, Any] = {}
    for key, value in options.items():
        if key in body:
            params[key] = value
        elif key in CREATE_KEYS:
            control[key] = value
        else:
            refuse_unknown(where, (key,), body | CREATE_KEYS)
    return params, cast(CreateOptions, control)


def spread_signature(options: type[Any]) -> Callable[[F], F]:
    """
    Show the keys of `options` (a `TypedDict`) as keyword-only parameters in the
    ``inspect.signature`` of the decorated function, in place of its ``**options``: what
    `help()`, notebooks and the keyword checks of batch files and integrations read. Every key is
    optional; its default reads `NOT_GIVEN`.
    """

    def apply(function: F) -> F:
        signature = inspect.signature(function)
        kept = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        names = {p.name for p in kept}
        spread = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=NOT_GIVEN,
                annotation=getattr(hint, "__forward_arg__", hint),
            )
            for name, hint in options.__annotations__.items()
            if name not in names
        ]
        function.__signature__ = signature.replace(parameters=[*kept, *spread])  # type: ignore[attr-defined]
        return function

    return apply
