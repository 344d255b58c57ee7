# Any language or tool can use the emulator over HTTP. Start it with a script file...
sequrity emulator --script answers.script.json

# ...and talk to it (the first request gets the scripted 429; the client retries it).
export SEQURITY_BASE_URL=http://127.0.0.1:8765 SEQURITY_API_KEY=sq-demo
sequrity chat "Will it rain in Oslo today?"
