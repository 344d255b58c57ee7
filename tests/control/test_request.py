"""Tests for building one Control request in `sequrity.control._request` (protocol §2.1-§2.2, §10.3)."""

from __future__ import annotations

import json

import attrs
import pytest

from sequrity import NOT_GIVEN, SequrityValidationError, Timeout
from sequrity.control import (
    ControlConfig,
    EndpointType,
    FeaturesHeader,
    FineGrainedConfigHeader,
    LlmServiceProvider,
    SecurityPolicyHeader,
)
from sequrity.control._request import (
    ClientState,
    build_control_request,
    check_header_value,
    merge_headers,
)
from sequrity.control._urls import CHAT_COMPLETIONS, MESSAGES

BASE = "https://api.sequrity.ai"
AUTH = {"Authorization": "Bearer sq-key", "Content-Type": "application/json"}
BASE_TIMEOUT = Timeout(connect=5.0, read=50.0, total=100.0)
FEATURES = FeaturesHeader.dual_llm()
POLICY = SecurityPolicyHeader.dual_llm()
CONFIG = FineGrainedConfigHeader.dual_llm()
FULL_CONFIG = ControlConfig(
    llm_api_key="sk-config-llm",
    provider="openai",
    endpoint_type="code",
    features=FEATURES,
    security_policy=POLICY,
    fine_grained_config=CONFIG,
)


def state(
    config: ControlConfig | None = None, headers: dict[str, str] | None = None
) -> ClientState:
    """A client state with the given defaults."""
    return ClientState(
        BASE,
        headers if headers is not None else dict(AUTH),
        BASE_TIMEOUT,
        config or ControlConfig(),
    )


