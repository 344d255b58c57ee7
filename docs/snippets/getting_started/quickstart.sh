# 1. Run it: sends one chat completion (through an embedded emulator when no API key is configured)
python3 -m pip install -e . && sequrity chat "What is the largest prime number below 100?"

# 2. Test it: the whole test suite (nox builds its own virtualenv)
python3 -m pip install nox && python3 -m nox -s tests
