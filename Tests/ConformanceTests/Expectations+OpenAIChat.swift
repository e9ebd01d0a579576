import ParleyCore
import ParleyProviders

// Derived from the recorded bodies by an independent reading of their SSE and JSON, not from
// the decoder. Judgment calls, where the recording alone does not decide:
// - xAI's grok-code-fast-1 reports total_tokens = prompt + completion + reasoning, so its
//   completion_tokens leave the reasoning out; output tokens add it back (26 + 77 = 103).
// - Ollama's /v1 ends a turn that called a tool with finish_reason "stop": the stop is tool_use,
//   keeping raw "stop", so a caller knows the tools are to run.
// - Avian's Kimi sends three single-space content deltas around its tool call: they are text, kept.
// - OpenRouter's minimax error chunk (code 400) ends the reply as invalid_request after a
//   "length" finish reason; the usage sent with the error counts, and the final stop keeps "length".
extension Conformance {
    static let openAIChatExpectations: [FixtureExpectation] = [
        FixtureExpectation(
            file: "deepseek/deepseek-reasoner-reasoning-content-emoji.sse",
            format: .openAIChat, model: "deepseek-reasoner",
            text: .exact("Hello there! 😊 How can I help you today?"),
            thinking: .summary(
                prefix: "Hmm, the user just said \"Hello\". It's a ",
                suffix: "not reply further - and that's okay too.",
                scalars: 882),
            usage: Usage(inputTokens: 6, outputTokens: 212, reasoningTokens: 198),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "groq/gpt-oss-120b-event-error-tool-use-failed.sse",
            format: .openAIChat, model: "openai/gpt-oss-120b",
            text: .exact(""),
            thinking: .summary(
                prefix: "We need to call the tool with invalid pa",
                suffix: "d call with name: \"test\". Let's do that.",
                scalars: 412),
            usage: Usage(outputTokens: 103, estimated: true),
            stop: StopReason(.error), error: .invalidRequest),
        FixtureExpectation(
            file: "groq/gpt-oss-120b-reasoning-text-x_groq-usage.sse",
            format: .openAIChat, model: "openai/gpt-oss-120b",
            text: .exact("The tool returned the expected result for the valid call."),
            thinking: .exact(
                """
                The user wants to test error handling by calling tool with non-existent parameters first \
                (we did) and then second try with valid args. We have succeeded. Now respond concisely.
                """),
            usage: Usage(inputTokens: 339, outputTokens: 58, reasoningTokens: 38),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "llamacpp/gpt-oss-20b-reasoning-content-tool-call-timings.sse",
            format: .openAIChat, model: "openai/gpt-oss-20b",
            text: .exact(""),
            thinking: .exact("We need to call function 'weather' with location \"Florence, Italy\"."),
            toolCalls: [
                ToolCall(
                    id: "1wNpqrejg1FCTjf6xq8JRCGKgWZO74AL", name: "weather",
                    arguments: #"{"location":"Florence, Italy"}"#)
            ],
            // llama.cpp counts the prompt tokens it kept from the last request in timings.cache_n.
            usage: Usage(inputTokens: 139, outputTokens: 42, cachedTokens: 138),
            stop: StopReason(.toolUse, raw: "tool_calls")),
        FixtureExpectation(
            file: "llamacpp/gpt-oss-20b-reasoning-then-text-timings.sse",
            format: .openAIChat, model: "openai/gpt-oss-20b",
            text: .exact("Olá!"),
            thinking: .exact(
                """
                The user: "Say hi in Portuguese". They want a greeting in Portuguese. Simple: "Olá!" or \
                "Oi!". Probably respond with "Olá!" or "Oi!".\n\nWe should keep it concise. We'll respond.
                """),
            usage: Usage(inputTokens: 84, outputTokens: 57, cachedTokens: 83),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "mistral/magistral-medium-thinking-content-array.sse",
            format: .openAIChat, model: "magistral-medium-latest",
            text: .summary(
                prefix: "To cross the street safely, follow these",
                suffix: "e steps, you can ensure a safe crossing.",
                scalars: 607),
            thinking: .summary(
                prefix: "Okay, the user is asking how to cross th",
                suffix: "ation into a clear and concise response.",
                scalars: 421),
            usage: Usage(inputTokens: 10, outputTokens: 232),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "mistral/mistral-large-parallel-tool-calls-single-chunk.sse",
            format: .openAIChat, model: "mistral-large-latest",
            text: .exact(""),
            toolCalls: [
                ToolCall(id: "nqjf8Hqe1", name: "plus", arguments: #"{"a": 1, "b": 2}"#),
                ToolCall(id: "ATcpCKul3", name: "minus", arguments: #"{"a": 2, "b": 1}"#),
            ],
            usage: Usage(inputTokens: 187, outputTokens: 45),
            stop: StopReason(.toolUse, raw: "tool_calls")),
        FixtureExpectation(
            file: "ollama/llama3.1-v1-openai-compat-tool-call.sse", format: .openAIChat, model: "llama3.1",
            text: .exact(""),
            toolCalls: [
                ToolCall(id: "call_28sm5ma0", name: "return_list_of_int", arguments: #"{"value":"[1, 2, 3, 4, 5]"}"#)
            ],
            usage: Usage(outputTokens: 12, estimated: true),
            stop: StopReason(.toolUse, raw: "stop")),
        FixtureExpectation(
            file: "openai-chat/gpt-4o-mini-tool-call-include-usage.sse",
            format: .openAIChat, model: "gpt-4o-mini-2024-07-18",
            text: .exact(""),
            toolCalls: [
                ToolCall(id: "call_ZR5UUuTt3pf61kjwAJIYdVMj", name: "get_capital", arguments: #"{"country":"UK"}"#)
            ],
            usage: Usage(inputTokens: 53, outputTokens: 15),
            stop: StopReason(.toolUse, raw: "tool_calls")),
        FixtureExpectation(
            file: "openai-chat/gpt-4o-parallel-tool-calls-include-usage.sse",
            format: .openAIChat, model: "gpt-4o-2024-08-06",
            text: .exact(""),
            toolCalls: [
                ToolCall(id: "call_8Sp49rZGndlZALo0uq1XvA7A", name: "plus", arguments: #"{"a": 2, "b": 3}"#),
                ToolCall(id: "call_u5dbdPz1mAis8zZVk4ZBqXgL", name: "minus", arguments: #"{"a": 3, "b": 2}"#),
            ],
            usage: Usage(inputTokens: 82, outputTokens: 50),
            stop: StopReason(.toolUse, raw: "tool_calls")),
        FixtureExpectation(
            file: "openai-chat/gpt-5-moderation-chunk-after-usage.sse", format: .openAIChat, model: "gpt-5-2025-08-07",
            text: .exact("Paris."),
            usage: Usage(inputTokens: 13, outputTokens: 11),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "openai-chat/gpt-5-nano-finish-length-no-content-usage.sse",
            format: .openAIChat, model: "gpt-5-nano-2025-08-07",
            text: .exact(""),
            usage: Usage(inputTokens: 12, outputTokens: 100, reasoningTokens: 100),
            stop: StopReason(.maxTokens, raw: "length")),
        FixtureExpectation(
            file: "openai-chat/gpt-5-nano-text-no-usage-chunk.sse", format: .openAIChat, model: "gpt-5-nano-2025-08-07",
            text: .exact(
                """
                Hi there! How can I help today? I can answer questions, explain concepts, help with \
                writing or brainstorming, code, plan something, and more. Tell me what you’d like to work \
                on or a topic you’re curious about.
                """),
            usage: Usage(outputTokens: 54, estimated: true),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "openai-compatible/avian-kimi-k2.5-extra-blank-line-reasoning-details.sse",
            format: .openAIChat, model: "moonshotai/kimi-k2.5",
            text: .exact("   "),
            thinking: .exact(
                """
                I need to get the weather information for Florence, Italy. I'll call the weather function \
                with "Florence" as the location parameter.\u{20}
                """),
            toolCalls: [
                ToolCall(id: "functions.weather:0", name: "weather", arguments: #"{"location": "Florence"}"#)
            ],
            usage: Usage(
                inputTokens: 76, outputTokens: 47, reasoningTokens: 34, cachedTokens: 64, statedCost: 0.0001232),
            stop: StopReason(.toolUse, raw: "tool_calls")),
        FixtureExpectation(
            file: "openrouter/claude-sonnet-4.5-reasoning-processing-comments.sse",
            format: .openAIChat, model: "anthropic/claude-sonnet-4.5",
            text: .exact("2 + 2 = 4"),
            thinking: .exact("This is a simple arithmetic question. 2+2 equals 4."),
            // OpenRouter states what the reply cost (usage.cost, US dollars).
            usage: Usage(inputTokens: 43, outputTokens: 36, reasoningTokens: 13, statedCost: 0.000669),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "openrouter/minimax-m2-midstream-error-chunk.sse",
            format: .openAIChat, model: "minimax/minimax-m2:free",
            text: .exact(""),
            thinking: .exact("We need to respond to a greeting. The user"),
            usage: Usage(inputTokens: 43, outputTokens: 10, reasoningTokens: 11, statedCost: 0),
            stop: StopReason(.error, raw: "length"), error: .invalidRequest),
        FixtureExpectation(
            file: "openrouter/web-search-annotations-emoji.sse", format: .openAIChat, model: "deepseek/deepseek-chat",
            text: .exact(
                """
                The URL for Pydantic AI's GitHub repository is:  \
                \n\nhttps://github.com/pydantic/pydantic-ai
                """),
            usage: Usage(inputTokens: 2317, outputTokens: 53, statedCost: 0.0076509169000000005),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "vllm/crusoe-vllm-llama-3.3-70b-include-usage.sse",
            format: .openAIChat, model: "meta-llama/Llama-3.3-70B-Instruct",
            text: .exact("1, 2, 3, 4, 5"),
            usage: Usage(inputTokens: 46, outputTokens: 14),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "xai/grok-2-text-usage-every-chunk.sse", format: .openAIChat, model: "grok-2-1212",
            text: .exact("Hello! How can I assist you today?"),
            usage: Usage(inputTokens: 9, outputTokens: 10),
            stop: StopReason(.endTurn, raw: "stop")),
        FixtureExpectation(
            file: "xai/grok-code-fast-1-reasoning-content-tool-call.sse",
            format: .openAIChat, model: "grok-code-fast-1",
            text: .exact(""),
            thinking: .exact(
                """
                The user asked for the weather in Florence, Italy. I have a tool for that: the weather \
                function, which takes a location.\n
                """),
            toolCalls: [
                ToolCall(id: "call_53816330", name: "weather", arguments: #"{"location":"Florence,Italy"}"#)
            ],
            usage: Usage(inputTokens: 390, outputTokens: 103, reasoningTokens: 77, cachedTokens: 384),
            stop: StopReason(.toolUse, raw: "tool_calls")),
    ]
}
