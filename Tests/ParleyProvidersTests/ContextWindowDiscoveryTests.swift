import Clocks
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// Where one provider tells a model's context window, and what it answers there (the shapes of
/// each API's reference, cut down to what matters).
struct WindowEndpoint: Sendable, CustomTestStringConvertible {
    var provider: String
    var model: String
    var basePath: String
    var method = "GET"
    var target: String
    var body: String
    var expected: ContextWindow?

    var testDescription: String { provider }

    static let all: [WindowEndpoint] = [
        WindowEndpoint(
            provider: "openrouter", model: "meta-llama/llama-3.3-70b-instruct", basePath: "/api/v1",
            target: "/api/v1/models",
            body: #"""
                {"data":[{"id":"openai/gpt-4o","context_length":128000},
                {"id":"meta-llama/llama-3.3-70b-instruct","context_length":131072,"top_provider":{"context_length":65536}}]}
                """#,
            expected: ContextWindow(tokens: 131_072, source: .provider)),
        WindowEndpoint(
            provider: "groq", model: "llama-3.3-70b-versatile", basePath: "/openai/v1", target: "/openai/v1/models",
            body: #"{"object":"list","data":[{"id":"llama-3.3-70b-versatile","context_window":131072}]}"#,
            expected: ContextWindow(tokens: 131_072, source: .provider)),
        WindowEndpoint(
            provider: "vllm", model: "Qwen/Qwen3-8B", basePath: "/v1", target: "/v1/models",
            body: #"{"object":"list","data":[{"id":"Qwen/Qwen3-8B","max_model_len":32768}]}"#,
            expected: ContextWindow(tokens: 32_768, source: .provider)),
        WindowEndpoint(
            provider: "gemini", model: "gemini-2.5-flash", basePath: "", target: "/v1beta/models/gemini-2.5-flash",
            body: #"{"name":"models/gemini-2.5-flash","inputTokenLimit":1048576,"outputTokenLimit":65536}"#,
            expected: ContextWindow(tokens: 1_048_576, source: .provider)),
        WindowEndpoint(
            provider: "ollama", model: "llama3.2", basePath: "", method: "POST", target: "/api/show",
            body: #"""
                {"parameters":"num_ctx 4096","model_info":{"general.architecture":"llama","llama.context_length":131072},
                "capabilities":["completion","tools"]}
                """#,
            expected: ContextWindow(tokens: 131_072, source: .provider, overflow: .truncated)),
        WindowEndpoint(
            provider: "llamacpp", model: "default", basePath: "/v1", target: "/props",
            body: #"{"default_generation_settings":{"n_ctx":16384,"params":{}},"total_slots":1}"#,
            expected: ContextWindow(tokens: 16_384, source: .provider)),
        WindowEndpoint(
            provider: "lmstudio", model: "qwen3-8b", basePath: "/v1", target: "/api/v0/models/qwen3-8b",
            body: #"{"id":"qwen3-8b","state":"loaded","max_context_length":32768,"loaded_context_length":8192}"#,
            expected: ContextWindow(tokens: 8_192, source: .provider, overflow: .serverSetting)),
        // OpenAI's list says nothing of windows: Parley's table answers.
        WindowEndpoint(
            provider: "openai", model: "gpt-4o", basePath: "/v1", target: "/v1/models",
            body: #"{"object":"list","data":[{"id":"gpt-4o","object":"model"}]}"#,
            expected: ContextWindow(tokens: 128_000, source: .table)),
    ]

    func choice(_ server: TestServer, settings: ProviderSettings = ProviderSettings()) throws -> ProviderChoice {
        try ProviderChoice.resolve(
            provider: provider, model: model, baseURL: server.baseURL + basePath,
            environment: [
                "OPENAI_API_KEY": "k", "GEMINI_API_KEY": "k", "OPENROUTER_API_KEY": "k", "GROQ_API_KEY": "k",
            ],
            configuration: ProviderConfiguration(providers: [provider: settings]))
    }
}

@Suite("Learning a model's context window from its provider", .timeLimit(.minutes(10)))
struct ContextWindowDiscoveryTests {
    @Test("each provider is asked where it tells, and its answer read", arguments: WindowEndpoint.all)
    func learnt(_ endpoint: WindowEndpoint) async throws {
        try await TestServer.serving({ _ in .whole(endpoint.body) }) { server in
            let window = await ModelCatalog.contextWindow(of: try endpoint.choice(server), clock: TestClock())
            #expect(window == endpoint.expected)
            let request = try #require(server.requests.first)
            #expect(request.method == endpoint.method)
            #expect(request.target == endpoint.target)
            if endpoint.method == "POST" {
                #expect(String(decoding: request.body, as: UTF8.self) == #"{"model":"llama3.2"}"#)
            }
        }
    }

    @Test("Ollama's window is what Parley will ask it for at most: the model's, capped by context_tokens")
    func ollamaCapped() async throws {
        let ollama = WindowEndpoint.all.first { $0.provider == "ollama" }!
        try await TestServer.serving({ _ in .whole(ollama.body) }) { server in
            let capped = try ollama.choice(server, settings: ProviderSettings(contextTokens: 32_768))
            let window = await ModelCatalog.contextWindow(of: capped, clock: TestClock())
            #expect(window == ContextWindow(tokens: 32_768, source: .provider, overflow: .truncated))
        }
    }

    @Test("a provider that fails or says nothing leaves the table's answer, else unknown")
    func unknown() async throws {
        try await TestServer.serving({ _ in .whole(#"{"error":"nope"}"#, status: 500) }) { server in
            let hosted = try ProviderChoice.resolve(
                provider: "openrouter", model: "anthropic/claude-sonnet-4-5", baseURL: server.baseURL,
                environment: ["OPENROUTER_API_KEY": "k"])
            #expect(
                await ModelCatalog.contextWindow(of: hosted, clock: TestClock())
                    == ContextWindow(tokens: 200_000, source: .table))
            let local = try ProviderChoice.resolve(
                provider: "llamacpp", model: "default", baseURL: server.baseURL + "/v1", environment: [:])
            #expect(await ModelCatalog.contextWindow(of: local, clock: TestClock()) == nil)
        }
        let anthropic = try ProviderChoice.resolve(
            provider: "anthropic", model: "claude-sonnet-4-5", baseURL: "http://127.0.0.1:9",
            environment: ["ANTHROPIC_API_KEY": "k"])
        #expect(
            await ModelCatalog.contextWindow(of: anthropic, clock: TestClock())
                == ContextWindow(tokens: 200_000, source: .table), "Anthropic is not asked: its list tells no window")
    }

    @Test("every Ollama request sizes its context to the conversation, up to context_tokens")
    func ollamaNumCtx() throws {
        let long = String(repeating: "word ", count: 20_000)  // about 25,000 tokens by Parley's estimate
        let chat = ChatRequest(model: "llama3.2", messages: [.init(.user, long)])
        let open = WireFormat.ollama.request(for: chat, endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1:11434"))
        let options = try #require(try JSON.parse(open.body)["options"])
        #expect(options["num_ctx"]?.int == 65_536)
        let capped = WireFormat.ollama.request(
            for: chat, endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1:11434", mostContextTokens: 32_768))
        #expect(try JSON.parse(capped.body)["options"]?["num_ctx"]?.int == 32_768)
    }
}
