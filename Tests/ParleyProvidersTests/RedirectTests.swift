import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// A provider set up with a key in its format's own header and a secret in a config `headers`
/// entry, at a server's address.
struct KeyedProvider: Sendable, CustomTestStringConvertible {
    var provider: String
    var keyVariable: String
    var basePath: String

    var testDescription: String { provider }

    static let all = [
        KeyedProvider(provider: "openai", keyVariable: "OPENAI_API_KEY", basePath: "/v1"),
        KeyedProvider(provider: "anthropic", keyVariable: "ANTHROPIC_API_KEY", basePath: ""),
        KeyedProvider(provider: "gemini", keyVariable: "GEMINI_API_KEY", basePath: ""),
    ]

    static let key = "sk-live-0123456789abcdef"
    static let configuredSecret = "pk-config-secret-4567"
    /// Every header that carries one of them, whatever the format.
    static let credentialHeaders = ["authorization", "x-api-key", "x-goog-api-key", "x-portkey-api-key"]

    func choice(_ server: TestServer) throws -> ProviderChoice {
        try ProviderChoice.resolve(
            provider: provider, model: nil, baseURL: nil, environment: [keyVariable: Self.key],
            configuration: ProviderConfiguration(
                providers: [
                    provider: ProviderSettings(
                        baseURL: server.baseURL + basePath,
                        headers: [
                            HTTPHeader("X-Portkey-Api-Key", Self.configuredSecret), HTTPHeader("X-Title", "Parley"),
                        ])
                ]))
    }

    /// Whether any header of `request` carries a credential.
    static func carriesCredentials(_ request: RecordedRequest) -> Bool {
        request.headers.contains { credentialHeaders.contains($0.name.lowercased()) }
    }
}

@Suite("Redirects never carry keys to another server", .timeLimit(.minutes(10)))
struct RedirectTests {
    static let cases = [301, 302, 303, 307, 308].flatMap { status in KeyedProvider.all.map { (status, $0) } }

    @Test(
        "a reply redirected to another server is not followed: an error says where it led and what to do",
        arguments: cases)
    func replyToAnotherServer(status: Int, keyed: KeyedProvider) async throws {
        try await TestServer.serving({ _ in .replay(StreamBodies.openAIChat(["stolen"])) }) { elsewhere in
            try await TestServer.serving({ .redirect(status, to: elsewhere.baseURL + $0.target) }) { server in
                let choice = try keyed.choice(server)
                let updates = await choice.startReply(
                    ChatRequest(model: choice.model, messages: [ChatMessage(.user, "Hello")]),
                    transport: quickTransport()
                ).collect()

                #expect(elsewhere.requests.isEmpty, "the other server never hears from Parley")
                #expect(!elsewhere.requests.contains(where: KeyedProvider.carriesCredentials))
                let error = try #require(updates.error)
                #expect(error.kind == .provider)
                #expect(error.status == status)
                #expect(
                    error.message.hasPrefix(
                        "\(status) from \(choice.preset.displayName): the request was redirected to \(elsewhere.baseURL)/"
                    ))
                #expect(error.message.contains("another server, which Parley does not send your key to"))
                #expect(error.message.hasSuffix("make it the base URL (--base-url, or base_url in the config file)."))
                #expect(server.requests.count == 1, "not tried again")
                #expect(updates.retries.isEmpty)
            }
        }
    }

    @Test("a model list redirected to another server is not followed either", arguments: cases)
    func modelListToAnotherServer(status: Int, keyed: KeyedProvider) async throws {
        try await TestServer.serving({ _ in .whole(#"{"data":[{"id":"stolen"}]}"#) }) { elsewhere in
            try await TestServer.serving({ .redirect(status, to: elsewhere.baseURL + $0.target) }) { server in
                let error = await #expect(throws: ProviderError.self) {
                    _ = try await listModels(keyed.choice(server))
                }
                #expect(error?.kind == .provider)
                #expect(error?.status == status)
                #expect(error?.message.contains("redirected to \(elsewhere.baseURL)/") == true)
                #expect(elsewhere.requests.isEmpty)
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test("a redirect within the same server is followed, with the key, the method and the body")
    func withinTheServer() async throws {
        let reply = StreamBodies.openAIChat(["Moved", " but here"])
        try await TestServer.serving({ request in
            request.target == "/v1/chat/completions"
                ? .redirect(308, to: "/v2/chat/completions")
                : .replay(reply)
        }) { server in
            let updates = await replyUpdates(from: server)
            #expect(updates.text == "Moved but here")
            #expect(server.requests.map(\.target) == ["/v1/chat/completions", "/v2/chat/completions"])
            let (first, moved) = try #require(
                server.requests.count == 2 ? (server.requests[0], server.requests[1]) : nil)
            #expect(moved.method == "POST")
            #expect(moved.header("Authorization") == "Bearer sk-test")
            #expect(moved.body == first.body)
        }
    }

    @Test("303 within the same server fetches the answer with a GET, without the body")
    func seeOther() async throws {
        try await TestServer.serving({ request in
            request.method == "POST"
                ? .redirect(303, to: "/v1/results/42")
                : .replay(StreamBodies.openAIChat(["Done."]))
        }) { server in
            let updates = await replyUpdates(from: server)
            #expect(updates.text == "Done.")
            #expect(server.requests.map(\.method) == ["POST", "GET"])
            let answer = try #require(server.requests.last)
            #expect(answer.target == "/v1/results/42")
            #expect(answer.body.isEmpty)
            #expect(answer.header("Content-Type") == nil)
        }
    }

    @Test("a server that redirects to itself forever is given up after five redirects")
    func redirectLoop() async throws {
        try await TestServer.serving({ request in
            let next = request.target == "/v1/chat/completions" ? "/v1/chat/completions/" : "/v1/chat/completions"
            return .redirect(307, to: next)
        }) { server in
            let updates = await replyUpdates(from: server, transport: quickTransport(maxAttempts: 1))
            #expect(
                updates.error
                    == ProviderError(.protocol, "127.0.0.1:\(server.port) redirected the request more than 5 times"))
            #expect(server.requests.count == 6)
        }
    }

    @Test("http to https on the same host is another origin: not followed, and the error names the https address")
    func toHTTPS() async throws {
        try await TestServer.serving({ request in
            .redirect(301, to: "https://127.0.0.1:1\(request.target)")
        }) { server in
            let updates = await replyUpdates(from: server)
            #expect(updates.error?.message.contains("redirected to https://127.0.0.1:1/v1/chat/completions") == true)
        }
    }
}
