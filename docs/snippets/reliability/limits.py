from sequrity import Limits, SequrityClient, SequrityLimitError

# The defaults (32 MiB bodies, 16 MiB event-stream lines...) suit every real answer.
# A tiny limit shows what crossing one looks like.
with SequrityClient(limits=Limits(max_body_size=100)) as client:
    try:
        client.control.chat.create(
            [{"role": "user", "content": "What is the largest prime number below 100?"}],
            "openai/gpt-5-mini",
        )
    except SequrityLimitError as error:
        print(error.limit, error.max_size)  # max_body_size 100
