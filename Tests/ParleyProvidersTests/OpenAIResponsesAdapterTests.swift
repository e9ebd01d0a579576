import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("OpenAI Responses streams")
struct OpenAIResponsesAdapterTests {
    static let fixtures = [
        "reasoning-summary-two-parts-text.sse",
        "two-function-calls-web-search.sse",
        "incomplete-max-output-tokens.sse",
        "incomplete-content-filter.sse",
        "failed-server-error.sse",
        "error-event-rate-limit.sse",
        "data-only-reasoning-text-done.sse",
    ]

    static func fixture(_ name: String) throws -> [UInt8] {
        try Fixtures.own("openai-responses/\(name)", target: "ParleyProvidersTests")
    }

    static func decode(_ bytes: [UInt8], cuts: [Int] = []) -> [StreamEvent] {
        decodeReply(bytes, format: .openAIResponses, provider: "OpenAI", cuts: cuts)
    }

    static func decode(_ body: String) -> [StreamEvent] { decode(Array(body.utf8)) }

    static func toolCalls(in events: [StreamEvent]) -> [ToolCall] {
        events.compactMap { if case .toolCall(let call) = $0 { call } else { nil } }
    }

    static func errors(in events: [StreamEvent]) -> [ProviderError] {
        events.compactMap { if case .error(let failure) = $0 { failure } else { nil } }
    }

    static let networkError = StreamEvent.error(
        ProviderError(.network, "the connection closed before the reply was complete"))

