import Clocks
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Synchronization
import Testing

@Suite("The providers the model picker offers")
struct UsableProvidersTests {
    @Test("the config's default first, then sections and hosted providers with a key set, and the demo last")
    func usable() {
        let configuration = ProviderConfiguration(
            provider: "anthropic", model: "claude-opus-4",
            providers: [
                "mistral": ProviderSettings(keyCommand: "pass show mistral"),
                "llamacpp": ProviderSettings(baseURL: "http://127.0.0.1:8081/v1"),
            ])
        let names = configuration.usableProviders(
            environment: ["OPENAI_API_KEY": "k", "GOOGLE_API_KEY": "g", "GROQ_API_KEY": ""]
        ).map(\.name)
        // A key command counts without being run (none is given to run it); an empty variable is no key;
        // the Responses API and local servers only when named.
        #expect(names == ["anthropic", "openai", "gemini", "mistral", "llamacpp", "demo"])
        #expect(ProviderConfiguration.none.usableProviders(environment: [:]).map(\.name) == ["demo"])
    }

    @Test("each provider's usual model: the top-level model for the top-level provider, else its section's")
    func defaultModel() {
        let configuration = ProviderConfiguration(
            provider: "openai", model: "gpt-4o", providers: ["ollama": ProviderSettings(model: "qwen3:8b")])
        #expect(configuration.defaultModel(for: ProviderPreset.named("openai")!) == "gpt-4o")
        #expect(configuration.defaultModel(for: ProviderPreset.named("ollama")!) == "qwen3:8b")
        #expect(configuration.defaultModel(for: ProviderPreset.named("groq")!) == "llama-3.3-70b-versatile")
    }
}

@Suite("Looking for local servers at start-up", .timeLimit(.minutes(10)))
struct LocalServersTests {
    /// What `discover` reported, in the order it did.
    final class Found: Sendable {
        private let found = Mutex<[String: [String]]>([:])
        func add(_ choice: ProviderChoice, _ models: [String]) { found.withLock { $0[choice.preset.name] = models } }
        var all: [String: [String]] { found.withLock { $0 } }
    }

    static func choice(_ provider: String, _ baseURL: String) throws -> ProviderChoice {
        try ProviderChoice.resolve(provider: provider, model: nil, baseURL: baseURL, environment: [:])
    }

