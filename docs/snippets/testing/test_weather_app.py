import json

from weather_app import forecast


def test_forecast_returns_the_model_answer(sequrity_env):
    """sequrity_env starts an emulator and points SEQURITY_BASE_URL and SEQURITY_API_KEY at it."""
    sequrity_env.script.reply("Sunny, 21 degrees.")  # the next chat request gets this answer

    assert forecast("Paris") == "Sunny, 21 degrees."


def test_forecast_sends_single_llm_features(sequrity_env):
    """The emulator records every request: path, headers and JSON body."""
    forecast("Oslo")

    (request,) = sequrity_env.requests
    assert request.path == "/control/chat/v1/chat/completions"
    assert json.loads(request.headers["X-Features"]) == {"agent_arch": "single-llm"}
    assert "Oslo" in request.json["messages"][0]["content"]
