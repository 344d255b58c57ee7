from sequrity import SequrityClient
from sequrity.types.messages import accumulate_message

with SequrityClient() as client:
    with client.control.messages.create(
        [{"role": "user", "content": "Write a haiku about the sea."}],
        "claude-sonnet-4-5",
        max_tokens=256,
        provider="anthropic",
        stream=True,
    ) as stream:
        events = []
        for event in stream:
            events.append(event)
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                print(event.delta.text, end="", flush=True)
    print()

    # Rebuild the final message from the events: text, thinking, tool inputs, usage.
    message = accumulate_message(events)
    print(message.stop_reason, message.usage.output_tokens, "output tokens")
