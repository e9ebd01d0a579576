import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// A whole (non-streamed) reply body, as a server that ignores `stream: true` sends it.
struct WholeReply: Sendable, CustomTestStringConvertible {
    var file: String
    var format: WireFormat
    var provider: String
    var expected: [StreamEvent]

    var testDescription: String { file }

    var body: [UInt8] {
        get throws { try Fixtures.own("whole/\(file)", target: "ParleyProvidersTests") }
    }

    static let all = [
        WholeReply(
            file: "openai-chat-reasoning-tool-calls.json", format: .openAIChat, provider: "DeepSeek",
            expected: [
                .start(model: "deepseek-reasoner"),
                .thinking("The user wants Köln and Zürich; two calls, one per city."),
                .text("I'll look up the weather in both cities."),
                .toolCall(ToolCall(id: "call_00_kQ3m", name: "get_weather", arguments: #"{"city":"Köln"}"#)),
                .toolCall(ToolCall(id: "call_01_Zr8p", name: "get_weather", arguments: #"{"city":"Zürich"}"#)),
                .usage(Usage(inputTokens: 64, outputTokens: 71, reasoningTokens: 18)),
                .stop(StopReason(.toolUse, raw: "tool_calls")),
            ]),
        WholeReply(
            file: "openai-chat-text.json", format: .openAIChat, provider: "OpenAI",
            expected: [
                .start(model: "gpt-4o-mini-2024-07-18"), .text("The capital of France is Paris."),
                .usage(Usage(inputTokens: 14, outputTokens: 7)), .stop(StopReason(.endTurn, raw: "stop")),
            ]),
        WholeReply(
            file: "responses-reasoning-text-function-call.json", format: .openAIResponses, provider: "OpenAI",
            expected: [
                .start(model: "gpt-5-2025-08-07"),
                .thinking("**Checking the forecast**\n\nThe user asks about rain in Paris."),
                .thinking("\n\n**Calling the tool**\n\nA weather lookup answers it."),
                .thinkingSignature("rs_68af4030baa48193b0b43b4c2a176a1a05438e46b5f69a3b"),
                .text("Let me check the forecast for Paris."),
                .toolCall(
                    ToolCall(
                        id: "call_Wm1Jx9bQ2sLd4Rt7", name: "get_forecast", arguments: #"{"city":"Paris","days":1}"#)),
                .usage(Usage(inputTokens: 81, outputTokens: 214, reasoningTokens: 192)),
                .stop(StopReason(.toolUse, raw: "completed")),
            ]),
        WholeReply(
            file: "anthropic-thinking-text-tool-use.json", format: .anthropic, provider: "Anthropic",
            expected: [
                .start(model: "claude-sonnet-4-5-20250929"),
                .thinking("The user wants the time in Tokyo; the clock tool gives it."),
                .redactedThinking,
                .text("I'll check the clock in Tokyo."),
                .toolCall(
                    ToolCall(
                        id: "toolu_01A09q90qw90lq917835lq9", name: "get_time",
                        arguments: #"{"format":"24h","zone":"Asia/Tokyo"}"#)),
                .usage(Usage(inputTokens: 412 + 1024, outputTokens: 96, cachedTokens: 1024)),
                .stop(StopReason(.toolUse, raw: "tool_use")),
            ]),
        WholeReply(
            file: "gemini-thought-text-function-call.json", format: .gemini, provider: "Gemini",
            expected: [
                .start(model: "gemini-2.5-flash"),
                .thinking("**Planning the answer**\nThe user asks for the weather in Lisbon."),
                .text("Let me look that up."),
                .toolCall(
                    ToolCall(
                        id: "call_0", name: "get_weather", arguments: #"{"city":"Lisbon"}"#,
                        signature: "CiQB0e2Kb7vXz9mW3qJ1pL8nR5tY2uH6gF4dS0aE7cB9xV3kN1o=")),
                .usage(Usage(inputTokens: 38, outputTokens: 22 + 61, reasoningTokens: 61)),
                .stop(StopReason(.toolUse, raw: "STOP")),
            ]),
        WholeReply(
            file: "gemini-stream-array.json", format: .gemini, provider: "Gemini",
            expected: [
                .start(model: "gemini-2.0-flash"), .text("Lisbon is"), .text(" sunny today."),
                .usage(Usage(inputTokens: 9, outputTokens: 6)), .stop(StopReason(.endTurn, raw: "STOP")),
            ]),
        WholeReply(
            file: "ollama-chat-thinking.json", format: .ollama, provider: "Ollama",
            expected: [
                .start(model: "qwen3:8b"),
                .thinking("The user greets me in German; answer in German."),
                .text("Guten Morgen! Wie kann ich helfen?"),
                .usage(Usage(inputTokens: 17, outputTokens: 48)),
                .stop(StopReason(.endTurn, raw: "stop")),
            ]),
    ]
}

@Suite("A server that does not stream: the whole reply is a reply")
struct WholeReplyDecodingTests {
    @Test(
        "each format's whole reply gives the events its stream would: content, usage and stop",
        arguments: WholeReply.all)
    func wholeReply(_ reply: WholeReply) throws {
        let events = decodeReply(
            try reply.body, format: reply.format, provider: reply.provider, contentType: "application/json")
        #expect(events == reply.expected)
    }

    @Test("cut at every byte offset and one byte at a time, a whole reply decodes the same", arguments: WholeReply.all)
    func wholeReplySplit(_ reply: WholeReply) throws {
        #expect(
            firstSplitDisagreement(
                try reply.body, format: reply.format, provider: reply.provider, contentType: "application/json") == nil)
    }

    @Test(
        "the bytes decide, not the label: a whole reply without a JSON type is still one (but Ollama's first line streams)"
    )
    func unlabelled() throws {
        let body = try WholeReply.all[1].body
        #expect(
            decodeReply(body, format: .openAIChat, provider: "OpenAI", contentType: "text/plain")
                == WholeReply.all[1].expected)
        #expect(decodeReply(body, format: .openAIChat, provider: "OpenAI") == WholeReply.all[1].expected)
        let stream = StreamBodies.openAIChat(["Hi"])
        #expect(
            decodeReply(stream, format: .openAIChat, contentType: "application/json")
                == decodeReply(stream, format: .openAIChat), "an event stream labelled JSON still streams")
    }

    @Test("a JSON error object in a 200 is the provider's error")
    func errorObject() {
        let body = Array(#"{"error":{"message":"The server is overloaded.","type":"server_error"}}"#.utf8)
        let events = decodeReply(body, format: .openAIChat, provider: "OpenAI", contentType: "application/json")
        #expect(
            events == [
                .start(model: nil), .error(ProviderError(.overloaded, "OpenAI: The server is overloaded.")),
                .usage(Usage(estimated: true)), .stop(StopReason(.error, raw: nil)),
            ])
    }

    @Test(
        "JSON that is not a reply in the format is a protocol error saying what it was", arguments: WireFormat.allCases)
    func notAReply(_ format: WireFormat) {
        let events = decodeReply(
            Array(#"{"status":"ok"}"#.utf8), format: format, provider: "P", contentType: "application/json")
        #expect(
            events.contains(
                .error(ProviderError(.protocol, #"P answered with JSON that is not a reply: {"status":"ok"}"#))))
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("a body cut off inside the JSON is a protocol error")
    func truncatedDocument() throws {
        let body = try WholeReply.all[0].body
        let events = decodeReply(Array(body.prefix(200)), format: .openAIChat, provider: "DeepSeek")
        let error = try #require(events.compactMap { if case .error(let e) = $0 { e } else { nil } }.first)
        #expect(error.kind == .protocol)
        #expect(error.message.hasPrefix("DeepSeek answered with JSON that could not be read: "))
    }

    static let signInPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign in \u{2013} Corp proxy</title>
        <script>window.location = "/sso/start";</script></head>
        <body><form action="/sso/login"><input name="user"><input type="password" name="pass"></form></body></html>
        """

    @Test(
        "an HTML page in a 200 is a protocol error naming its type and title, for every format",
        arguments: WireFormat.allCases)
    func htmlPage(_ format: WireFormat) {
        let body = Array(Self.signInPage.utf8)
        let expected: [StreamEvent] = [
            .start(model: nil),
            .error(
                ProviderError(
                    .protocol, "the server answered with text/html instead of a stream: \"Sign in \u{2013} Corp proxy\""
                )),
            .usage(Usage(estimated: true)), .stop(StopReason(.error)),
        ]
        #expect(decodeReply(body, format: format, contentType: "text/html; charset=utf-8") == expected)
        #expect(firstSplitDisagreement(body, format: format, contentType: "text/html; charset=utf-8") == nil)
    }

    @Test("any other body is said as it came, its control characters dropped; a long one is not read to its end")
    func otherBodies() {
        let plain = Array("upstream connect error or disconnect/reset before headers. \u{1B}]0;pwned\u{7}reset".utf8)
        #expect(
            decodeReply(plain, format: .anthropic, contentType: "text/plain").contains(
                .error(
                    ProviderError(
                        .protocol,
                        "the server answered with text/plain instead of a stream: \"upstream connect error or disconnect/reset before headers. ]0;pwned reset\""
                    ))))
        #expect(
            decodeReply(Array("Bad Gateway".utf8), format: .ollama).contains(
                .error(
                    ProviderError(
                        .protocol, "the server answered with an unlabelled body instead of a stream: \"Bad Gateway\"")))
        )

        var decoder = ReplyDecoder(format: .gemini, provider: "Gemini")
        decoder.contentType = "text/html"
        _ = decoder.decode(Array(("<html><body>" + String(repeating: "lorem ipsum ", count: 1000)).utf8))
        #expect(decoder.isEnded, "4 KiB of it say enough; the connection can be closed")
    }

    @Test("a whole reply over 16 MiB is a protocol error, not unbounded memory")
    func tooLarge() {
        var decoder = ReplyDecoder(format: .openAIChat, provider: "OpenAI")
        decoder.contentType = "application/json"
        var events = decoder.decode(Array("{\"choices\":[{\"message\":{\"content\":\"".utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<17 where !decoder.isEnded { events += decoder.decode(chunk) }
        #expect(events.contains(.error(ProviderError(.protocol, "OpenAI's whole reply is larger than 16 MiB"))))
    }
}

@Suite("A server that does not stream, over HTTP", .timeLimit(.minutes(10)))
struct WholeReplyOverHTTPTests {
    @Test("a 200 with a whole chat.completion: the reply, from one request, never retried")
    func wholeCompletion() async throws {
        let reply = WholeReply.all[1]
        let body = try reply.body
        try await TestServer.serving({ _ in .whole(String(decoding: body, as: UTF8.self)) }) { server in
            let updates = await replyUpdates(from: server)
            #expect(updates.events == reply.expected)
            #expect(server.requests.count == 1)
            #expect(updates.retries.isEmpty)
            #expect(updates.finalMetrics?.attempts == 1)
        }
    }

    @Test("a 200 with an HTML page: a protocol error saying so, from one request")
    func htmlPage() async throws {
        try await TestServer.serving({ _ in .whole(WholeReplyDecodingTests.signInPage, contentType: "text/html") }) {
            server in
            let updates = await replyUpdates(from: server)
            #expect(
                updates.error
                    == ProviderError(
                        .protocol,
                        "the server answered with text/html instead of a stream: \"Sign in \u{2013} Corp proxy\""))
            #expect(server.requests.count == 1)
        }
    }

    @Test("a 200 whose whole body ends before the reply is complete is not asked for again")
    func completeButCutShort() async throws {
        let cut = StreamBodies.openAIChatDelta("")
        try await TestServer.serving({ _ in
            .whole(String(decoding: cut, as: UTF8.self), contentType: "text/event-stream")
        }) { server in
            let updates = await replyUpdates(from: server)
            #expect(updates.error?.kind == .network)
            #expect(server.requests.count == 1)
            #expect(updates.retries.isEmpty)
        }
    }
}
