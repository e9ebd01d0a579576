import Clocks
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// One models endpoint shape: where it is asked, with which credentials, and what it answers.
struct ModelsEndpoint: Sendable, CustomTestStringConvertible {
    var provider: String
    var basePath: String
    var target: String
    var keyHeader: (name: String, value: String)?
    var body: String
    var expected: [String]

    var testDescription: String { provider }

    static let all: [ModelsEndpoint] = [
        ModelsEndpoint(
            provider: "openai", basePath: "/v1", target: "/v1/models", keyHeader: ("Authorization", "Bearer test-key"),
            body:
                #"{"object":"list","data":[{"id":"gpt-4o","object":"model"},{"id":"gpt-4.1-mini","object":"model"}]}"#,
            expected: ["gpt-4.1-mini", "gpt-4o"]),
        ModelsEndpoint(
            provider: "anthropic", basePath: "", target: "/v1/models?limit=1000", keyHeader: ("x-api-key", "test-key"),
            body:
                #"{"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5"}],"has_more":false}"#,
            expected: ["claude-sonnet-4-5"]),
        ModelsEndpoint(
            provider: "gemini", basePath: "", target: "/v1beta/models?pageSize=1000",
            keyHeader: ("x-goog-api-key", "test-key"),
            body: #"""
                {"models":[{"name":"models/gemini-2.5-flash","supportedGenerationMethods":["generateContent","countTokens"]},
                {"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]}]}
                """#,
            expected: ["gemini-2.5-flash"]),
        ModelsEndpoint(
            provider: "ollama", basePath: "", target: "/api/tags", keyHeader: nil,
            body: #"{"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","size":2019393189}]}"#,
            expected: ["llama3.2:latest"]),
    ]

    func choice(_ server: TestServer) throws -> ProviderChoice {
        try ProviderChoice.resolve(
            provider: provider, model: nil, baseURL: server.baseURL + basePath,
            environment: ["OPENAI_API_KEY": "test-key", "ANTHROPIC_API_KEY": "test-key", "GEMINI_API_KEY": "test-key"])
    }
}

/// `choice`'s models, on a clock that never moves: how long the listing may take is not what the
/// test is about, and a loaded machine must not make it time out.
func listModels(_ choice: ProviderChoice) async throws(ProviderError) -> ModelListing {
    try await ModelCatalog.models(of: choice, clock: TestClock())
}

@Suite("Listing a provider's models from its models endpoint", .timeLimit(.minutes(10)))
struct ModelCatalogTests {
    @Test("each API shape: the right GET, the right credentials, the names it lists", arguments: ModelsEndpoint.all)
    func listing(_ endpoint: ModelsEndpoint) async throws {
        try await TestServer.serving({ _ in .whole(endpoint.body) }) { server in
            let listing = try await listModels(endpoint.choice(server))

            #expect(listing == ModelListing(status: 200, models: endpoint.expected))
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(request.target == endpoint.target)
            if let keyHeader = endpoint.keyHeader { #expect(request.header(keyHeader.name) == keyHeader.value) }
            if endpoint.provider == "anthropic" { #expect(request.header("anthropic-version") == "2023-06-01") }
            #expect(!request.target.contains("test-key"), "the key never goes in the URL")
        }
    }

    @Test("the endpoint's extra headers are sent, as with a reply")
    func extraHeaders() async throws {
        try await TestServer.serving({ _ in .whole(#"{"data":[]}"#) }) { server in
            let choice = try ProviderChoice.resolve(
                provider: "openrouter", model: nil, baseURL: nil, environment: ["OPENROUTER_API_KEY": "k"],
                configuration: ProviderConfiguration(
                    providers: [
                        "openrouter": ProviderSettings(
                            baseURL: server.baseURL, headers: [HTTPHeader("X-Title", "Parley")])
                    ]))
            #expect(try await listModels(choice).models == [])
            #expect(server.requests.first?.header("X-Title") == "Parley")
        }
    }

    @Test("401 is an auth error naming the key variable")
    func unauthorized() async throws {
        try await TestServer.serving({ _ in
            .whole(#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}"#, status: 401)
        }) { server in
            let choice = try ModelsEndpoint.all[0].choice(server)
            await #expect(
                throws: ProviderError(
                    .auth, "401 from OpenAI: Incorrect API key provided. Check OPENAI_API_KEY.", status: 401)
            ) {
                _ = try await listModels(choice)
            }
        }
    }

    @Test("a body that is not a model list is a protocol error naming the provider")
    func unreadable() async throws {
        try await TestServer.serving({ _ in .whole("<html>hello</html>", contentType: "text/html") }) { server in
            await #expect(
                throws: ProviderError(.protocol, "Ollama sent a model list that could not be read", status: 200)
            ) {
                _ = try await listModels(ModelsEndpoint.all[3].choice(server))
            }
        }
    }

    @Test("nothing listening: a network error naming host and port")
    func refused() async throws {
        let choice = try ProviderChoice.resolve(
            provider: "llamacpp", model: nil, baseURL: "http://127.0.0.1:1/v1", environment: [:])
        do {
            _ = try await listModels(choice)
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .network)
            #expect(error.message.contains("127.0.0.1:1"))
        }
    }

    @Test(
        "a server that never answers is a timeout after the time given, on the listing's clock; the connection is closed"
    )
    func silent() async throws {
        try await TestServer.serving({ _ in ScriptedResponse(body: [.stall]) }) { server in
            let choice = try ProviderChoice.resolve(
                provider: "vllm", model: nil, baseURL: server.baseURL, environment: [:])
            let clock = TestClock()
            let listing = Task { try await ModelCatalog.models(of: choice, timeout: .milliseconds(300), clock: clock) }
            #expect(await server.waitForRequests(1))
            await clock.advance(past: .milliseconds(300))
            await #expect(throws: ProviderError(.timeout, "127.0.0.1:\(server.port) did not answer within 300 ms")) {
                try await listing.value
            }
            #expect(await server.waitForConnectionsClosed(1))
        }
    }

    @Test("the demo lists itself")
    func demo() async throws {
        let choice = try ProviderChoice.resolve(provider: "demo", model: nil, baseURL: nil, environment: [:])
        #expect(try await listModels(choice) == ModelListing(status: nil, models: ["demo"]))
    }
}
