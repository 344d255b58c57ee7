"""Seed-document import path: ``sequrity.types.control.headers`` (same classes as `sequrity.control`)."""
