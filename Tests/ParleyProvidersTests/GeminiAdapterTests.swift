import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("Gemini streams")
struct GeminiAdapterTests {
    static let fixtures = [
        "gemini/thoughts-text-max-tokens.sse", "gemini/function-calls.sse", "gemini/prompt-blocked.sse",
        "gemini/error-after-text.sse", "gemini/malformed-json.sse", "gemini/cut-off.sse",
    ]

    func decode(_ fixture: String) throws -> [StreamEvent] {
        decodeReply(try Fixtures.own(fixture, target: "ParleyProvidersTests"), format: .gemini, provider: "Gemini")
    }

    @Test(
        "thought parts go to thinking, other text to the answer, a part's signature after it; a reply cut by the token limit says so"
    )
    func thoughtsAndText() throws {
        let events = try decode("gemini/thoughts-text-max-tokens.sse")
        #expect(
            events == [
                .start(model: "gemini-2.5-flash"),
                .thinking("Considering the **café** question.\n"),
                .text("Cafés in Zürich ☕"),
                .thinkingSignature("Cq4BAdHtim9"),
                .text(" open early"),
                .usage(Usage(inputTokens: 190, outputTokens: 21, reasoningTokens: 12, cachedTokens: 32)),
                .stop(StopReason(.maxTokens, raw: "MAX_TOKENS")),
            ])
    }

    @Test("usage is the last chunk's: tool-use prompt tokens count as input, thoughts as output and reasoning")
    func usage() throws {
        let events = try decode("gemini/thoughts-text-max-tokens.sse")
        let usage = events.compactMap { if case .usage(let usage) = $0 { usage } else { nil } }
        // promptTokenCount 40 + toolUsePromptTokenCount 150; candidatesTokenCount 9 + thoughtsTokenCount 12.
        #expect(usage == [Usage(inputTokens: 40 + 150, outputTokens: 9 + 12, reasoningTokens: 12, cachedTokens: 32)])
    }

    @Test(
        "function calls keep their id (or get a stable one by order) and their signature; a plain STOP after them means tool use"
    )
    func functionCalls() throws {
        let events = try decode("gemini/function-calls.sse")
        #expect(
            events == [
                .start(model: "gemini-3-flash-preview"),
                .text("Checking both."),
                .toolCall(ToolCall(id: "fc_weather_7", name: "get_weather", arguments: #"{"city":"Köln","unit":"C"}"#)),
                .toolCall(
                    ToolCall(
                        id: "call_1", name: "get_time",
                        arguments: #"{"offsets":[1,2.5],"precise":true,"zone":"Europe/Berlin"}"#, signature: "EpwICpkI")
                ),
                .toolCall(ToolCall(id: "call_2", name: "list_alarms", arguments: "{}")),
                .usage(Usage(inputTokens: 70, outputTokens: 30)),
                .stop(StopReason(.toolUse, raw: "STOP")),
            ])
    }

    @Test("a prompt Gemini refuses ends the reply as filtered, with the block reason kept")
    func promptBlocked() throws {
        let events = try decode("gemini/prompt-blocked.sse")
        #expect(
            events == [
                .start(model: "gemini-2.5-pro"),
                .usage(Usage(inputTokens: 12)),
                .stop(StopReason(.contentFilter, raw: "PROHIBITED_CONTENT")),
            ])
    }

    @Test("an error object mid-reply keeps the partial text and fails the reply with Gemini's message")
    func errorAfterText() throws {
        let events = try decode("gemini/error-after-text.sse")
        #expect(
            events == [
                .start(model: "gemini-2.5-pro"),
                .text("The first half"),
                .error(
                    ProviderError(.overloaded, "Gemini: The model is overloaded. Please try again later.", status: 503)),
                .usage(Usage(inputTokens: 9, outputTokens: 3)),
                .stop(StopReason(.error)),
            ])
    }

    @Test("broken JSON is a protocol error naming Gemini, and nothing after it is read")
    func malformedJSON() throws {
        let events = try decode("gemini/malformed-json.sse")
        #expect(events.count == 5)
        #expect(Array(events.prefix(2)) == [.start(model: "gemini-2.5-pro"), .text("Partial")])
        let error = try #require(events.compactMap { if case .error(let e) = $0 { e } else { nil } }.first)
        #expect(error.kind == .protocol)
        #expect(error.message.contains("Gemini"))
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("a body that ends without a finish reason fails as a network error, keeping the text")
    func cutOff() throws {
        let events = try decode("gemini/cut-off.sse")
        #expect(
            events == [
                .start(model: "gemini-2.0-flash"),
                .text("Half a "),
                .error(ProviderError(.network, "the connection closed before the reply was complete")),
                .usage(Usage(inputTokens: 9, outputTokens: 2)),
                .stop(StopReason(.error)),
            ])
    }

    @Test(
        "each finish reason means what Gemini documents, keeping the raw value",
        arguments: [
            ("STOP", StopReason.Kind.endTurn), ("MAX_TOKENS", .maxTokens), ("SAFETY", .contentFilter),
            ("RECITATION", .contentFilter), ("BLOCKLIST", .contentFilter), ("PROHIBITED_CONTENT", .contentFilter),
            ("SPII", .contentFilter), ("IMAGE_SAFETY", .contentFilter), ("LANGUAGE", .endTurn),
            ("MALFORMED_FUNCTION_CALL", .endTurn), ("OTHER", .endTurn),
        ])
    func finishReasons(raw: String, kind: StopReason.Kind) {
        let body = """
            data: {"candidates": [{"content": {"parts": [{"text": "Hi"}],"role": "model"},"finishReason": "\(raw)"}]}\r
            \r

            """
        let events = decodeReply(Array(body.utf8), format: .gemini)
        #expect(
            events == [
                .start(model: nil), .text("Hi"), .usage(Usage(outputTokens: 1, estimated: true)),
                .stop(StopReason(kind, raw: raw)),
            ])
    }

    @Test("however the bytes are split, a stream decodes to the same events", arguments: fixtures)
    func splitAnywhere(_ fixture: String) throws {
        let bytes = try Fixtures.own(fixture, target: "ParleyProvidersTests")
        #expect(firstSplitDisagreement(bytes, format: .gemini) == nil)
    }
}

