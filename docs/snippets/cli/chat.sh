sequrity chat "What is the largest prime number below 100?"
sequrity chat --stream "Write a haiku about the sea"
sequrity chat --dual-llm "What is the largest prime number below 100?"         # the value: 97
sequrity chat --dual-llm --json "What is the largest prime number below 100?"  # the envelope
sequrity chat --provider openrouter --show-session "Hello"
