import ParleyCore
import ParleyProviders

extension Conformance {
    static let responsesExpectations: [FixtureExpectation] = [
        FixtureExpectation(
            file: "openai-responses/gpt-4.1-web-search-annotation-cjk.sse",
            format: .openAIResponses,
            model: "gpt-4.1-2025-04-14",
            text: .summary(
                prefix: "Here is the most recent and reliable official estimate",
                suffix: "(区部) or the broader metropolitan area — let me know, "
                    + "and I’d be happy to provide that breakdown as well.",
                scalars: 631),
            usage: Usage(inputTokens: 17407, outputTokens: 164),
            stop: StopReason(.endTurn, raw: "completed")),
        FixtureExpectation(
            file: "openai-responses/gpt-4o-function-call.sse",
            format: .openAIResponses,
            model: "gpt-4o-2024-08-06",
            text: .exact(""),
            toolCalls: [
                ToolCall(id: "call_kL0PCQV7M2WMoVX8V8OtYSAL", name: "get_capital", arguments: #"{"country":"France"}"#)
            ],
            usage: Usage(inputTokens: 255, outputTokens: 16),
            stop: StopReason(.toolUse, raw: "completed")),
        FixtureExpectation(
            file: "openai-responses/gpt-4o-text.sse",
            format: .openAIResponses,
            model: "gpt-4o-2024-08-06",
            text: .exact("The capital of France is Paris."),
            usage: Usage(inputTokens: 278, outputTokens: 9),
            stop: StopReason(.endTurn, raw: "completed")),
        FixtureExpectation(
            file: "openai-responses/gpt-5-reasoning-summary-function-call.sse",
            format: .openAIResponses,
            model: "gpt-5-2025-08-07",
            text: .exact(""),
            thinking: .summary(
                prefix: "**Getting weather info**\n\nI need to respond to the user",
                suffix: "information for Florence and see what it returns!",
                scalars: 424),
            toolCalls: [
                ToolCall(
                    id: "call_zgUaIBRPTwxxOusyyKw5NVMH", name: "weather",
                    arguments: #"{"location":"Florence, Italy"}"#)
            ],
            signatures: 1,
            usage: Usage(inputTokens: 63, outputTokens: 121, reasoningTokens: 64),
            stop: StopReason(.toolUse, raw: "completed")),
        FixtureExpectation(
            file: "openrouter/responses-api-gpt-oss-20b-no-event-lines-done.sse",
            format: .openAIResponses,
            model: "openai/gpt-oss-20b",
            text: .exact("4"),
            thinking: .exact(#"The user asks: "What is 2+2?" They expect a straightforward answer: 4. Just answer 4."#),
            signatures: 1,
            usage: Usage(inputTokens: 78, outputTokens: 37, reasoningTokens: 22),
            stop: StopReason(.endTurn, raw: "completed")),
    ]
}
