"""
Agent-framework integrations, each an optional extra that `import sequrity` never loads:

* `sequrity.integrations.openai_agents` — a `ModelProvider` and `Model` for the OpenAI Agents
  SDK (``pip install 'sequrity[agents]'``);
* `sequrity.integrations.langchain` — `ChatSequrity`, a LangChain chat model
  (``pip install 'sequrity[langchain]'``);
* `sequrity.integrations.sqrt_gate` — `SqrtToolGate`, a local SQRT check for LangGraph's
  ``ToolNode`` (``pip install 'sequrity[langchain]'``);
* `sequrity.integrations.openai_client` — `OpenAIClientAdapter`, an ``AsyncOpenAI``-shaped
  client whose requests our client sends (needs only ``openai``, part of the ``agents`` extra).

Importing one of them without its extra raises `MissingExtraError` (an `ImportError`) that
names the extra to install. A Dual-LLM failure (a policy denial) raises `PolicyViolationError`
(also in `sequrity.control`). The official SDK's names live at `sequrity.control.integrations`.
"""

from __future__ import annotations

from ..control.types.results import PolicyViolationError as PolicyViolationError
from ._extras import MissingExtraError as MissingExtraError

__all__ = ["MissingExtraError", "PolicyViolationError"]
