"""Code in the official SDK's style runs unchanged on this package: its import paths
(`sequrity.control.types`, `sequrity.types.enums`, `...dual_llm_response`), `ControlConfig`
defaults, `client.control.chat.create`, and the pydantic-style methods (`model_dump`,
`model_validate_json`), including sending an assistant message back as history."""

from sequrity import SequrityClient
from sequrity.control import ControlConfig
from sequrity.control.types import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader
from sequrity.control.types.dual_llm_response import ResponseContentJsonSchema
from sequrity.types.enums import LlmServiceProvider

config = ControlConfig(
    llm_api_key="sk-or-your-key",
    provider=LlmServiceProvider.OPENROUTER,
    features=FeaturesHeader.dual_llm(toxicity_filter=True),
    security_policy=SecurityPolicyHeader(
        mode="standard",
        codes={"language": "sqrt", "code": 'tool "delete_file" { hard deny always; }'},
    ),
    fine_grained_config=FineGrainedConfigHeader.dual_llm(max_n_turns=5),
)

with SequrityClient(api_key="your-sequrity-api-key", control=config) as client:
    messages = [{"role": "user", "content": "What is 6 + 7?"}]
    response = client.control.chat.create(messages=messages, model="openai/gpt-5-mini")
    message = response.choices[0].message
    envelope = ResponseContentJsonSchema.model_validate_json(message.content or "")
    print(
        "status:",
        envelope.status,
        "value:",
        envelope.final_return_value.value if envelope.final_return_value else None,
    )
    print("session:", response.session_id)

    # The answer goes back as history, as a dict (pydantic style) - the object itself works too.
    messages.append(message.model_dump(mode="json"))
    messages.append({"role": "user", "content": "And 7 + 8?"})
    follow_up = client.control.chat.create(
        messages=messages, model="openai/gpt-5-mini", session_id=response.session_id
    )
    print(
        "follow-up:",
        ResponseContentJsonSchema.model_validate_json(
            follow_up.choices[0].message.content or ""
        ).status,
    )
