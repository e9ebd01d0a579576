import ParleyCore
import Testing

@testable import ParleyRelay

@Suite("A reply's events as Chat Completions chunks, one event at a time")
struct CompletionChunksTests {
    static func chunks(includeUsage: Bool = true) -> CompletionChunks {
        CompletionChunks(
            id: "chatcmpl-1", created: 1_700_000_000, model: "anthropic/claude", includeUsage: includeUsage)
    }

    static func chunk(_ choice: String) -> String {
        #"data: {"choices":[\#(choice)],"created":1700000000,"id":"chatcmpl-1","model":"anthropic/claude","object":"chat.completion.chunk"}"#
            + "\n\n"
    }

    @Test("thinking, text, a tool call, the stop, then the usage and [DONE]: each as it comes")
    func reply() {
        var chunks = Self.chunks()
        let usage = Usage(inputTokens: 12, outputTokens: 30, reasoningTokens: 8, cachedTokens: 4)
        let lines: [[String]] = [
            StreamEvent.start(model: "claude-sonnet-4-5"), .thinking("Hmm."), .thinkingSignature("sig"), .text("Hel"),
            .text("lo"), .toolCall(ToolCall(id: "toolu_1", name: "now", arguments: "{}")),
            .toolCall(ToolCall(id: "toolu_2", name: "weather", arguments: #"{"city":"Oslo"}"#)), .usage(usage),
            .stop(StopReason(.toolUse, raw: "tool_use")),
        ].map { chunks.events(for: $0) }

        #expect(
            lines == [
                [Self.chunk(#"{"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0}"#)],
                [Self.chunk(#"{"delta":{"reasoning_content":"Hmm."},"finish_reason":null,"index":0}"#)],
                [],
                [Self.chunk(#"{"delta":{"content":"Hel"},"finish_reason":null,"index":0}"#)],
                [Self.chunk(#"{"delta":{"content":"lo"},"finish_reason":null,"index":0}"#)],
                [
                    Self.chunk(
                        #"{"delta":{"tool_calls":[{"function":{"arguments":"{}","name":"now"},"id":"toolu_1","index":0,"type":"function"}]},"finish_reason":null,"index":0}"#
                    )
                ],
                [
                    Self.chunk(
                        #"{"delta":{"tool_calls":[{"function":{"arguments":"{\"city\":\"Oslo\"}","name":"weather"},"id":"toolu_2","index":1,"type":"function"}]},"finish_reason":null,"index":0}"#
                    )
                ],
                [],
                [
                    Self.chunk(#"{"delta":{},"finish_reason":"tool_calls","index":0}"#),
                    #"data: {"choices":[],"created":1700000000,"id":"chatcmpl-1","model":"anthropic/claude","object":"chat.completion.chunk","usage":{"completion_tokens":30,"completion_tokens_details":{"reasoning_tokens":8},"prompt_tokens":12,"prompt_tokens_details":{"cached_tokens":4},"total_tokens":42}}"#
                        + "\n\n",
                    "data: [DONE]\n\n",
                ],
            ])
    }

    @Test("without include_usage the stop is followed by [DONE] alone; a reply's first delta carries the role")
    func noUsage() {
        var chunks = Self.chunks(includeUsage: false)
        let lines = [
            StreamEvent.text("Hi"), .usage(Usage(inputTokens: 1, outputTokens: 1)), .stop(StopReason(.maxTokens)),
        ]
        .flatMap { chunks.events(for: $0) }
        #expect(
            lines == [
                Self.chunk(#"{"delta":{"content":"Hi","role":"assistant"},"finish_reason":null,"index":0}"#),
                Self.chunk(#"{"delta":{},"finish_reason":"length","index":0}"#), "data: [DONE]\n\n",
            ])
    }

    @Test("a failure mid-stream is one error event and the end: no finish reason, no [DONE]")
    func failure() {
        var chunks = Self.chunks()
        let events: [StreamEvent] = [
            .start(model: nil), .text("Half"),
            .error(ProviderError(.network, "the connection to Anthropic was lost mid-reply")),
            .usage(Usage(inputTokens: 3, outputTokens: 1, estimated: true)), .stop(StopReason(.error)),
        ]
        let lines = events.flatMap { chunks.events(for: $0) }
        #expect(lines.count == 3)
        #expect(
            lines.last
                == #"data: {"error":{"code":"network","message":"the connection to Anthropic was lost mid-reply","param":null,"type":"upstream_error"}}"#
                + "\n\n")
        #expect(chunks.failed)
        #expect(!lines.contains("data: [DONE]\n\n"))
    }

    @Test("a cancelled reply ends with an error event, never as if whole")
    func cancelled() {
        var chunks = Self.chunks()
        let lines = [StreamEvent.text("Hal"), .stop(StopReason(.cancelled))].flatMap { chunks.events(for: $0) }
        #expect(lines.last?.contains(#""code":"cancelled""#) == true)
        #expect(!lines.contains("data: [DONE]\n\n"))
    }
}

@Suite("A whole reply as one chat.completion")
struct CompletionDocumentTests {
    @Test("reasoning, text and calls in one message, with the finish reason and the usage")
    func document() {
        var document = CompletionDocument(id: "chatcmpl-1", created: 5, model: "gemini/gemini-2.5-pro")
        for event in [
            StreamEvent.start(model: nil), .thinking("Let me "), .thinking("see."), .text("It is "), .text("noon."),
            .toolCall(ToolCall(id: "c1", name: "now", arguments: "{}")), .usage(Usage(inputTokens: 2, outputTokens: 5)),
            .stop(StopReason(.toolUse)),
        ] {
            document.add(event)
        }
        #expect(document.failure == nil)
        #expect(
            document.json.serialized()
                == #"{"choices":[{"finish_reason":"tool_calls","index":0,"message":{"content":"It is noon.","reasoning_content":"Let me see.","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"now"},"id":"c1","type":"function"}]}}],"created":5,"id":"chatcmpl-1","model":"gemini/gemini-2.5-pro","object":"chat.completion","usage":{"completion_tokens":5,"completion_tokens_details":{"reasoning_tokens":0},"prompt_tokens":2,"prompt_tokens_details":{"cached_tokens":0},"total_tokens":7}}"#
        )
    }

    @Test("a reply that failed is its error, with the provider's status passed on")
    func failed() {
        var document = CompletionDocument(id: "chatcmpl-1", created: 5, model: "openai/gpt-4o")
        document.add(.error(ProviderError(.rateLimited, "429 from OpenAI: slow down", status: 429, retryAfter: 20)))
        document.add(.stop(StopReason(.error)))
        #expect(document.failure?.status == 429)
        #expect(document.failure?.retryAfterHeader == "20")
    }
}