    @Test("a reasoning model's summary parts reach the thinking pane as paragraphs, then the answer and its usage")
    func reasoningSummaryThenText() throws {
        let events = Self.decode(try Self.fixture("reasoning-summary-two-parts-text.sse"))
        #expect(
            events == [
                .start(model: "o4-mini-2025-04-16"),
                .thinking("**Reading the question**"),
                .thinking("\n\nThe user wants a greeting"),
                .thinking(" in Japanese."), .thinkingSignature("rs_01"),
                .text("こんにちは"),
                .text(" 👋"),
                .usage(Usage(inputTokens: 1200, outputTokens: 150, reasoningTokens: 128, cachedTokens: 1024)),
                .stop(StopReason(.endTurn, raw: "completed")),
            ])
    }

    @Test("each function call is reported once, with its final arguments, and web searches are not tool calls")
    func functionCallsOnceWithFinalArguments() throws {
        let events = Self.decode(try Self.fixture("two-function-calls-web-search.sse"))
        #expect(
            events == [
                .start(model: "gpt-4.1-2025-04-14"),
                .toolCall(ToolCall(id: "call_a", name: "get_weather", arguments: #"{"city":"Paris"}"#)),
                // Its argument deltas stopped short; the finished item holds the whole text.
                .toolCall(ToolCall(id: "call_b", name: "get_time", arguments: #"{"zone":"Europe/Paris"}"#)),
                .usage(Usage(inputTokens: 310, outputTokens: 42)),
                .stop(StopReason(.toolUse, raw: "completed")),
            ])
    }

    @Test("the arguments given at function_call_arguments.done win over the deltas")
    func argumentsDoneWins() {
        let events = Self.decode(
            """
            data: {"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"lookup","arguments":""}}

            data: {"type":"response.function_call_arguments.delta","output_index":0,"item_id":"fc_1","delta":"{\\"q\\":"}

            data: {"type":"response.function_call_arguments.done","output_index":0,"item_id":"fc_1","arguments":"{\\"q\\":\\"tea\\"}"}

            data: {"type":"response.output_item.done","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"lookup","arguments":"{\\"q\\":\\"tea\\"}"}}

            data: {"type":"response.completed","response":{"status":"completed","usage":null}}


            """)
        #expect(Self.toolCalls(in: events) == [ToolCall(id: "call_1", name: "lookup", arguments: #"{"q":"tea"}"#)])
        #expect(events.last == .stop(StopReason(.toolUse, raw: "completed")))
    }

    @Test("a reply cut by the output token limit stops as max_tokens, its text kept")
    func incompleteMaxOutputTokens() throws {
        let events = Self.decode(try Self.fixture("incomplete-max-output-tokens.sse"))
        #expect(
            events == [
                .start(model: "gpt-4o-2024-08-06"),
                .text("Once upon a"),
                .usage(Usage(inputTokens: 20, outputTokens: 16)),
                .stop(StopReason(.maxTokens, raw: "max_output_tokens")),
            ])
    }

    @Test("a reply stopped by the content filter says so")
    func incompleteContentFilter() throws {
        let events = Self.decode(try Self.fixture("incomplete-content-filter.sse"))
        #expect(
            events == [
                .start(model: "gpt-4o-2024-08-06"),
                .text("I can"),
                .usage(Usage(inputTokens: 25, outputTokens: 2)),
                .stop(StopReason(.contentFilter, raw: "content_filter")),
            ])
    }

    @Test("a failed response keeps the partial text and shows OpenAI's error under it")
    func failedResponse() throws {
        let events = Self.decode(try Self.fixture("failed-server-error.sse"))
        let message = "OpenAI: The server had an error while processing your request. Sorry about that!"
        #expect(
            events == [
                .start(model: "gpt-4o-2024-08-06"),
                .text("Partial answer"),
                .error(ProviderError(.server, message)),
                .usage(Usage(outputTokens: 4, estimated: true)),
                .stop(StopReason(.error, raw: "failed")),
            ])
    }

    @Test("an error event ends the reply with the provider's kind of failure")
    func errorEvent() throws {
        let events = Self.decode(try Self.fixture("error-event-rate-limit.sse"))
        let message = "OpenAI: Rate limit reached for gpt-4o on tokens per min (TPM). Please try again in 2s."
        #expect(
            events == [
                .start(model: "gpt-4o-2024-08-06"),
                .error(ProviderError(.rateLimited, message)),
                .usage(Usage(estimated: true)),
                .stop(StopReason(.error)),
            ])
    }

    @Test("OpenRouter's data-only events, raw reasoning text and [DONE] decode like OpenAI's, unknown events skipped")
    func dataOnlyWithDone() throws {
        let events = Self.decode(try Self.fixture("data-only-reasoning-text-done.sse"))
        #expect(
            events == [
                .start(model: "openai/gpt-oss-120b"),
                .thinking("Simple sum."),
                .text("5"),
                .usage(Usage(inputTokens: 70, outputTokens: 12, reasoningTokens: 6)),
                .stop(StopReason(.endTurn, raw: "completed")),
            ])
    }

    @Test("broken JSON is a protocol error naming OpenAI, and what came before it is kept")
    func malformedJSON() {
        let events = Self.decode(
            """
            data: {"type":"response.output_text.delta","delta":"Hi"}

            data: {"type":"response.output_text.delta","delta":

            data: {"type":"response.output_text.delta","delta":" never shown"}


            """)
        #expect(events.first == .start(model: nil))
        #expect(events.dropFirst().first == .text("Hi"))
        let errors = Self.errors(in: events)
        #expect(errors.map(\.kind) == [.protocol])
        #expect(errors.first?.message.hasPrefix("OpenAI sent a malformed stream") == true)
        #expect(!events.contains(.text(" never shown")))
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("a body cut off mid-stream keeps what arrived and fails as a network error")
    func cutOffMidStream() throws {
        let bytes = try Self.fixture("reasoning-summary-two-parts-text.sse")
        let marker = Array(#""delta":" 👋""#.utf8)
        let cut = try #require(bytes.firstRange(of: marker)).lowerBound
        let events = Self.decode(Array(bytes[..<cut]))
        #expect(
            events == [
                .start(model: "o4-mini-2025-04-16"),
                .thinking("**Reading the question**"),
                .thinking("\n\nThe user wants a greeting"),
                .thinking(" in Japanese."), .thinkingSignature("rs_01"),
                .text("こんにちは"),
                Self.networkError,
                // 79 UTF-8 bytes of thinking and text, about four to a token.
                .usage(Usage(outputTokens: 20, estimated: true)),
                .stop(StopReason(.error)),
            ])
    }

    @Test("a function call whose arguments were still arriving when the body ended is reported as it stands")
    func cutOffDuringFunctionCall() {
        let events = Self.decode(
            """
            data: {"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"lookup","arguments":""}}

            data: {"type":"response.function_call_arguments.delta","output_index":0,"item_id":"fc_1","delta":"{\\"q\\""}


            """)
        #expect(Self.toolCalls(in: events) == [ToolCall(id: "call_1", name: "lookup", arguments: #"{"q""#)])
        #expect(Self.errors(in: events).map(\.kind) == [.network])
    }

    @Test("nothing after response.completed reaches the user")
    func completedEndsTheReply() {
        let events = Self.decode(
            """
            data: {"type":"response.output_text.delta","delta":"Done."}

            data: {"type":"response.completed","response":{"status":"completed","usage":{"input_tokens":3,"output_tokens":2}}}

            data: {"type":"response.output_text.delta","delta":" Extra"}


            """)
        #expect(
            events == [
                .start(model: nil),
                .text("Done."),
                .usage(Usage(inputTokens: 3, outputTokens: 2)),
                .stop(StopReason(.endTurn, raw: "completed")),
            ])
    }

    @Test("cut at every byte offset, each stream decodes to the same events", arguments: fixtures)
    func splitAnywhere(_ name: String) throws {
        let bytes = try Self.fixture(name)
        #expect(firstSplitDisagreement(bytes, format: .openAIResponses, exhaustiveLimit: 4096) == nil)
    }
}