@Suite("Gemini requests")
struct GeminiRequestTests {
    @Test(
        "a chat becomes a POST to streamGenerateContent with alt=sse, the key header, model turns and a system instruction"
    )
    func fullRequest() {
        let chat = ChatRequest(
            model: "gemini-2.5-pro",
            messages: [
                ChatMessage(.system, "Answer in French."), ChatMessage(.user, "Hi"),
                ChatMessage(.assistant, "Bonjour"), ChatMessage(.user, "Weather?"),
            ],
            system: "Be brief.", maxTokens: 1024, temperature: 0.5)
        let endpoint = ProviderEndpoint(
            baseURL: "https://generativelanguage.googleapis.com", apiKey: "AIza-test", keyVariable: "GEMINI_API_KEY")
        let request = WireFormat.gemini.request(for: chat, endpoint: endpoint)

        #expect(
            request.url
                == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"
        )
        #expect(request.method == "POST")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "text/event-stream"),
                HTTPHeader("Accept-Encoding", "identity"),
                HTTPHeader("x-goog-api-key", "AIza-test"),
            ])
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"contents":[{"parts":[{"text":"Hi"}],"role":"user"},{"parts":[{"text":"Bonjour"}],"role":"model"},"#
                + #"{"parts":[{"text":"Weather?"}],"role":"user"}],"#
                + #""generationConfig":{"maxOutputTokens":1024,"temperature":0.5,"thinkingConfig":{"includeThoughts":true}},"#
                + #""systemInstruction":{"parts":[{"text":"Be brief.\n\nAnswer in French."}]}}"#)
    }

    @Test(
        "without a system prompt or limits, only the contents are sent, and no thinking config that some models refuse")
    func minimalRequest() {
        let chat = ChatRequest(model: "gemini-2.0-flash", messages: [ChatMessage(.user, "Hi")])
        let request = WireFormat.gemini.request(for: chat, endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1:9/"))

        #expect(request.url == "http://127.0.0.1:9/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "text/event-stream"),
                HTTPHeader("Accept-Encoding", "identity"),
            ])
        #expect(
            String(decoding: request.body, as: UTF8.self) == #"{"contents":[{"parts":[{"text":"Hi"}],"role":"user"}]}"#)
    }

    @Test(
        "thoughts are asked for only from model families that think",
        arguments: [
            ("gemini-2.5-pro", true), ("gemini-2.5-flash", true), ("models/gemini-3-pro-preview", true),
            ("gemini-2.0-flash-thinking-exp", true), ("gemini-2.0-flash", false), ("gemini-1.5-pro", false),
            ("gemini-2.5-flash-image", false), ("gemini-2.5-flash-preview-tts", false),
        ])
    func thoughtsRequested(model: String, requested: Bool) {
        let chat = ChatRequest(model: model, messages: [ChatMessage(.user, "Hi")])
        let body = String(
            decoding: WireFormat.gemini.request(for: chat, endpoint: ProviderEndpoint(baseURL: "http://x")).body,
            as: UTF8.self)
        #expect(body.contains(#""thinkingConfig":{"includeThoughts":true}"#) == requested)
    }
}
