import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// A model that refuses the reasoning setting is asked once more without it, and the reply says so.
@Suite("A model that refuses the reasoning setting", .timeLimit(.minutes(10)))
struct ReasoningRefusalTests {
    static let unsupported =
        #"{"error":{"message":"Unsupported parameter: 'reasoning_effort' is not supported with this model.","#
        + #""type":"invalid_request_error","param":"reasoning_effort","code":"unsupported_parameter"}}"#

    func reply(from server: TestServer, _ reasoning: Reasoning, provider: String = "openai") async throws
        -> [ReplyUpdate]
    {
        let choice = try ProviderChoice.resolve(
            provider: provider, model: "gpt-4o", baseURL: server.baseURL + "/v1",
            environment: ["OPENAI_API_KEY": "sk-test"], configuration: .none)
        let chat = ChatRequest(model: "gpt-4o", messages: [ChatMessage(.user, "Hi")], reasoning: reasoning)
        return await choice.startReply(chat, transport: quickTransport()).collect()
    }

    @Test("refused: one notice first, then the reply asked for without the setting")
    func refusedThenAnswered() async throws {
        let server = try await TestServer.start { request in
            String(decoding: request.body, as: UTF8.self).contains("reasoning_effort")
                ? .whole(Self.unsupported, status: 400) : .replay(StreamBodies.openAIChat(["Hello."]))
        }
        let updates = try await reply(from: server, .effort(.high))
        try await server.shutdown()

        guard case .reasoningRefused(let refusal) = updates.events.first else {
            Issue.record("expected the refusal first, got \(updates.events)")
            return
        }
        #expect(refusal.status == 400)
        #expect(refusal.message.contains("'reasoning_effort' is not supported with this model"))
        #expect(updates.text == "Hello.")
        #expect(updates.error == nil)
        #expect(server.requests.count == 2)
        #expect(!String(decoding: server.requests[1].body, as: UTF8.self).contains("reasoning"))
    }

    @Test("the default setting is never retried: a 400 is the reply's error")
    func standardNotRetried() async throws {
        let server = try await TestServer.start { _ in .whole(Self.unsupported, status: 400) }
        let updates = try await reply(from: server, .standard)
        try await server.shutdown()
        #expect(updates.error?.status == 400)
        #expect(!updates.events.contains { if case .reasoningRefused = $0 { true } else { false } })
        #expect(server.requests.count == 1)
    }

    @Test("a 400 about something else is not a refusal of reasoning: shown at once, asked once")
    func otherBadRequest() async throws {
        let server = try await TestServer.start { _ in
            .whole(
                #"{"error":{"message":"Invalid 'messages': empty array.","type":"invalid_request_error"}}"#, status: 400
            )
        }
        let updates = try await reply(from: server, .effort(.low))
        try await server.shutdown()
        #expect(updates.error?.message.contains("Invalid 'messages'") == true)
        #expect(server.requests.count == 1)
    }

    /// A local Ollama whose model can do what `capabilities` says (nil: an older Ollama, which does not say).
    static func ollama(capabilities: [String]?) async throws -> TestServer {
        try await TestServer.start { request in
            switch request.target {
            case "/api/show":
                .whole(
                    capabilities.map { #"{"capabilities":["# + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]}" }
                        ?? "{}")
            default:
                .replay(
                    Array(
                        (#"{"message":{"role":"assistant","content":"Hi."},"done":false}"# + "\n"
                            + #"{"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}"# + "\n")
                            .utf8),
                    contentType: "application/x-ndjson")
            }
        }
    }

    func ollamaReply(_ server: TestServer, _ reasoning: Reasoning) async throws -> [ReplyUpdate] {
        let choice = try ProviderChoice.resolve(
            provider: "ollama", model: "llama3.2", baseURL: server.baseURL, environment: [:], configuration: .none)
        let chat = ChatRequest(model: "llama3.2", messages: [ChatMessage(.user, "Hi")], reasoning: reasoning)
        return await choice.startReply(chat, transport: quickTransport()).collect()
    }

    @Test("Ollama is asked first whether the model thinks: one that does not is never sent `think`")
    func ollamaModelThatDoesNotThink() async throws {
        let server = try await Self.ollama(capabilities: ["completion", "tools"])
        let updates = try await ollamaReply(server, .effort(.high))
        try await server.shutdown()
        guard case .reasoningRefused(let refusal) = updates.events.first else {
            Issue.record("expected the refusal first, got \(updates.events)")
            return
        }
        #expect(refusal.message == "llama3.2 does not think: Ollama lists what it can do as completion, tools")
        #expect(updates.text == "Hi.")
        #expect(server.requests.map(\.target) == ["/api/show", "/api/chat"])
        #expect(try JSON.parse(server.requests[0].body) == ["model": "llama3.2"])
        #expect(try JSON.parse(server.requests[1].body)["think"] == nil)
    }

    @Test(
        "a model that thinks, or an Ollama that does not say, is sent `think` as asked; off asks nothing first",
        arguments: [["completion", "thinking"], nil])
    func ollamaModelThatThinks(capabilities: [String]?) async throws {
        let server = try await Self.ollama(capabilities: capabilities)
        let updates = try await ollamaReply(server, .effort(.low))
        #expect(!updates.events.contains { if case .reasoningRefused = $0 { true } else { false } })
        #expect(server.requests.map(\.target) == ["/api/show", "/api/chat"])
        #expect(try JSON.parse(server.requests[1].body)["think"] == true)
        _ = try await ollamaReply(server, .off)
        try await server.shutdown()
        #expect(server.requests.map(\.target).suffix(1) == ["/api/chat"])
        #expect(try JSON.parse(server.requests[2].body)["think"] == false)
    }

    @Test(
        "auto: a model that thinks is asked for its thoughts apart (think: true); one that does not, or an Ollama that does not say, as it is",
        arguments: [(["completion", "thinking"], true), (["completion"], false), (nil, false)])
    func ollamaAuto(capabilities: [String]?, thinks: Bool) async throws {
        let server = try await Self.ollama(capabilities: capabilities)
        let updates = try await ollamaReply(server, .standard)
        try await server.shutdown()
        #expect(updates.text == "Hi.")
        #expect(!updates.events.contains { if case .reasoningRefused = $0 { true } else { false } })
        #expect(server.requests.map(\.target) == ["/api/show", "/api/chat"])
        #expect(try JSON.parse(server.requests[1].body)["think"] == (thinks ? true : nil))
    }

    @Test("asked again without it and refused again: that error is the reply's, and there is no third try")
    func refusedTwice() async throws {
        let server = try await TestServer.start { _ in .whole(Self.unsupported, status: 400) }
        let updates = try await reply(from: server, .effort(.high))
        try await server.shutdown()
        #expect(updates.error?.status == 400)
        #expect(server.requests.count == 2)
    }
}
