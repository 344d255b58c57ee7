"""The one-shot function named by the chat-completion reference: create_chat_completion_sync."""

from sequrity.control.chat_completion import create_chat_completion_sync
from sequrity.control.types.results import ResponseContentJsonSchema
from sequrity.types.control.headers import FeaturesHeader

response = create_chat_completion_sync(
    [{"role": "user", "content": "What is the largest prime number below 100?"}],
    "openai/gpt-5-mini",
    features=FeaturesHeader.create_dual_llm_headers(),
    service_provider="openrouter",
)
result = ResponseContentJsonSchema.parse_json_safe(response.choices[0].message.content)
print(result.status, result.value)
