import ParleyCore
import ParleyTestSupport
import Testing

@testable import ParleyProviders

/// A server that echoes the key back must not get it shown, logged or saved: whatever a server
/// says reaches Parley's consumers with the request's secrets taken out.
@Suite("Keys a server echoes back are taken out of what it says", .timeLimit(.minutes(10)))
struct RedactionTests {
    static let key = KeyedProvider.key
    static let secret = KeyedProvider.configuredSecret

    static func reply(_ keyed: KeyedProvider, from server: TestServer, maxAttempts: Int = 1) throws -> ReplyStream {
        let choice = try keyed.choice(server)
        return choice.startReply(
            ChatRequest(model: choice.model, messages: [ChatMessage(.user, "Hello")]),
            transport: quickTransport(maxAttempts: maxAttempts))
    }

    @Test("a 401 that echoes the key, with or without its Bearer prefix: the message keeps its words, not the key")
    func unauthorizedEcho() async throws {
        let body =
            #"{"error":{"message":"Incorrect API key provided: Bearer \#(Self.key) (also seen as \#(Self.key)).","type":"invalid_request_error","code":"invalid_api_key"}}"#
        try await TestServer.serving({ _ in .whole(body, status: 401) }) { server in
            let updates = try await Self.reply(KeyedProvider.all[0], from: server).collect()
            let error = try #require(updates.error)
            #expect(
                error.message
                    == "401 from OpenAI: Incorrect API key provided: [redacted] (also seen as [redacted]). Check OPENAI_API_KEY."
            )
            #expect(error.kind == .auth)
        }
    }

    @Test(
        "an in-stream error that echoes the key or a configured header's secret, for each format's key header",
        arguments: KeyedProvider.all)
    func inStreamEcho(_ keyed: KeyedProvider) async throws {
        let message = "key \(Self.key) and header \(Self.secret) refused"
        let body: String =
            switch keyed.provider {
            case "anthropic":
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"\(message)\"}}\n\n"
            case "gemini":
                "data: {\"error\":{\"code\":401,\"message\":\"\(message)\",\"status\":\"UNAUTHENTICATED\"}}\n\n"
            default:
                "data: {\"error\":{\"message\":\"\(message)\",\"type\":\"invalid_request_error\"}}\n\n"
            }
        try await TestServer.serving({ _ in .replay(Array(body.utf8)) }) { server in
            let updates = try await Self.reply(keyed, from: server).collect()
            let error = try #require(updates.error)
            #expect(error.message.hasSuffix("key [redacted] and header [redacted] refused"))
            #expect(!"\(updates)".contains(Self.key))
            #expect(!"\(updates)".contains(Self.secret))
        }
    }

    @Test("a retry notice and the error after the last try are said without the secret; other headers' values stay")
    func retryNotice() async throws {
        let body = #"{"error":{"message":"upstream rejected header \#(Self.secret) for Parley","type":"server_error"}}"#
        try await TestServer.serving({ _ in .whole(body, status: 500) }) { server in
            let updates = try await Self.reply(KeyedProvider.all[1], from: server, maxAttempts: 2).collect()
            let notice = try #require(updates.retries.first)
            #expect(notice.error.message == "500 from Anthropic: upstream rejected header [redacted] for Parley")
            #expect(updates.error?.message == notice.error.message)
        }
    }

    @Test("a model list refused with the key echoed: the error is said without it")
    func modelList() async throws {
        let body = #"{"error":{"code":400,"message":"API key not valid: \#(Self.key)","status":"INVALID_ARGUMENT"}}"#
        try await TestServer.serving({ _ in .whole(body, status: 400) }) { server in
            let error = await #expect(throws: ProviderError.self) {
                _ = try await listModels(KeyedProvider.all[2].choice(server))
            }
            #expect(error?.message == "400 from Gemini: API key not valid: [redacted]")
        }
    }

    @Test("the secrets are the credential headers' values and bearer tokens; short values and other headers are not")
    func secretsOfARequest() {
        let request = ProviderRequest(
            url: "https://example.com", method: "POST",
            headers: [
                HTTPHeader("Authorization", "Bearer sk-abc123"), HTTPHeader("X-Title", "Parley"),
                HTTPHeader("api-key", "short"), HTTPHeader("Cookie", "session=s3cr3t-cookie"),
            ], body: [])
        let redaction = Redaction(request)
        #expect(redaction.apply("Bearer sk-abc123 / sk-abc123") == "[redacted] / [redacted]")
        #expect(redaction.apply("Parley said short") == "Parley said short")
        #expect(redaction.apply("got session=s3cr3t-cookie") == "got [redacted]")
        #expect(HTTPHeader.isCredential("X-Goog-Api-Key") && HTTPHeader.isCredential("Proxy-Authorization"))
        #expect(!HTTPHeader.isCredential("X-Title") && !HTTPHeader.isCredential("Content-Type"))
    }
}
