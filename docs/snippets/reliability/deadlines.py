# The emulator can be slow on purpose, to see a deadline fire:
#   sequrity emulator --script slow.script.json

from sequrity import SequrityClient, SequrityTimeoutError, Timeout

QUESTION = [{"role": "user", "content": "What is the largest prime number below 100?"}]

# Client defaults: connect 10 s, read 300 s, total 600 s, no limit between stream events.
with SequrityClient(timeout=Timeout(connect=5, read=60, total=120, stream_idle=30)) as client:
    try:
        # Per call: a number sets the total deadline and keeps the client's other limits.
        client.control.chat.create(QUESTION, "openai/gpt-5-mini", timeout=1.0)
    except SequrityTimeoutError as error:
        print(error.kind, "deadline of", error.timeout, "s")  # total deadline of 1.0 s

    answer = client.control.chat.create(QUESTION, "openai/gpt-5-mini")
    print(answer.content)  # 97
