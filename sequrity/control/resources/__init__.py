"""Async services of the Control API, one module per endpoint group (mirrors the URL tree)."""
