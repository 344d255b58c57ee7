from sequrity import SequrityClient

with SequrityClient() as client:
    response = client.control.chat.create(
        messages=[{"role": "user", "content": "What is the largest prime number below 100?"}],
        model="openai/gpt-5-mini",
    )
    print(response.content)  # 97
    print(response.choices[0].finish_reason)  # stop
