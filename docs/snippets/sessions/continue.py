from sequrity import SequrityClient
from sequrity.control import FeaturesHeader, FineGrainedConfigHeader

MODEL = "openai/gpt-5-mini"
SETTINGS = {
    "features": FeaturesHeader.dual_llm(),
    "fine_grained_config": FineGrainedConfigHeader.dual_llm(max_n_turns=5),  # room for 5 turns
}

with SequrityClient() as client:
    history = [{"role": "user", "content": "What is the largest prime number below 100?"}]
    first = client.control.chat.create(history, MODEL, **SETTINGS)
    print("session:", first.session_id)

    history += [
        first.choices[0].message,  # the assistant's answer goes back as it came
        {"role": "user", "content": "And below 50?"},
    ]
    second = client.control.chat.create(history, MODEL, session_id=first.session_id, **SETTINGS)
    print("same session:", second.session_id == first.session_id)  # True
