from sequrity import SequrityClient
from sequrity.control import FeaturesHeader, parse_result

with SequrityClient() as client:
    text = []
    with client.control.chat.create(
        [{"role": "user", "content": "What is the largest prime number below 100?"}],
        "openai/gpt-5-mini",
        features=FeaturesHeader.dual_llm(),
        stream=True,
    ) as stream:
        for chunk in stream:
            text += [choice.delta.content or "" for choice in chunk.choices]

    # The streamed text is the result envelope: read it once the stream has ended.
    result = parse_result("".join(text))
    print(result.status, result.value)  # success 97
