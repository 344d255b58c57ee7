"""Typed configuration headers (`headers`) and Dual-LLM result types (`results`)."""
