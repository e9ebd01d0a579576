import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("Ollama native streams")
struct OllamaAdapterTests {
    static let fixtures = [
        "qwen3-thinking-field.ndjson",
        "deepseek-r1-think-tags-split.ndjson",
        "llama3.1-tool-calls.ndjson",
        "llama3.1-length.ndjson",
        "model-not-found.ndjson",
    ]

    static func fixture(_ name: String) throws -> [UInt8] {
        try Fixtures.own("ollama/\(name)", target: "ParleyProvidersTests")
    }

    static func decode(_ bytes: [UInt8]) -> [StreamEvent] {
        decodeReply(bytes, format: .ollama, provider: "Ollama")
    }

    static func decode(_ body: String) -> [StreamEvent] { decode(Array(body.utf8)) }

    static func errors(in events: [StreamEvent]) -> [ProviderError] {
        events.compactMap { if case .error(let failure) = $0 { failure } else { nil } }
    }

    @Test("message.thinking goes to the thinking pane and content to the answer, with Ollama's token counts")
    func thinkingFieldThenContent() throws {
        let events = Self.decode(try Self.fixture("qwen3-thinking-field.ndjson"))
        #expect(
            events == [
                .start(model: "qwen3:8b"),
                .thinking("The user"),
                .thinking(" greets me in German."),
                .text("Gr"),
                .text("ü"),
                .text("ße!"),
                .usage(Usage(inputTokens: 14, outputTokens: 9)),
                .stop(StopReason(.endTurn, raw: "stop")),
            ])
    }

    @Test("<think> tags split across lines move the reasoning out of the answer")
    func thinkTagsSplitAcrossLines() throws {
        let events = Self.decode(try Self.fixture("deepseek-r1-think-tags-split.ndjson"))
        #expect(
            events == [
                .start(model: "deepseek-r1:7b"),
                .thinking("\n"),
                .thinking("Two plus two is four."),
                .thinking("\n"),
                .text("4"),
                .usage(Usage(inputTokens: 8, outputTokens: 17)),
                .stop(StopReason(.endTurn, raw: "stop")),
            ])
    }

    @Test("each tool call comes with its arguments as JSON text and an id by its place; the reply stops for tools")
    func toolCalls() throws {
        let events = Self.decode(try Self.fixture("llama3.1-tool-calls.ndjson"))
        #expect(
            events == [
                .start(model: "llama3.1"),
                .toolCall(
                    ToolCall(id: "call_0", name: "get_weather", arguments: #"{"city":"Paris","unit":"celsius"}"#)),
                .toolCall(ToolCall(id: "call_1", name: "get_time", arguments: #"{"zone":"Europe/Paris"}"#)),
                .usage(Usage(inputTokens: 210, outputTokens: 41)),
                .stop(StopReason(.toolUse, raw: "stop")),
            ])
    }

    @Test("a tool call's own id is kept when Ollama gives one")
    func toolCallIdKept() {
        let events = Self.decode(
            """
            {"model":"qwen3:8b","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_k2","function":{"index":0,"name":"add","arguments":{"a":2,"b":3}}}]},"done":false}
            {"model":"qwen3:8b","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":30,"eval_count":12}

            """)
        #expect(events.contains(.toolCall(ToolCall(id: "call_k2", name: "add", arguments: #"{"a":2,"b":3}"#))))
        #expect(events.last == .stop(StopReason(.toolUse, raw: "stop")))
    }

    @Test("a reply cut by num_predict stops as max_tokens")
    func lengthIsMaxTokens() throws {
        let events = Self.decode(try Self.fixture("llama3.1-length.ndjson"))
        #expect(
            events == [
                .start(model: "llama3.1"),
                .text("Once"),
                .text(" upon"),
                .usage(Usage(inputTokens: 12, outputTokens: 2)),
                .stop(StopReason(.maxTokens, raw: "length")),
            ])
    }

    @Test("a missing model is a not_found error in Ollama's own words")
    func modelNotFound() throws {
        let events = Self.decode(try Self.fixture("model-not-found.ndjson"))
        #expect(
            events == [
                .start(model: nil),
                .error(ProviderError(.notFound, #"Ollama: model "llama9" not found, try pulling it first"#)),
                .usage(Usage(estimated: true)),
                .stop(StopReason(.error)),
            ])
    }

    @Test("an error line mid-reply keeps the partial text and ends the reply")
    func midStreamError() {
        let events = Self.decode(
            """
            {"model":"llama3.1","message":{"role":"assistant","content":"Hal"},"done":false}
            {"error":"an error was encountered while running the model: unexpected EOF"}
            {"model":"llama3.1","message":{"role":"assistant","content":"f"},"done":false}

            """)
        #expect(
            events == [
                .start(model: "llama3.1"),
                .text("Hal"),
                .error(
                    ProviderError(
                        .provider, "Ollama: an error was encountered while running the model: unexpected EOF")),
                .usage(Usage(outputTokens: 1, estimated: true)),
                .stop(StopReason(.error)),
            ])
    }

    @Test("asking a model for something it cannot do is an invalid request")
    func doesNotSupport() {
        let events = Self.decode(#"{"error":"registry.ollama.ai/library/gemma3:4b does not support tools"}"#)
        #expect(Self.errors(in: events).map(\.kind) == [.invalidRequest])
    }

    @Test("a broken line is a protocol error naming Ollama, and what came before it is kept")
    func malformedLine() {
        let events = Self.decode(
            """
            {"model":"llama3.1","message":{"role":"assistant","content":"Hi"},"done":false}
            {"model":"llama3.1","message":{"role":
            {"model":"llama3.1","message":{"role":"assistant","content":" never shown"},"done":false}

            """)
        #expect(events.prefix(2) == [.start(model: "llama3.1"), .text("Hi")])
        let errors = Self.errors(in: events)
        #expect(errors.map(\.kind) == [.protocol])
        #expect(errors.first?.message.hasPrefix("Ollama sent a malformed stream") == true)
        #expect(!events.contains(.text(" never shown")))
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("lines and fields Parley does not know are skipped")
    func unknownLinesSkipped() {
        let events = Self.decode(
            """
            {"status":"pulling manifest"}
            {"model":"llama3.1","message":{"role":"assistant","content":"Hi","images":null},"logprobs":[],"done":false}
            {"model":"llama3.1","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"eval_count":1,"prompt_eval_count":5}

            """)
        #expect(
            events == [
                .start(model: "llama3.1"),
                .text("Hi"),
                .usage(Usage(inputTokens: 5, outputTokens: 1)),
                .stop(StopReason(.endTurn, raw: "stop")),
            ])
    }

    @Test("a body that ends before done:true keeps what arrived and fails as a network error")
    func cutOffBeforeDone() throws {
        let bytes = try Self.fixture("qwen3-thinking-field.ndjson")
        let lastLine = try #require(bytes.dropLast().lastIndex(of: UInt8(ascii: "\n")))
        let events = Self.decode(Array(bytes[...lastLine]))
        #expect(
            events == [
                .start(model: "qwen3:8b"),
                .thinking("The user"),
                .thinking(" greets me in German."),
                .text("Gr"),
                .text("ü"),
                .text("ße!"),
                .error(ProviderError(.network, "the connection closed before the reply was complete")),
                // 37 UTF-8 bytes of thinking and text, about four to a token.
                .usage(Usage(outputTokens: 10, estimated: true)),
                .stop(StopReason(.error)),
            ])
    }

    @Test("a body that ends inside a line was cut off: a network error, keeping what arrived")
    func cutOffInsideALine() throws {
        let bytes = try Self.fixture("llama3.1-length.ndjson")
        let secondLine = try #require(bytes.firstIndex(of: UInt8(ascii: "\n"))) + 1
        let events = Self.decode(Array(bytes[..<(secondLine + 20)]))
        #expect(events.prefix(2) == [.start(model: "llama3.1"), .text("Once")])
        #expect(Self.errors(in: events).map(\.kind) == [.network])
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("nothing after done:true reaches the user")
    func doneEndsTheReply() {
        let events = Self.decode(
            """
            {"model":"llama3.1","message":{"role":"assistant","content":""},"done_reason":"load","done":true}
            {"model":"llama3.1","message":{"role":"assistant","content":"late"},"done":false}

            """)
        #expect(
            events == [
                .start(model: "llama3.1"),
                .usage(Usage(estimated: true)),
                .stop(StopReason(.endTurn, raw: "load")),
            ])
    }

    @Test("cut at every byte offset, each stream decodes to the same events", arguments: fixtures)
    func splitAnywhere(_ name: String) throws {
        let bytes = try Self.fixture(name)
        #expect(firstSplitDisagreement(bytes, format: .ollama, exhaustiveLimit: 4096) == nil)
    }
}

@Suite("Ollama native requests")
struct OllamaRequestTests {
    @Test("a chat becomes a streaming POST to /api/chat asking for NDJSON, with options and no key")
    func requestForChat() {
        let chat = ChatRequest(
            model: "llama3.1", messages: [.init(.user, "Hi")], system: "You are terse.", maxTokens: 64,
            temperature: 0.2)
        let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:11434")
        let request = WireFormat.ollama.request(for: chat, endpoint: endpoint)
        #expect(request.url == "http://127.0.0.1:11434/api/chat")
        #expect(request.method == "POST")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/x-ndjson"),
                HTTPHeader("Accept-Encoding", "identity"),
            ])
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"messages":[{"content":"You are terse.","role":"system"},{"content":"Hi","role":"user"}],"#
                + #""model":"llama3.1","options":{"num_ctx":8192,"num_predict":64,"temperature":0.2},"stream":true}"#)
    }

    @Test("without options only the context is sized (num_ctx), never a think flag; a key that is set is sent")
    func minimalRequestWithKey() {
        let chat = ChatRequest(model: "qwen3:8b", messages: [.init(.user, "Hi"), .init(.assistant, "Hello")])
        let endpoint = ProviderEndpoint(
            baseURL: "https://ollama.example.com/", apiKey: "secret", extraHeaders: [HTTPHeader("X-Team", "a")])
        let request = WireFormat.ollama.request(for: chat, endpoint: endpoint)
        #expect(request.url == "https://ollama.example.com/api/chat")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/x-ndjson"),
                HTTPHeader("Accept-Encoding", "identity"),
                HTTPHeader("Authorization", "Bearer secret"), HTTPHeader("X-Team", "a"),
            ])
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"messages":[{"content":"Hi","role":"user"},{"content":"Hello","role":"assistant"}],"#
                + #""model":"qwen3:8b","options":{"num_ctx":8192},"stream":true}"#)
    }
}
