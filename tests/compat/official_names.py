"""
The official SDK's public names at their import paths (sequrity-ai/sequrity-api 0.4.x, commit
5ed35d1): every name its ``__init__`` modules export, its documented modules define, and its
tests, examples and docs import. Names only (facts about its API), gathered by an AST inventory.

Not provided, on purpose (see docs/migrating.md): ``sequrity.control._transport`` (the private
httpx transport classes), ``sequrity.control.resources.langgraph._runner.run_graph_sync`` (the
private runner taking that transport) and the type variable ``sequrity._sentinel.T``.
"""

from __future__ import annotations

# fmt: off
OFFICIAL_NAMES: dict[str, tuple[str, ...]] = {
    "sequrity": (
        "AnthropicMessageRequest", "AnthropicMessageResponse", "AnthropicStreamEvent",
        "AsyncSequrityClient", "ChatCompletionChunk", "ChatCompletionRequest",
        "ChatCompletionResponse", "LlmServiceProvider", "LlmServiceProviderStr",
        "OpenAiResponseStreamEvent", "ResponsesRequest", "ResponsesResponse", "RestApiType",
        "SequrityAPIError", "SequrityClient", "SequrityConnectionError", "SequrityError",
        "SequrityValidationError", "__version__",
    ),
    "sequrity._client": (
        "AsyncSequrityClient", "SequrityClient",
    ),
    "sequrity._exceptions": (
        "SequrityAPIError", "SequrityConnectionError", "SequrityError", "SequrityValidationError",
    ),
    "sequrity._sentinel": (
        "NOT_GIVEN",
    ),
    "sequrity.control": (
        "AsyncStream", "ConstraintConfig", "ControlConfig", "ControlFlowMetaPolicy",
        "EndpointType", "ErrorInfo", "FeaturesHeader", "FineGrainedConfigHeader", "FsmOverrides",
        "GenerationConfigOverrides", "InternalPolicyPresets", "LlmOverrides", "MetaData",
        "PolicyGenRequest", "PolicyGenResponse", "ReasoningConfigOverride",
        "ResponseContentJsonSchema", "SecurityPolicyHeader", "SyncStream", "TaggerConfig",
        "ValueWithMeta",
    ),
    "sequrity.control._client": (
        "AsyncControlClient", "ControlClient",
    ),
    "sequrity.control._config": (
        "ControlConfig",
    ),
    "sequrity.control._constants": (
        "SEQURITY_API_VERSION", "SEQURITY_BASE_URL", "build_control_base_url", "build_control_url",
        "build_policy_gen_url", "build_sequrity_headers",
    ),
    "sequrity.control._stream": (
        "AsyncStream", "SyncStream",
    ),
    "sequrity.control.integrations": (
        "LangGraphChatSequrityAI", "SequrityAsyncOpenAI", "create_sequrity_langgraph_client",
        "create_sequrity_openai_agents_sdk_client",
    ),
    "sequrity.control.integrations.langgraph": (
        "LangGraphChatSequrityAI", "create_sequrity_langgraph_client",
    ),
    "sequrity.control.integrations.openai_agents_sdk": (
        "SequrityAsyncOpenAI", "SequrityModel", "SequrityModelProvider",
        "create_sequrity_openai_agents_sdk_client",
    ),
    "sequrity.control.resources": (
        "AsyncChatResource", "AsyncMessagesResource", "AsyncPolicyResource",
        "AsyncResponsesResource", "ChatResource", "MessagesResource", "PolicyResource",
        "ResponsesResource",
    ),
    "sequrity.control.resources.chat": (
        "AsyncChatResource", "ChatResource",
    ),
    "sequrity.control.resources.langgraph": (
        "LangGraphResource",
    ),
    "sequrity.control.resources.langgraph._executor": (
        "LangGraphExecutor",
    ),
    "sequrity.control.resources.langgraph._runner": (),
    "sequrity.control.resources.langgraph._types": (
        "ErrorInfo", "LangGraphChatCompletionRequest", "LangGraphChatCompletionResponse",
        "LangGraphMessagesRequest", "LangGraphRequestMixin", "MetaData",
        "ResponseContentJsonSchema", "ValueWithMeta",
    ),
    "sequrity.control.resources.messages": (
        "AsyncMessagesResource", "MessagesResource",
    ),
    "sequrity.control.resources.policy": (
        "AsyncPolicyResource", "PolicyResource",
    ),
    "sequrity.control.resources.responses": (
        "AsyncResponsesResource", "ResponsesResource",
    ),
    "sequrity.control.types": (
        "ConstraintConfig", "EndpointType", "ErrorInfo", "FeaturesHeader",
        "FineGrainedConfigHeader", "FsmOverrides", "GenerationConfigOverrides", "LlmOverrides",
        "MetaData", "PolicyGenRequest", "PolicyGenResponse", "ReasoningConfigOverride",
        "ResponseContentJsonSchema", "SecurityPolicyHeader", "TaggerConfig", "ValueWithMeta",
    ),
    "sequrity.control.types.dual_llm_response": (
        "ErrorInfo", "MetaData", "ResponseContentJsonSchema", "ValueWithMeta",
    ),
    "sequrity.control.types.enums": (
        "EndpointType",
    ),
    "sequrity.control.types.headers": (
        "AgentArch", "ConstraintConfig", "ContentBlockerName", "ContentClassifierName",
        "ControlFlowMetaPolicy", "DebugInfoLevel", "FeaturesHeader", "FineGrainedConfigHeader",
        "FsmOverrides", "GenerationConfigOverrides", "InternalPolicyPresets",
        "InternalSqrtToolIdType", "LlmOverrides", "LlmPromptOverrides", "MessageRoleType",
        "PllmPromptOverrides", "PolicyCode", "PromptFlavor", "PromptOverrides", "PromptVersion",
        "ReasoningConfigOverride", "ResponseFormatOverrides", "RllmPromptOverrides",
        "SecurityPolicyHeader", "TaggerConfig", "TllmPromptOverrides", "_deep_merge",
    ),
    "sequrity.control.types.policy_gen": (
        "InternalToolName", "PolicyGenRequest", "PolicyGenRequestAnthropicMessages",
        "PolicyGenRequestBase", "PolicyGenRequestOaiResponses",
        "PolicyGenRequestOpenAiChatCompletion", "PolicyGenRequestOpenRouterChatCompletion",
        "PolicyGenRequestSequrityAzureChatCompletion", "PolicyGenRequestSequrityAzureResponses",
        "PolicyGenResponse",
    ),
    "sequrity.sqrt": (
        "check", "check_file", "parse", "validate",
    ),
    "sequrity.sqrt.parser": (
        "ParseResult", "SqrtParseError", "check", "check_file", "parse", "validate",
    ),
    "sequrity.types": (
        "LlmServiceProvider", "LlmServiceProviderStr", "RestApiType",
    ),
    "sequrity.types.chat_completion": (),
    "sequrity.types.chat_completion.request": (
        "AssistantMessage", "AssistantMessageAudio", "ChatCompletionRequest", "ContentPart",
        "ContentPartFile", "ContentPartImage", "ContentPartInputAudio", "ContentPartRefusal",
        "ContentPartText", "DeveloperMessage", "FileData", "FunctionCallResult",
        "FunctionDefinition", "FunctionMessage", "FunctionTool", "ImageUrl", "InputAudioData",
        "JsonSchema", "Message", "ReasoningEffort", "ResponseFormat", "ResponseFormatJsonObject",
        "ResponseFormatJsonSchema", "ResponseFormatText", "SystemMessage", "Tool", "ToolCall",
        "ToolCallFunction", "ToolMessage", "UserMessage",
    ),
    "sequrity.types.chat_completion.response": (
        "Annotation", "AnnotationUrlCitation", "AudioResponse", "ChatCompletionResponse", "Choice",
        "ChoiceLogprobs", "CompletionUsage", "ResponseMessage", "ResponseToolCall", "TokenLogprob",
        "ToolCallFunction", "TopLogprob",
    ),
    "sequrity.types.chat_completion.stream": (
        "ChatCompletionChunk", "ChunkChoice", "ChunkChoiceDelta", "ChunkChoiceDeltaFunctionCall",
        "ChunkChoiceDeltaToolCall", "ChunkChoiceLogprobs", "ChunkCompletionTokensDetails",
        "ChunkCompletionUsage", "ChunkPromptTokensDetails",
    ),
    "sequrity.types.enums": (
        "LlmServiceProvider", "LlmServiceProviderStr", "RestApiType",
    ),
    "sequrity.types.messages": (
        "AnthropicMessageRequest", "AnthropicMessageResponse", "Base64DocumentSourceParam",
        "Base64ImageSourceParam", "ContentBlock", "DocumentBlockParam", "ImageBlockParam",
        "JSONOutputFormatParam", "MessageContentBlockParam", "MessageParam", "MetadataParam",
        "OutputConfigParam", "RedactedThinkingBlock", "ServerToolUseBlock", "TextBlock",
        "TextBlockParam", "TextCitation", "ThinkingBlock", "ThinkingBlockParam",
        "ThinkingConfigAdaptiveParam", "ThinkingConfigDisabledParam", "ThinkingConfigEnabledParam",
        "ThinkingConfigParam", "ToolChoiceAnyParam", "ToolChoiceAutoParam", "ToolChoiceNoneParam",
        "ToolChoiceParam", "ToolChoiceToolParam", "ToolInputSchema", "ToolParam",
        "ToolResultBlockParam", "ToolUseBlock", "ToolUseBlockParam", "URLImageSourceParam",
        "Usage", "WebSearchToolResultBlock",
    ),
    "sequrity.types.messages.request": (
        "AnthropicMessageRequest", "Base64DocumentSourceParam", "Base64ImageSourceParam",
        "DocumentBlockParam", "ImageBlockParam", "ImageSource", "JSONOutputFormatParam",
        "MessageContentBlockParam", "MessageParam", "MetadataParam", "OutputConfigParam",
        "ReasoningEffort", "TextBlockParam", "ThinkingBlockParam", "ThinkingConfigAdaptiveParam",
        "ThinkingConfigDisabledParam", "ThinkingConfigEnabledParam", "ThinkingConfigParam",
        "ToolChoiceAnyParam", "ToolChoiceAutoParam", "ToolChoiceNoneParam", "ToolChoiceParam",
        "ToolChoiceToolParam", "ToolInputSchema", "ToolParam", "ToolResultBlockParam",
        "ToolUnionParam", "ToolUseBlockParam", "URLImageSourceParam",
    ),
    "sequrity.types.messages.response": (
        "AnthropicMessageResponse", "CacheCreation", "ContentBlock", "RedactedThinkingBlock",
        "ServerToolUsage", "ServerToolUseBlock", "TextBlock", "TextCitation", "ThinkingBlock",
        "ToolUseBlock", "Usage", "WebSearchToolResultBlock",
    ),
    "sequrity.types.messages.stream": (
        "AnthropicContentBlockStart", "AnthropicContentDelta", "AnthropicStreamEvent",
        "CitationsDelta", "InputJSONDelta", "MessageDeltaBody", "MessageDeltaUsage",
        "RawContentBlockDeltaEvent", "RawContentBlockStartEvent", "RawContentBlockStopEvent",
        "RawMessageDeltaEvent", "RawMessageStartEvent", "RawMessageStopEvent",
        "RedactedThinkingBlockStart", "ServerToolUseBlockStart", "SignatureDelta",
        "TextBlockStart", "TextDelta", "ThinkingBlockStart", "ThinkingDelta", "ToolUseBlockStart",
    ),
    "sequrity.types.responses": (
        "AnnotationContainerFileCitation", "AnnotationFileCitation", "AnnotationFilePath",
        "AnnotationURLCitation", "ApplyPatchCallOutputParam", "ApplyPatchCallParam",
        "ApplyPatchToolCall", "ApplyPatchToolParam", "CodeInterpreterContainerAuto",
        "CodeInterpreterOutputImage", "CodeInterpreterOutputLogs", "CodeInterpreterToolCall",
        "CodeInterpreterToolParam", "ComputerActionClick", "ComputerActionDoubleClick",
        "ComputerActionDrag", "ComputerActionKeypress", "ComputerActionMove",
        "ComputerActionScreenshot", "ComputerActionScroll", "ComputerActionType",
        "ComputerActionWait", "ComputerCallOutputAcknowledgedSafetyCheck",
        "ComputerCallOutputParam", "ComputerPendingSafetyCheck", "ComputerToolCall",
        "ComputerToolParam", "ConversationInfo", "ConversationParam", "CustomToolParam",
        "FileSearchResult", "FileSearchToolCall", "FileSearchToolParam", "FunctionCallOutputParam",
        "FunctionShellToolCall", "FunctionShellToolParam", "FunctionToolCall", "FunctionToolParam",
        "ImageGenerationCall", "ImageGenerationCallParam", "ImageGenerationInputImageMask",
        "ImageGenerationToolParam", "IncompleteDetails", "InputAudioParam", "InputFileParam",
        "InputImageParam", "InputMessageParam", "InputTextParam", "InputTokensDetails",
        "ItemReferenceParam", "LocalShellCall", "LocalShellCallAction",
        "LocalShellCallActionParam", "LocalShellCallOutputParam", "LocalShellCallParam",
        "LocalShellToolParam", "McpAllowedToolsFilter", "McpApprovalFilter", "McpApprovalRequest",
        "McpApprovalRequestParam", "McpApprovalResponseParam", "McpCall", "McpCallParam",
        "McpListTools", "McpListToolsParam", "McpListToolsTool", "McpListToolsToolParam",
        "McpToolParam", "MessageParam", "OutputRefusalParam", "OutputText", "OutputTextLogprob",
        "OutputTextLogprobTopLogprob", "OutputTextParam", "ReasoningContent", "ReasoningItem",
        "ReasoningItemParam", "ReasoningItemSummaryParam", "ReasoningParam", "ReasoningSummary",
        "Refusal", "ResponseCustomToolCall", "ResponseCustomToolCallOutputParam",
        "ResponseCustomToolCallParam", "ResponseError", "ResponseFunctionToolCallParam",
        "ResponseOutputMessage", "ResponseOutputMessageParam", "ResponsePromptInfo",
        "ResponsePromptParam", "ResponseTextConfigParam", "ResponseUsage", "ResponsesRequest",
        "ResponsesResponse", "ShellCallActionParam", "ShellCallOutputParam", "ShellCallParam",
        "StreamOptionsParam", "TextConfigJSONObjectParam", "TextConfigJSONSchemaParam",
        "TextConfigTextParam", "ToolChoiceAutoParam", "ToolChoiceFunctionParam",
        "ToolChoiceNoneParam", "ToolChoiceRequiredParam", "ToolInfo", "WebSearchActionFind",
        "WebSearchActionOpenPage", "WebSearchActionSearch", "WebSearchActionSource",
        "WebSearchPreviewToolParam", "WebSearchPreviewUserLocation", "WebSearchToolCall",
        "WebSearchToolParam",
    ),
    "sequrity.types.responses.request": (
        "ApplyPatchCallOutputParam", "ApplyPatchCallParam", "ApplyPatchToolParam",
        "CodeInterpreterContainerAuto", "CodeInterpreterToolParam",
        "ComputerCallOutputAcknowledgedSafetyCheck", "ComputerCallOutputParam",
        "ComputerToolParam", "ConversationParam", "CustomToolParam", "FileSearchToolParam",
        "FunctionCallOutputParam", "FunctionShellToolParam", "FunctionToolParam",
        "ImageGenerationCallParam", "ImageGenerationInputImageMask", "ImageGenerationToolParam",
        "InputAudioParam", "InputContentParam", "InputFileParam", "InputImageParam",
        "InputMessageParam", "InputTextParam", "ItemReferenceParam", "LocalShellCallActionParam",
        "LocalShellCallOutputParam", "LocalShellCallParam", "LocalShellToolParam",
        "McpAllowedToolsFilter", "McpApprovalFilter", "McpApprovalRequestParam",
        "McpApprovalResponseParam", "McpCallParam", "McpListToolsParam", "McpListToolsToolParam",
        "McpToolParam", "MessageParam", "OutputMessageContentParam", "OutputRefusalParam",
        "OutputTextParam", "ReasoningItemParam", "ReasoningItemSummaryParam", "ReasoningParam",
        "ResponseCustomToolCallOutputParam", "ResponseCustomToolCallParam",
        "ResponseFunctionToolCallParam", "ResponseInputItemParam", "ResponseInputParam",
        "ResponseOutputMessageParam", "ResponsePromptParam", "ResponseTextConfigParam",
        "ResponsesRequest", "ShellCallActionParam", "ShellCallOutputParam", "ShellCallParam",
        "StreamOptionsParam", "TextConfigJSONObjectParam", "TextConfigJSONSchemaParam",
        "TextConfigTextParam", "TextFormatParam", "ToolChoiceAutoParam", "ToolChoiceFunctionParam",
        "ToolChoiceNoneParam", "ToolChoiceParam", "ToolChoiceRequiredParam", "ToolParam",
        "WebSearchPreviewToolParam", "WebSearchPreviewUserLocation", "WebSearchToolParam",
    ),
    "sequrity.types.responses.response": (
        "Annotation", "AnnotationContainerFileCitation", "AnnotationFileCitation",
        "AnnotationFilePath", "AnnotationURLCitation", "ApplyPatchToolCall",
        "CodeInterpreterOutput", "CodeInterpreterOutputImage", "CodeInterpreterOutputLogs",
        "CodeInterpreterToolCall", "ComputerAction", "ComputerActionClick",
        "ComputerActionDoubleClick", "ComputerActionDrag", "ComputerActionDragPath",
        "ComputerActionKeypress", "ComputerActionMove", "ComputerActionScreenshot",
        "ComputerActionScroll", "ComputerActionType", "ComputerActionWait",
        "ComputerPendingSafetyCheck", "ComputerToolCall", "ConversationInfo", "FileSearchResult",
        "FileSearchToolCall", "FunctionShellToolCall", "FunctionToolCall", "ImageGenerationCall",
        "IncompleteDetails", "InputTokensDetails", "LocalShellCall", "LocalShellCallAction",
        "McpApprovalRequest", "McpCall", "McpListTools", "McpListToolsTool", "OutputContentItem",
        "OutputText", "OutputTextLogprob", "OutputTextLogprobTopLogprob", "OutputTokensDetails",
        "ReasoningContent", "ReasoningItem", "ReasoningSummary", "Refusal",
        "ResponseCustomToolCall", "ResponseError", "ResponseOutputItem", "ResponseOutputMessage",
        "ResponsePromptInfo", "ResponseUsage", "ResponsesResponse", "ToolInfo", "WebSearchAction",
        "WebSearchActionFind", "WebSearchActionOpenPage", "WebSearchActionSearch",
        "WebSearchActionSource", "WebSearchToolCall",
    ),
    "sequrity.types.responses.stream": (
        "OpenAiResponseStreamEvent", "ResponseCompletedEvent", "ResponseContentPartAddedEvent",
        "ResponseContentPartDoneEvent", "ResponseCreatedEvent", "ResponseFailedEvent",
        "ResponseFunctionCallArgumentsDeltaEvent", "ResponseFunctionCallArgumentsDoneEvent",
        "ResponseInProgressEvent", "ResponseIncompleteEvent", "ResponseOutputItemAddedEvent",
        "ResponseOutputItemDoneEvent", "ResponseReasoningSummaryPartAddedEvent",
        "ResponseReasoningSummaryPartDoneEvent", "ResponseReasoningSummaryTextDeltaEvent",
        "ResponseReasoningSummaryTextDoneEvent", "ResponseTextDeltaEvent", "ResponseTextDoneEvent",
    ),
}
# fmt: on
