import ParleyCore
import ParleyProviders

extension Conformance {
    static let geminiExpectations: [FixtureExpectation] = [
        FixtureExpectation(
            file: "gemini/gemini-2.0-flash-text-crlf.sse", format: .gemini,
            model: "gemini-2.0-flash-exp", text: .exact("The capital of France is Paris.\n"),
            // The last chunk's figures win, though its prompt count (13) is lower than the first's (15).
            usage: Usage(inputTokens: 13, outputTokens: 8), stop: StopReason(.endTurn, raw: "STOP")),
        FixtureExpectation(
            file: "gemini/gemini-2.5-pro-grounding-metadata-crlf.sse", format: .gemini,
            model: "gemini-2.5-pro",
            text: .summary(
                prefix: "### Weather in San Francisco is Mild and Partly Cl",
                suffix: "The chance of rain remains low throughout the day.", scalars: 926),
            // input = prompt 17 + tool-use prompt 102; output = candidates 241 + thoughts 412.
            usage: Usage(inputTokens: 119, outputTokens: 653, reasoningTokens: 412),
            stop: StopReason(.endTurn, raw: "STOP")),
        FixtureExpectation(
            file: "gemini/gemini-2.5-pro-parallel-function-calls-crlf.sse", format: .gemini,
            model: "gemini-2.5-pro", text: .exact(""),
            toolCalls: [
                ToolCall(id: "call_0", name: "add", arguments: #"{"a":2,"b":3}"#),
                ToolCall(id: "call_1", name: "multiply", arguments: #"{"a":2,"b":3}"#),
            ],
            signatures: 1,
            usage: Usage(inputTokens: 121, outputTokens: 229, reasoningTokens: 193),
            stop: StopReason(.toolUse, raw: "STOP")),
        FixtureExpectation(
            file: "gemini/gemini-2.5-pro-thought-parts-crlf.sse", format: .gemini,
            model: "gemini-2.5-pro",
            text: .summary(
                prefix: "This is a great question! Safely crossing the stre",
                suffix: "table**. Always assume a driver might not see you.", scalars: 1938),
            thinking: .summary(
                prefix: "**Clarifying User Goals**\n\nI'm currently focused o",
                suffix: "ardless of specific circumstances or locations.\n\n\n", scalars: 1575),
            signatures: 1,
            usage: Usage(inputTokens: 34, outputTokens: 1256, reasoningTokens: 787),
            stop: StopReason(.endTurn, raw: "STOP")),
        FixtureExpectation(
            file: "gemini/gemini-3-pro-function-call-thought-signature.sse", format: .gemini,
            model: "gemini-3-pro-preview", text: .exact(""),
            toolCalls: [ToolCall(id: "call_0", name: "get_country", arguments: "{}")],
            signatures: 1,
            usage: Usage(inputTokens: 29, outputTokens: 212, reasoningTokens: 202),
            stop: StopReason(.toolUse, raw: "STOP")),
    ]
}
