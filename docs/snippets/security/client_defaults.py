from sequrity import SequrityClient
from sequrity.control import (
    ControlConfig,
    FeaturesHeader,
    FineGrainedConfigHeader,
    SecurityPolicyHeader,
)

config = ControlConfig(
    features=FeaturesHeader.dual_llm(),
    security_policy=SecurityPolicyHeader.dual_llm(codes='tool "delete_file" { hard deny always; }'),
    fine_grained_config=FineGrainedConfigHeader.dual_llm(max_n_turns=5),
)
messages = [{"role": "user", "content": "What is the largest prime number below 100?"}]

with SequrityClient(control=config) as client:
    # Every call sends the client's three headers...
    dual = client.control.chat.create(messages, "openai/gpt-5-mini")
    print(dual.content)  # a Dual-LLM result envelope (JSON text)

    # ...unless the call gives its own, or None to send no header at all.
    single = client.control.chat.create(
        messages,
        "openai/gpt-5-mini",
        features=FeaturesHeader.single_llm(),
        security_policy=None,
        fine_grained_config=None,
    )
    print(single.content)  # 97

    # *_overrides deep-merge raw JSON into a header, for fields this SDK does not know yet.
    client.control.chat.create(
        messages, "openai/gpt-5-mini", config_overrides={"fsm": {"max_n_turns": 3}}
    )
