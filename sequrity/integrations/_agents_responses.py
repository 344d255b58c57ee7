"""
`SequrityResponsesModel`: an Agents SDK `Model` over ``client.control.responses`` (the OpenAI
Responses API style), with Dual-LLM envelopes unwrapped in whole answers and in streams.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from .. import AsyncSequrityClient
from ..types import to_dict
from ._extras import missing_extra
from ._openai_events import stream_event
from ._responses_unwrap import StreamUnwrapper, unwrap_response
from ._results import SessionSlot

try:
    from agents.agent_output import AgentOutputSchemaBase
    from agents.handoffs import Handoff
    from agents.items import ModelResponse, TResponseInputItem, TResponseStreamEvent
    from agents.model_settings import ModelSettings
    from agents.models.interface import Model, ModelTracing
    from agents.tool import Tool
    from agents.tracing import response_span
    from openai.types.responses import Response
    from openai.types.responses.response_prompt_param import ResponsePromptParam
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("agents", exc) from exc

from ._agents_request import responses_request, usage_of

__all__ = ["SequrityResponsesModel"]


_DROPPED = ("session_id", "request_id")


def _response_payload(data: dict[str, Any], session_id: str | None) -> dict[str, Any]:
    return unwrap_response({k: v for k, v in data.items() if k not in _DROPPED}, session_id)


class SequrityResponsesModel(Model):
    """
    An Agents SDK `Model` that sends Responses API requests through ``client.control.responses``.

    ``previous_response_id`` and ``conversation_id`` are passed on (the server keeps the
    conversation); ``prompt`` too.

    Args:
        model: The model name(s).
        client: The client that sends.
        session: Internal: the official-style object whose one conversation the model follows
            (`SessionSlot`); `None` (the default) keeps no session between calls.
    """

    def __init__(
        self, model: str, client: AsyncSequrityClient, *, session: SessionSlot | None = None
    ) -> None:
        self.model = model
        self.client = client
        self._session = session

    def _request(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff[Any, Any]],
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: ResponsePromptParam | None,
    ) -> dict[str, Any]:
        return responses_request(
            self.model,
            system_instructions,
            input,
            model_settings,
            tools,
            output_schema,
            handoffs,
            previous_response_id=previous_response_id,
            conversation_id=conversation_id,
            prompt=prompt,
            default_session=None if self._session is None else self._session.id,
        )

    def _offer(self, sent: Any, received: str | None) -> None:
        if self._session is not None:
            self._session.offer(sent, received)

    async def get_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff[Any, Any]],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None = None,
        conversation_id: str | None = None,
        prompt: ResponsePromptParam | None = None,
    ) -> ModelResponse:
        """
        Send one Responses request and give its output items.

        Raises:
            PolicyViolationError: The Dual-LLM run ended with ``status: "failure"``.
            SequrityError: The request failed (a typed subclass).
        """
        request = self._request(
            system_instructions,
            input,
            model_settings,
            tools,
            output_schema,
            handoffs,
            previous_response_id,
            conversation_id,
            prompt,
        )
        with response_span(disabled=tracing.is_disabled()) as span:
            answer = await self.client.control.responses.create(**request, stream=False)
            self._offer(request["session_id"], answer.session_id)
            payload = _response_payload(to_dict(answer), answer.session_id)
            response = Response.model_construct(**payload)
            span.span_data.response = response
        return ModelResponse(
            output=response.output,
            usage=usage_of(to_dict(answer).get("usage")),
            response_id=response.id,
            request_id=answer.request_id,
        )

    async def stream_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff[Any, Any]],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None = None,
        conversation_id: str | None = None,
        prompt: ResponsePromptParam | None = None,
    ) -> AsyncIterator[TResponseStreamEvent]:
        """
        Stream one Responses request as OpenAI stream events (event types the OpenAI SDK does
        not know are skipped).

        Raises:
            PolicyViolationError: The Dual-LLM run ended with ``status: "failure"``.
            SequrityError: The request or the stream failed (a typed subclass).
        """
        request = self._request(
            system_instructions,
            input,
            model_settings,
            tools,
            output_schema,
            handoffs,
            previous_response_id,
            conversation_id,
            prompt,
        )
        with response_span(disabled=tracing.is_disabled()):
            stream = await self.client.control.responses.create(**request, stream=True)
            self._offer(request["session_id"], stream.session_id)
            unwrapper = StreamUnwrapper(stream.session_id)
            async with stream:
                async for event in stream:
                    for rewritten in unwrapper.process(to_dict(event)):
                        parsed = stream_event(rewritten)
                        if parsed is not None:
                            yield parsed