@Suite("OpenAI Responses requests")
struct OpenAIResponsesRequestTests {
    static let endpoint = ProviderEndpoint(
        baseURL: "https://api.openai.com/v1/", apiKey: "sk-test", keyVariable: "OPENAI_API_KEY",
        extraHeaders: [HTTPHeader("OpenAI-Organization", "org-1")])

    @Test("a chat becomes a streaming POST to /responses with the system prompt as instructions")
    func requestForChat() {
        let chat = ChatRequest(
            model: "gpt-4o", messages: [.init(.user, "Hi"), .init(.assistant, "Hello!"), .init(.user, "Bye")],
            system: "Be brief.", maxTokens: 100, temperature: 0.5)
        let request = WireFormat.openAIResponses.request(for: chat, endpoint: Self.endpoint)
        #expect(request.url == "https://api.openai.com/v1/responses")
        #expect(request.method == "POST")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/json"),
                HTTPHeader("Accept", "text/event-stream"), HTTPHeader("Accept-Encoding", "identity"),
                HTTPHeader("Authorization", "Bearer sk-test"),
                HTTPHeader("OpenAI-Organization", "org-1"),
            ])
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"input":[{"content":"Hi","role":"user"},{"content":"Hello!","role":"assistant"},"#
                + #"{"content":"Bye","role":"user"}],"instructions":"Be brief.","max_output_tokens":100,"#
                + #""model":"gpt-4o","stream":true,"temperature":0.5}"#)
    }

    @Test("without options or a key, the body holds only the model, the input and stream")
    func minimalRequest() {
        let chat = ChatRequest(model: "gpt-4.1", messages: [.init(.user, "Hi")])
        let request = WireFormat.openAIResponses.request(
            for: chat, endpoint: ProviderEndpoint(baseURL: "http://localhost:8000/v1"))
        #expect(request.url == "http://localhost:8000/v1/responses")
        #expect(!request.headers.contains { $0.name == "Authorization" })
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"input":[{"content":"Hi","role":"user"}],"model":"gpt-4.1","stream":true}"#)
    }

    @Test(
        "a reasoning summary is asked only of models that accept it",
        arguments: [
            ("o4-mini", true), ("o3", true), ("gpt-5", true), ("gpt-5-nano-2025-08-07", true),
            ("openai/gpt-5-mini", true), ("gpt-4o", false), ("gpt-4.1-2025-04-14", false),
            ("gpt-5-chat-latest", false), ("gpt-5.3-codex-spark", false), ("openai/gpt-oss-20b", false),
        ])
    func reasoningSummaryOnlyWhereSafe(model: String, asksForSummary: Bool) {
        let chat = ChatRequest(model: model, messages: [.init(.user, "Hi")])
        let request = WireFormat.openAIResponses.request(for: chat, endpoint: Self.endpoint)
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body.contains(#""reasoning":{"summary":"auto"}"#) == asksForSummary, "body was \(body)")
    }
}
