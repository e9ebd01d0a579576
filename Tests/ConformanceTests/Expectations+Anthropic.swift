import ParleyCore
import ParleyProviders

extension Conformance {
    static let anthropicExpectations: [FixtureExpectation] = [
        FixtureExpectation(
            file: "anthropic/claude-3-opus-parallel-tool-use-input-json-delta.sse", format: .anthropic,
            model: "claude-3-opus-20240229", text: .exact(""),
            toolCalls: [
                ToolCall(id: "toolu_01CM7Nqnu3tF2UqzksSCxsqt", name: "plus", arguments: #"{"a": 1, "b": 2}"#),
                ToolCall(id: "toolu_01MGZBHepZSnpCrVLDT34yxu", name: "minus", arguments: #"{"a": 2, "b": 1}"#),
            ],
            usage: Usage(inputTokens: 469, outputTokens: 104), stop: StopReason(.toolUse, raw: "tool_use")),
        FixtureExpectation(
            file: "anthropic/claude-3-opus-text-then-tool-use.sse", format: .anthropic,
            model: "claude-3-opus-20240229",
            // Claude 3 wrote its reasoning as literal <thinking> text: it is the answer's text, not thinking.
            text: .summary(
                prefix: "<thinking>\nTo get the weather for a random city, I",
                suffix: "eed with the tool calls in that order.\n</thinking>", scalars: 333),
            toolCalls: [
                ToolCall(
                    id: "toolu_016tMRxcvkC82nkYxLpk2cHm", name: "get_weather",
                    arguments: #"{"location": "Madrid, Spain"}"#)
            ],
            usage: Usage(inputTokens: 610, outputTokens: 131), stop: StopReason(.toolUse, raw: "tool_use")),
        FixtureExpectation(
            file: "anthropic/claude-sonnet-4-thinking-signature-text-ping.sse", format: .anthropic,
            model: "claude-sonnet-4-20250514",
            text: .summary(
                prefix: "Here are the basic steps for safely crossing the s",
                suffix: "rioritize safety over speed when crossing streets.", scalars: 1021),
            thinking: .exact(
                "This is a straightforward question about pedestrian safety. I should provide clear, helpful "
                    + "advice about how to safely cross a street. This is basic safety information that could "
                    + "help prevent accidents."),
            signatures: 1,
            usage: Usage(inputTokens: 43, outputTokens: 282), stop: StopReason(.endTurn, raw: "end_turn")),
        FixtureExpectation(
            file: "anthropic/claude-sonnet-4.5-minimal-text.sse", format: .anthropic,
            model: "claude-sonnet-4-5-20250929", text: .exact("2"),
            usage: Usage(inputTokens: 20, outputTokens: 5), stop: StopReason(.endTurn, raw: "end_turn")),
        FixtureExpectation(
            file: "anthropic/claude-sonnet-4.5-redacted-thinking.sse", format: .anthropic,
            model: "claude-sonnet-4-5-20250929",
            text: .summary(
                prefix: "I notice that you've sent what appears to be some ",
                suffix: "sist you today with a legitimate task or question?", scalars: 359),
            redactedThinking: 2,
            usage: Usage(inputTokens: 92, outputTokens: 189), stop: StopReason(.endTurn, raw: "end_turn")),
        FixtureExpectation(
            file: "anthropic/claude-sonnet-4.5-web-search-citations-delta.sse", format: .anthropic,
            model: "claude-sonnet-4-5-20250929",
            // The server's own web_search call and its results are not the user's tool calls.
            text: .summary(
                prefix: "Let me search for a significant historical event t",
                suffix: "riodically to oversee its construction personally.", scalars: 336),
            usage: Usage(inputTokens: 12957, outputTokens: 152), stop: StopReason(.endTurn, raw: "end_turn")),
        FixtureExpectation(
            file: "anthropic/claude-sonnet-4.6-compaction-emoji.sse", format: .anthropic,
            model: "claude-sonnet-4-6",
            // The compaction summary is context bookkeeping, not the reply. message_delta's usage
            // replaces message_start's figures field by field (cache_read 55096 → 0).
            text: .exact("Hello! 👋"),
            usage: Usage(inputTokens: 181, outputTokens: 8), stop: StopReason(.endTurn, raw: "end_turn")),
        FixtureExpectation(
            file: "anthropic/overloaded-error-only-event.sse", format: .anthropic,
            model: nil, text: .exact(""),
            usage: Usage(estimated: true), stop: StopReason(.error), error: .overloaded),
    ]
}
