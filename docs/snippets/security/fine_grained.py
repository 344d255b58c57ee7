from sequrity import SequrityClient
from sequrity.control import (
    JSON_NULL,
    FeaturesHeader,
    FineGrainedConfigHeader,
    FsmOverrides,
    ResponseFormatOverrides,
    parse_result,
)

# The factory covers the common settings...
config = FineGrainedConfigHeader.dual_llm(max_n_turns=10, include_program=True)

# ...and the classes cover every field. JSON_NULL sends an explicit null (here: no turn limit).
unlimited = FineGrainedConfigHeader(
    fsm=FsmOverrides(max_n_turns=JSON_NULL, retry_on_policy_violation=True),
    response_format=ResponseFormatOverrides(include_program=True),
)
print(unlimited.header_value())

with SequrityClient() as client:
    response = client.control.chat.create(
        [{"role": "user", "content": "What is the largest prime number below 100?"}],
        "openai/gpt-5-mini",
        features=FeaturesHeader.dual_llm(),
        fine_grained_config=config,
    )
    result = parse_result(response.content)  # the Dual-LLM result envelope; never raises
    print(result.status, result.value)
    print(result.program)  # the program the planner wrote (include_program=True)
