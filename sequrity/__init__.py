"""sequrity: the async-first Python SDK for the Sequrity Control API."""
