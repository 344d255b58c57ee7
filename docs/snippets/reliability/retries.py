# The emulator can fail on purpose, to see retries at work:
#   sequrity emulator --script flaky.script.json

from sequrity import RetryEvent, RetryPolicy, SequrityClient


def report(event: RetryEvent) -> None:
    print(f"attempt {event.attempt} failed ({event.reason}); retrying in {event.delay:.1f} s")


policy = RetryPolicy(max_retries=4, initial_backoff=0.25, max_backoff=4.0)

with SequrityClient(retry=policy, on_retry=report) as client:
    raw = client.control.chat.with_raw_response.create(
        [{"role": "user", "content": "What is the largest prime number below 100?"}],
        "openai/gpt-5-mini",
    )
    print(raw.status_code, "after", raw.retries, "retries")  # 200 after 2 retries
    print(raw.parse().content)  # 97

    # Per call: retry=0 (or None) sends once; retry=5 allows five retries.
    client.control.chat.create([{"role": "user", "content": "Hi"}], "openai/gpt-5-mini", retry=0)
