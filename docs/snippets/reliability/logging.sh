# In one terminal: an emulator that answers the first two requests with 503.
sequrity emulator --script flaky.script.json

# In another: log every request, response and retry on standard error (keys are redacted).
export SEQURITY_BASE_URL=http://127.0.0.1:8765 SEQURITY_API_KEY=sq-demo
SEQURITY_LOG=debug python retries.py
