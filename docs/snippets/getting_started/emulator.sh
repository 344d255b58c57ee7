# In one terminal: a local emulator of the whole API (Ctrl-C stops it).
sequrity emulator

# In another terminal: point the SDK at it; any non-empty key is accepted.
export SEQURITY_BASE_URL=http://127.0.0.1:8765 SEQURITY_API_KEY=sq-demo
python first_request.py
sequrity chat "What is the largest prime number below 100?"