    @Test("where to look: the usual ports, else OLLAMA_HOST and the config's base_url; no key command is run")
    func candidates() {
        let standard = LocalServers.candidates(environment: [:], configuration: .none)
        #expect(standard.map(\.preset.name) == ["ollama", "lmstudio", "llamacpp"])
        #expect(
            standard.map(\.endpoint.baseURL) == [
                "http://127.0.0.1:11434", "http://127.0.0.1:1234/v1", "http://127.0.0.1:8080/v1",
            ])
        let moved = LocalServers.candidates(
            environment: ["OLLAMA_HOST": "127.0.0.1:21434"],
            configuration: ProviderConfiguration(
                providers: [
                    "lmstudio": ProviderSettings(baseURL: "http://127.0.0.1:4321/v1", keyCommand: "exit 1"),
                    "llamacpp": ProviderSettings(baseURL: "http://127.0.0.1:8081/v1", model: "qwen3-8b"),
                ]))
        #expect(
            moved.map(\.endpoint.baseURL) == [
                "http://127.0.0.1:21434", "http://127.0.0.1:4321/v1", "http://127.0.0.1:8081/v1",
            ])
        #expect(moved[2].model == "qwen3-8b")
    }

    @Test("servers that answer are reported with their models; those not running or silent are passed over")
    func discovers() async throws {
        let silent = try await TestServer.startUnreachable()
        do {
            try await TestServer.serving({ request in
                request.target == "/api/tags"
                    ? .whole(#"{"models":[{"name":"qwen3:8b"},{"name":"llama3.2:latest"}]}"#)
                    : .whole("{}", status: 404)
            }) { ollama in
                try await TestServer.serving({ request in
                    request.target == "/v1/models"
                        ? .whole(#"{"data":[{"id":"qwen2.5-7b-instruct"}]}"#) : .whole("{}", status: 404)
                }) { lmstudio in
                    let found = Found()
                    let clock = TestClock()
                    let candidates = [
                        try Self.choice("ollama", ollama.baseURL),
                        try Self.choice("lmstudio", lmstudio.baseURL + "/v1"),
                        try Self.choice("llamacpp", silent.baseURL + "/v1"),
                    ]
                    let discovery = Task {
                        await LocalServers.discover(
                            candidates, timeout: .milliseconds(400), window: .milliseconds(400), clock: clock,
                            found: found.add)
                    }
                    // Those that answer are found whatever the time; the silent one is passed over
                    // once its time has run out, and then discovery is over.
                    #expect(await eventually { found.all.count == 2 })
                    await clock.advance(past: .milliseconds(400))
                    await discovery.value
                    #expect(
                        found.all == ["ollama": ["llama3.2:latest", "qwen3:8b"], "lmstudio": ["qwen2.5-7b-instruct"]])
                }
            }
        } catch {
            try? await silent.shutdown()
            throw error
        }
        try await silent.shutdown()
    }

    @Test("nothing running: asked again now and then (a server may be starting) until the window ends, then silent")
    func nothingRunning() async throws {
        let found = Found()
        let port = try ClosedPort()
        defer { port.close() }
        let closed = port.baseURL
        let clock = TestClock()
        let candidates = [
            try Self.choice("ollama", closed), try Self.choice("lmstudio", closed + "/v1"),
            try Self.choice("llamacpp", closed + "/v1"),
        ]
        let discovery = Task {
            await LocalServers.discover(
                candidates, timeout: .milliseconds(400), window: .seconds(2), clock: clock, found: found.add)
        }
        await Self.finish(discovery, advancing: clock)
        #expect(found.all.isEmpty)
    }

    @Test("a server too busy to answer the first probe in time is found when it answers a later one")
    func lateServer() async throws {
        let probes = Mutex(0)
        try await TestServer.serving({ request in
            let probe = probes.withLock { probes in
                probes += 1
                return probes
            }
            // The first probe gets no answer at all: the machine is busy.
            return probe == 1 ? ScriptedResponse(body: [.stall]) : .whole(#"{"data":[{"id":"qwen3-8b"}]}"#)
        }) { server in
            let found = Found()
            let clock = TestClock()
            let candidate = try Self.choice("llamacpp", server.baseURL + "/v1")
            let discovery = Task {
                await LocalServers.discover([candidate], timeout: .milliseconds(400), clock: clock, found: found.add)
            }
            #expect(await eventually { server.requests.count == 1 })
            await clock.advance(past: .milliseconds(400))
            await discovery.value
            #expect(found.all == ["llamacpp": ["qwen3-8b"]])
            #expect(server.requests.count == 2)
        }
    }

    /// Moves `clock` on, a tenth of a second at a time, until `discovery` is over.
    static func finish(_ discovery: Task<Void, Never>, advancing clock: TestClock<Duration>) async {
        let over = Mutex(false)
        let watching = Task {
            await discovery.value
            over.withLock { $0 = true }
        }
        while !over.withLock({ $0 }) {
            await clock.advance(by: .milliseconds(100))
            try? await Task.sleep(for: .milliseconds(1))
        }
        await watching.value
    }

    @Test("a server that answers with an error is not a server to offer")
    func errorsAreSilent() async throws {
        try await TestServer.serving({ _ in .whole(#"{"error":"no"}"#, status: 500) }) { server in
            let found = Found()
            // The clock never moves: it is the answer that is judged, however long it takes.
            await LocalServers.discover(
                [try Self.choice("lmstudio", server.baseURL + "/v1")], timeout: .milliseconds(400), clock: TestClock(),
                found: found.add)
            #expect(server.requests.count == 1)
            #expect(found.all.isEmpty)
        }
    }
}
