from sequrity import SequrityClient

with (
    SequrityClient() as client,
    client.control.chat.create(
        [{"role": "user", "content": "Write a haiku about the sea."}],
        "openai/gpt-5-mini",
        stream=True,
    ) as stream,
):
    for chunk in stream:
        for choice in chunk.choices:
            print(choice.delta.content or "", end="", flush=True)
print()