def build(config: ControlConfig | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    """Build a non-streaming chat-completions request with `kwargs`."""
    kwargs.setdefault("stream", False)
    return build_control_request(state(config), CHAT_COMPLETIONS, b"{}", **kwargs)  # type: ignore[arg-type]


# -- URL: provider and endpoint type -----------------------------------------------------------


def test_defaults_give_the_chat_provider_less_route() -> None:
    """With a default ControlConfig the URL is `/control/chat/v1/chat/completions`."""
    assert build().url == f"{BASE}/control/chat/v1/chat/completions"


def test_not_given_provider_uses_the_config_provider() -> None:
    """Not passing `provider` takes ControlConfig.provider."""
    assert (
        build(ControlConfig(provider="openrouter")).url
        == f"{BASE}/control/chat/openrouter/v1/chat/completions"
    )


def test_explicit_none_provider_overrides_the_config_provider() -> None:
    """`provider=None` means the server-default route even when the config names a provider."""
    assert (
        build(ControlConfig(provider="openai"), provider=None).url
        == f"{BASE}/control/chat/v1/chat/completions"
    )


@pytest.mark.parametrize("provider", ["sequrity_azure", LlmServiceProvider.SEQURITY_AZURE])
def test_explicit_provider_overrides_the_config_provider(provider: object) -> None:
    """A per-call provider (string or enum) wins over the config."""
    url = build(ControlConfig(provider="openai"), provider=provider).url

    assert url == f"{BASE}/control/chat/sequrity_azure/v1/chat/completions"


def test_not_given_endpoint_type_uses_the_config_endpoint_type() -> None:
    """Not passing `endpoint_type` takes ControlConfig.endpoint_type."""
    assert (
        build(ControlConfig(endpoint_type="lang-graph")).url
        == f"{BASE}/control/lang-graph/v1/chat/completions"
    )


@pytest.mark.parametrize("et", ["agent", EndpointType.AGENT])
def test_explicit_endpoint_type_overrides_the_config(et: object) -> None:
    """A per-call endpoint type (string or enum) wins over the config."""
    assert (
        build(ControlConfig(endpoint_type="code"), endpoint_type=et).url
        == f"{BASE}/control/agent/v1/chat/completions"
    )


def test_none_endpoint_type_is_refused() -> None:
    """`endpoint_type=None` is meaningless and refused, naming the allowed values."""
    with pytest.raises(SequrityValidationError) as info:
        build(endpoint_type=None)

    assert (
        str(info.value)
        == "endpoint_type cannot be None; use 'chat', 'code', 'agent' or 'lang-graph'"
    )


def test_unknown_per_call_provider_is_refused() -> None:
    """A misspelt per-call provider fails before anything is sent."""
    with pytest.raises(SequrityValidationError, match="unknown provider 'opnai'"):
        build(provider="opnai")


def test_messages_route_accepts_the_anthropic_provider() -> None:
    """`anthropic` is served on Messages: the API suffix decides which providers are valid."""
    request = build_control_request(state(), MESSAGES, b"{}", stream=False, provider="anthropic")

    assert request.url == f"{BASE}/control/chat/anthropic/v1/messages"


# -- method, body, Accept ----------------------------------------------------------------------


def test_request_is_a_post_with_the_given_body() -> None:
    """The request is a POST carrying the body bytes unchanged."""
    request = build_control_request(state(), CHAT_COMPLETIONS, b'{"model":"m"}', stream=False)

    assert (request.method, request.body, request.stream) == ("POST", b'{"model":"m"}', False)


def test_json_request_accepts_json() -> None:
    """A non-streaming call sends `Accept: application/json`."""
    assert build(stream=False).headers["Accept"] == "application/json"


def test_stream_request_accepts_event_stream() -> None:
    """A streaming call sends `Accept: text/event-stream` and is marked as a stream."""
    request = build(stream=True)

    assert (request.headers["Accept"], request.stream) == ("text/event-stream", True)


def test_base_headers_are_sent() -> None:
    """Authorization and Content-Type from the client state are on every request."""
    headers = build().headers

    assert (headers["Authorization"], headers["Content-Type"]) == (
        "Bearer sq-key",
        "application/json",
    )


def test_building_does_not_change_the_client_state() -> None:
    """Per-call headers never leak into the shared base headers."""
    s = state()
    build_control_request(
        s, CHAT_COMPLETIONS, b"{}", stream=True, llm_api_key="k", custom_headers={"X-A": "1"}
    )

    assert s.base_headers == AUTH


# -- X-Api-Key -------------------------------------------------------------------------------------


def test_no_llm_key_sends_no_x_api_key() -> None:
    """Without any BYOK key there is no X-Api-Key header."""
    assert "X-Api-Key" not in build().headers


def test_not_given_llm_key_uses_the_config_key() -> None:
    """Not passing `llm_api_key` sends ControlConfig.llm_api_key."""
    assert build(ControlConfig(llm_api_key="sk-cfg")).headers["X-Api-Key"] == "sk-cfg"


def test_explicit_none_llm_key_suppresses_the_config_key() -> None:
    """`llm_api_key=None` sends no X-Api-Key even when the config has one."""
    assert "X-Api-Key" not in build(ControlConfig(llm_api_key="sk-cfg"), llm_api_key=None).headers


def test_empty_llm_key_sends_no_header() -> None:
    """An empty key counts as no key."""
    assert "X-Api-Key" not in build(llm_api_key="").headers


def test_explicit_llm_key_overrides_the_config_key() -> None:
    """A per-call key wins over the config key."""
    assert (
        build(ControlConfig(llm_api_key="sk-cfg"), llm_api_key="sk-call").headers["X-Api-Key"]
        == "sk-call"
    )


def test_llm_key_with_a_newline_is_refused_without_echoing_it() -> None:
    """A key with CR/LF would split the header; it is refused and not shown in the error."""
    with pytest.raises(SequrityValidationError) as info:
        build(llm_api_key="sk-secret\r\nX-Evil: 1")

    assert str(info.value) == "header 'X-Api-Key' contains a line break or NUL; refused"


# -- X-Features / X-Policy / X-Config ----------------------------------------------------------


def test_no_config_headers_by_default() -> None:
    """A default config sends none of X-Features, X-Policy, X-Config."""
    headers = build().headers

    assert {"X-Features", "X-Policy", "X-Config"} & set(headers) == set()


def test_not_given_config_headers_use_the_config_objects() -> None:
    """Not passing the header arguments sends the ControlConfig's header objects."""
    headers = build(FULL_CONFIG).headers

    assert (headers["X-Features"], headers["X-Policy"], headers["X-Config"]) == (
        FEATURES.header_value(),
        POLICY.header_value(),
        CONFIG.header_value(),
    )


def test_features_header_is_the_compact_json() -> None:
    """`FeaturesHeader.dual_llm()` goes out as `{"agent_arch":"dual-llm"}`."""
    assert build(features=FEATURES).headers["X-Features"] == '{"agent_arch":"dual-llm"}'


@pytest.mark.parametrize(
    ("kwarg", "header"),
    [
        ("features", "X-Features"),
        ("security_policy", "X-Policy"),
        ("fine_grained_config", "X-Config"),
    ],
)
def test_explicit_none_suppresses_a_config_header(kwarg: str, header: str) -> None:
    """`features=None` (etc.) sends no header even when the config has a default."""
    headers = build(FULL_CONFIG, **{kwarg: None}).headers

    assert header not in headers


@pytest.mark.parametrize(
    ("kwarg", "header", "obj"),
    [
        ("features", "X-Features", FeaturesHeader.single_llm()),
        ("security_policy", "X-Policy", SecurityPolicyHeader()),
        ("fine_grained_config", "X-Config", FineGrainedConfigHeader()),
    ],
)
def test_explicit_header_object_overrides_the_config(kwarg: str, header: str, obj: object) -> None:
    """A per-call header object replaces the config's default for that header only."""
    headers = build(FULL_CONFIG, **{kwarg: obj}).headers

    assert headers[header] == obj.header_value()  # type: ignore[attr-defined]


def test_empty_header_object_is_still_sent() -> None:
    """An empty-but-present header object is sent as `{}`."""
    assert build(fine_grained_config=FineGrainedConfigHeader()).headers["X-Config"] == "{}"


def test_overrides_are_deep_merged_into_the_header_object() -> None:
    """`config_overrides` changes one nested key and keeps the rest of X-Config."""
    headers = build(
        fine_grained_config=CONFIG, config_overrides={"fsm": {"max_n_turns": 9}}
    ).headers

    assert json.loads(headers["X-Config"]) == {
        "fsm": {
            "min_num_tools_for_filtering": 10,
            "clear_session_meta": "never",
            "max_n_turns": 9,
            "disable_rllm": True,
        }
    }


def test_overrides_are_merged_into_the_config_default() -> None:
    """Overrides also apply to the header taken from the ControlConfig."""
    headers = build(ControlConfig(features=FEATURES), feature_overrides={"extra_key": 1}).headers

    assert json.loads(headers["X-Features"]) == {"agent_arch": "dual-llm", "extra_key": 1}


def test_overrides_without_a_header_object_are_sent_alone() -> None:
    """With no header object, non-empty overrides are rendered on their own, never dropped."""
    headers = build(policy_overrides={"mode": "strict"}).headers

    assert headers["X-Policy"] == '{"mode":"strict"}'


def test_overrides_with_explicit_none_header_are_sent_alone() -> None:
    """`fine_grained_config=None` plus overrides sends exactly the overrides."""
    headers = build(
        FULL_CONFIG, fine_grained_config=None, config_overrides={"fsm": {"max_n_turns": 3}}
    ).headers

    assert headers["X-Config"] == '{"fsm":{"max_n_turns":3}}'


def test_empty_overrides_without_a_header_send_nothing() -> None:
    """Empty overrides and no header object mean no header."""
    assert "X-Features" not in build(feature_overrides={}).headers


def test_override_values_are_ascii_escaped() -> None:
    """Non-ASCII override values are `\\uXXXX`-escaped so the header stays ASCII."""
    headers = build(policy_overrides={"note": "héllo\nworld"}).headers

    assert headers["X-Policy"] == '{"note":"h\\u00e9llo\\nworld"}'


def test_overrides_that_are_not_json_are_refused() -> None:
    """A value JSON cannot carry (a NaN) is refused before sending."""
    with pytest.raises(SequrityValidationError, match="not valid JSON"):
        build(feature_overrides={"x": float("nan")})


def test_overrides_do_not_change_the_config_header() -> None:
    """Overrides never mutate the shared header object."""
    build(fine_grained_config=CONFIG, config_overrides={"fsm": {"max_n_turns": 1}})

    assert json.loads(CONFIG.header_value())["fsm"]["max_n_turns"] == 5


# -- X-Session-ID ------------------------------------------------------------------------------


def test_session_id_is_sent() -> None:
    """A per-call session id goes out as X-Session-ID."""
    assert build(session_id="7f4f6398-f72d-11f0-b822-0f87f79310f1").headers["X-Session-ID"] == (
        "7f4f6398-f72d-11f0-b822-0f87f79310f1"
    )


@pytest.mark.parametrize("sid", [None, NOT_GIVEN, ""])
def test_no_session_id_sends_no_header(sid: object) -> None:
    """None, not given or empty session id sends no X-Session-ID (a new session)."""
    assert "X-Session-ID" not in build(session_id=sid).headers


def test_session_id_with_a_line_break_is_refused() -> None:
    """A session id cannot inject another header."""
    with pytest.raises(SequrityValidationError, match="'X-Session-ID' contains a line break"):
        build(session_id="abc\nX-Evil: 1")


# -- custom headers ----------------------------------------------------------------------------


def test_custom_headers_are_added() -> None:
    """Custom headers appear on the request."""
    assert build(custom_headers={"X-Trace": "t-1"}).headers["X-Trace"] == "t-1"


def test_lower_case_authorization_replaces_instead_of_duplicating() -> None:
    """A custom `authorization` replaces the Authorization line; there is exactly one."""
    headers = build(custom_headers={"authorization": "Bearer other"}).headers

    assert [(k, v) for k, v in headers.items() if k.lower() == "authorization"] == [
        ("authorization", "Bearer other")
    ]


def test_custom_headers_win_over_sdk_headers_case_insensitively() -> None:
    """A custom `x-features` or `ACCEPT` replaces the SDK's own value."""
    headers = build(
        features=FEATURES, stream=True, custom_headers={"x-features": "{}", "ACCEPT": "*/*"}
    ).headers

    assert {k: v for k, v in headers.items() if k.lower() in ("x-features", "accept")} == {
        "x-features": "{}",
        "ACCEPT": "*/*",
    }


def test_merge_headers_keeps_the_last_spelling() -> None:
    """Two custom spellings of one name leave one header with the last value."""
    merged = merge_headers({"Authorization": "a"}, {"AUTHORIZATION": "b", "authorization": "c"})

    assert merged == {"authorization": "c"}


def test_merge_headers_adds_new_names() -> None:
    """A name not yet present is added with its own spelling."""
    assert merge_headers({"A": "1"}, {"b-Header": "2"}) == {"A": "1", "b-Header": "2"}


@pytest.mark.parametrize(
    "value", ["a\rb", "a\nb", "a\r\nX-Evil: 1", "a\x00b", "héllo", "emoji 🙂", "\u2028"]
)
def test_custom_header_values_that_break_framing_or_are_not_ascii_are_refused(value: str) -> None:
    """CR, LF, NUL and non-ASCII header values are refused, naming the header."""
    with pytest.raises(SequrityValidationError) as info:
        build(custom_headers={"X-Custom": value})

    assert "'X-Custom'" in str(info.value)


def test_refused_header_value_is_not_echoed() -> None:
    """The error names the header but never shows its (possibly secret) value."""
    with pytest.raises(SequrityValidationError) as info:
        check_header_value("Authorization", "Bearer sq-secret\n")

    assert "sq-secret" not in str(info.value)


@pytest.mark.parametrize("name", ["", "X Bad", "X:Bad", "X\nBad", "X\x00"])
def test_invalid_custom_header_names_are_refused(name: str) -> None:
    """Empty names and names with spaces, colons, line breaks or NUL are refused."""
    with pytest.raises(SequrityValidationError) as info:
        build(custom_headers={name: "v"})

    assert str(info.value) == (
        f"invalid header name {name!r}: use letters, digits and !#$%&'*+-.^_`|~ only"
    )


def test_non_string_header_value_is_refused() -> None:
    """A header value must be a string (an int is refused, naming its type)."""
    with pytest.raises(SequrityValidationError) as info:
        build(custom_headers={"X-Count": 3})

    assert str(info.value) == "header 'X-Count' must be a string, got int"


def test_check_header_value_returns_a_valid_value() -> None:
    """A plain ASCII value passes through unchanged."""
    assert check_header_value("X-A", "ok value; with=symbols") == "ok value; with=symbols"


def test_sdk_headers_replace_lower_case_default_headers() -> None:
    """Lower-case `accept`/`x-api-key` defaults are replaced by the per-call values, never sent twice."""
    s = state(headers={**AUTH, "accept": "application/json", "x-api-key": "sk-default"})

    request = build_control_request(s, CHAT_COMPLETIONS, b"{}", stream=True, llm_api_key="sk-call")

    assert [(k, v) for k, v in request.headers.items() if k.lower() in ("accept", "x-api-key")] == [
        ("Accept", "text/event-stream"),
        ("X-Api-Key", "sk-call"),
    ]


def test_client_state_spells_managed_default_headers_canonically() -> None:
    """Default headers the SDK manages (`accept`, `x-api-key`) are renamed to their canonical spelling."""
    s = state(headers={"authorization": "Bearer k", "accept": "*/*", "X-Trace": "t"})

    assert s.base_headers == {"Authorization": "Bearer k", "Accept": "*/*", "X-Trace": "t"}


# -- timeout -----------------------------------------------------------------------------------


def test_not_given_timeout_uses_the_client_timeout() -> None:
    """Without `timeout=` the client's default deadlines apply."""
    assert build().timeout == BASE_TIMEOUT


def test_number_timeout_sets_the_total_deadline() -> None:
    """`timeout=7` limits the whole call to 7 s and keeps the other client limits."""
    assert build(timeout=7).timeout == attrs.evolve(BASE_TIMEOUT, total=7.0)


def test_none_timeout_removes_every_limit() -> None:
    """`timeout=None` means no deadline at all for this call."""
    assert build(timeout=None).timeout == Timeout(
        connect=None, read=None, total=None, stream_idle=None
    )


def test_timeout_object_is_used_as_given() -> None:
    """A `Timeout` passed per call is used unchanged."""
    t = Timeout(connect=1.0, read=2.0, total=3.0, stream_idle=4.0)

    assert build(timeout=t).timeout is t


@pytest.mark.parametrize("bad", [0, -1, "5", True])
def test_invalid_timeout_is_refused(bad: object) -> None:
    """A zero, negative, string or boolean timeout is refused."""
    with pytest.raises(SequrityValidationError):
        build(timeout=bad)


def test_client_state_is_immutable() -> None:
    """ClientState is frozen: one client's defaults cannot be changed by a request."""
    s = state()

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.base_url = "https://evil.example"  # type: ignore[misc]

    assert s.base_url == BASE


# -- prepared URL and headers --------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("config", [ControlConfig(), FULL_CONFIG])
def test_a_call_that_changes_no_default_sends_what_the_general_path_builds(
    stream: bool, config: ControlConfig
) -> None:
    """The URL and headers prepared once per client equal those built option by option."""
    client = state(config)
    general = build_control_request(
        client, CHAT_COMPLETIONS, b"{}", stream=stream, custom_headers={}
    )

    first = build_control_request(client, CHAT_COMPLETIONS, b"{}", stream=stream)
    second = build_control_request(client, CHAT_COMPLETIONS, b"{}", stream=stream, session="s1")

    for request in (first, second):
        assert request.url == general.url
        assert list(request.headers)[: len(general.headers)] == list(general.headers)
        assert {k: v for k, v in request.headers.items() if k != "Idempotency-Key"} == {
            k: v for k, v in general.headers.items() if k != "Idempotency-Key"
        } | ({"X-Session-ID": "s1"} if request is second else {})
    assert first.headers["Idempotency-Key"] != second.headers["Idempotency-Key"]
    assert (first.timeout, first.stream, first.body) == (BASE_TIMEOUT, stream, b"{}")


def test_prepared_headers_are_not_shared_between_calls() -> None:
    """Each call gets its own headers: one call's session does not leak into the next."""
    client = state()

    with_session = build_control_request(
        client, CHAT_COMPLETIONS, b"{}", stream=False, session_id="s1"
    )
    without = build_control_request(client, CHAT_COMPLETIONS, b"{}", stream=False)

    assert with_session.headers["X-Session-ID"] == "s1"
    assert "X-Session-ID" not in without.headers


def test_a_bad_session_id_is_refused_on_the_prepared_path() -> None:
    """A session id with a line break is refused as on the general path."""
    with pytest.raises(SequrityValidationError, match="X-Session-ID"):
        build(session_id="a\nb")
