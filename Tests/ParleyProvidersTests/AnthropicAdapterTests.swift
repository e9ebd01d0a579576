import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("Anthropic Messages streams")
struct AnthropicAdapterTests {
    static let fixtures = [
        "anthropic/thinking-text-tools.sse", "anthropic/error-after-text.sse", "anthropic/malformed-json.sse",
        "anthropic/cut-off-mid-tool-call.sse",
    ]

    func decode(_ fixture: String) throws -> [StreamEvent] {
        decodeReply(
            try Fixtures.own(fixture, target: "ParleyProvidersTests"), format: .anthropic, provider: "Anthropic")
    }

    @Test(
        "thinking with its signature, redacted thinking, text and tool calls reach the user in order; nothing after message_stop"
    )
    func fullReply() throws {
        let events = try decode("anthropic/thinking-text-tools.sse")
        #expect(
            events == [
                .start(model: "claude-sonnet-4-5"),
                .thinking("Weighing "), .thinking("the café ☕ options."), .thinkingSignature("EqQBCkYIBxgC"),
                .redactedThinking,
                .text("Let me "), .text("check 🔍"),
                .toolCall(ToolCall(id: "toolu_now", name: "current_time", arguments: "{}")),
                .toolCall(ToolCall(id: "toolu_map", name: "find_cafe", arguments: #"{"city": "Zürich"}"#)),
                .usage(Usage(inputTokens: 117, outputTokens: 57, cachedTokens: 100, cacheWriteTokens: 5)),
                .stop(StopReason(.toolUse, raw: "tool_use")),
            ])
    }

    @Test("the server's own web search, citations and unknown deltas and events never show up as content")
    func skipsWhatItDoesNotShow() throws {
        let reply = try decode("anthropic/thinking-text-tools.sse")
        let shown = reply.compactMap { event -> String? in
            switch event {
            case .text(let text), .thinking(let text): text
            case .toolCall(let call): call.name + call.arguments
            default: nil
            }
        }
        #expect(!shown.joined().contains("query"))
        #expect(!shown.joined().contains("never shown"))
        #expect(!shown.joined().contains("after the end"))
    }

    @Test("usage counts cache reads and writes as input, and message_delta's figures replace message_start's")
    func usageMerging() throws {
        let events = try decode("anthropic/thinking-text-tools.sse")
        // message_start: input 10, cache write 5, cache read 100, output 1; message_delta: input 12, output 57.
        #expect(
            events.contains(
                .usage(Usage(inputTokens: 12 + 5 + 100, outputTokens: 57, cachedTokens: 100, cacheWriteTokens: 5))))
    }

    @Test("an overloaded error mid-reply keeps the partial text and ends the reply as failed")
    func errorAfterText() throws {
        let events = try decode("anthropic/error-after-text.sse")
        #expect(
            events == [
                .start(model: "claude-opus-4-1"),
                .text("The first half"),
                .error(ProviderError(.overloaded, "Anthropic: Overloaded")),
                .usage(Usage(outputTokens: 4, estimated: true)),
                .stop(StopReason(.error)),
            ])
    }

    @Test("broken JSON is a protocol error naming Anthropic, and nothing after it is read")
    func malformedJSON() throws {
        let events = try decode("anthropic/malformed-json.sse")
        #expect(events.count == 5)
        #expect(Array(events.prefix(2)) == [.start(model: "claude-haiku-4-5"), .text("Partial")])
        let error = try #require(events.compactMap { if case .error(let e) = $0 { e } else { nil } }.first)
        #expect(error.kind == .protocol)
        #expect(error.message.contains("Anthropic"))
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("a body cut off mid tool call fails as a network error: the text stays, the half-written call is dropped")
    func cutOff() throws {
        let events = try decode("anthropic/cut-off-mid-tool-call.sse")
        #expect(
            events == [
                .start(model: "claude-haiku-4-5"),
                .text("Calling the tool"),
                .error(ProviderError(.network, "the connection closed before the reply was complete")),
                .usage(Usage(outputTokens: 4, estimated: true)),
                .stop(StopReason(.error)),
            ])
    }

    @Test(
        "each stop reason means what Anthropic documents, keeping the raw value",
        arguments: [
            ("end_turn", StopReason.Kind.endTurn), ("max_tokens", .maxTokens), ("tool_use", .toolUse),
            ("stop_sequence", .stopSequence), ("refusal", .contentFilter), ("pause_turn", .endTurn),
            ("model_context_window_exceeded", .maxTokens), ("a_future_reason", .endTurn),
        ])
    func stopReasons(raw: String, kind: StopReason.Kind) {
        let body = """
            event: message_start
            data: {"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":3,"output_tokens":1}}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"\(raw)"},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        let events = decodeReply(Array(body.utf8), format: .anthropic)
        #expect(events.last == .stop(StopReason(kind, raw: raw)))
        #expect(events.contains(.usage(Usage(inputTokens: 3, outputTokens: 2))))
    }

    @Test("however the bytes are split, a stream decodes to the same events", arguments: fixtures)
    func splitAnywhere(_ fixture: String) throws {
        let bytes = try Fixtures.own(fixture, target: "ParleyProvidersTests")
        #expect(firstSplitDisagreement(bytes, format: .anthropic) == nil)
    }
}

@Suite("Anthropic Messages requests")
struct AnthropicRequestTests {
    @Test("a chat becomes a streaming POST to /v1/messages with the key, the API version and one system prompt")
    func fullRequest() {
        let chat = ChatRequest(
            model: "claude-sonnet-4-5",
            messages: [
                ChatMessage(.system, "Answer in French."), ChatMessage(.user, "Hi"),
                ChatMessage(.assistant, "Bonjour"), ChatMessage(.user, "Weather?"),
            ],
            system: "Be brief.", maxTokens: 1024, temperature: 0.5)
        let endpoint = ProviderEndpoint(
            baseURL: "https://api.anthropic.com/", apiKey: "sk-ant-test", keyVariable: "ANTHROPIC_API_KEY",
            extraHeaders: [HTTPHeader("anthropic-beta", "output-128k-2025-02-19")])
        let request = WireFormat.anthropic.request(for: chat, endpoint: endpoint)

        #expect(request.url == "https://api.anthropic.com/v1/messages")
        #expect(request.method == "POST")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "text/event-stream"),
                HTTPHeader("Accept-Encoding", "identity"),
                HTTPHeader("x-api-key", "sk-ant-test"), HTTPHeader("anthropic-version", "2023-06-01"),
                HTTPHeader("anthropic-beta", "output-128k-2025-02-19"),
            ])
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"max_tokens":1024,"messages":[{"content":"Hi","role":"user"},"#
                + #"{"content":"Bonjour","role":"assistant"},{"content":"Weather?","role":"user"}],"#
                + #""model":"claude-sonnet-4-5","stream":true,"system":"Be brief.\n\nAnswer in French.","#
                + #""temperature":0.5}"#)
    }

    @Test("without limits set, max_tokens is 8192 (the API requires one) and nothing else optional is sent")
    func minimalRequest() {
        let chat = ChatRequest(model: "claude-haiku-4-5", messages: [ChatMessage(.user, "Hi")])
        let request = WireFormat.anthropic.request(
            for: chat, endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1:8080"))

        #expect(request.url == "http://127.0.0.1:8080/v1/messages")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "text/event-stream"),
                HTTPHeader("Accept-Encoding", "identity"),
                HTTPHeader("anthropic-version", "2023-06-01"),
            ])
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"max_tokens":8192,"messages":[{"content":"Hi","role":"user"}],"model":"claude-haiku-4-5","stream":true}"#
        )
    }
}
