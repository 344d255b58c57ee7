"""The Responses API: a plain call, a streamed call with its accumulated result, and a follow-up."""

from sequrity import SequrityClient
from sequrity.types.responses import accumulate_response

client = SequrityClient()  # SEQURITY_API_KEY, SEQURITY_BASE_URL

first = client.control.responses.create(
    "gpt-5-mini", input="What is the largest prime number below 100?"
)
print(first.status, first.output_text)

with client.control.responses.create("gpt-5-mini", input="What is 6 x 7", stream=True) as stream:
    events = list(stream)
print("streamed:", accumulate_response(events).output_text, f"({len(events)} events)")

follow_up = client.control.responses.create(
    "gpt-5-mini", input="And below 50?", previous_response_id=first.id
)
print("follow-up:", follow_up.output_text)
client.close()
