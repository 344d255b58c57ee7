"""Wire models of the APIs the Control API speaks (Chat Completions, and later Messages and Responses)."""
