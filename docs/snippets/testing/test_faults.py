import pytest

from sequrity import RetryPolicy, SequrityClient, SequrityStreamError, ServiceUnavailableError

QUESTION = [{"role": "user", "content": "What is the largest prime number below 100?"}]
NO_WAIT = RetryPolicy(initial_backoff=0, max_backoff=0)  # keep tests fast


def test_two_503s_are_retried(sequrity_emulator):
    """The next two requests fail with 503; the client's retries get through."""
    sequrity_emulator.faults.next_n(2).status(503)

    with SequrityClient("sq-test", base_url=sequrity_emulator.base_url, retry=NO_WAIT) as client:
        raw = client.control.chat.with_raw_response.create(QUESTION, "openai/gpt-5-mini")

    assert (raw.status_code, raw.retries) == (200, 2)
    assert len(sequrity_emulator.requests) == 3


def test_a_lasting_outage_raises(sequrity_emulator):
    """Every request fails: the error reaches the caller after the retries."""
    sequrity_emulator.faults.always().status(503, "maintenance")

    with (
        SequrityClient("sq-test", base_url=sequrity_emulator.base_url, retry=NO_WAIT) as client,
        pytest.raises(ServiceUnavailableError, match="maintenance"),
    ):
        client.control.chat.create(QUESTION, "openai/gpt-5-mini")


def read_into(received, stream):
    for chunk in stream:
        received.append(chunk)


def test_a_broken_stream_delivers_what_arrived_first(sequrity_emulator):
    """An in-band error after two events: both events arrive, then the error is raised."""
    sequrity_emulator.faults.next.stream_error("upstream went away", after_events=2)
    received = []

    with (
        SequrityClient("sq-test", base_url=sequrity_emulator.base_url) as client,
        client.control.chat.create(QUESTION, "openai/gpt-5-mini", stream=True) as stream,
        pytest.raises(SequrityStreamError, match="upstream went away"),
    ):
        read_into(received, stream)

    assert len(received) == 2
