import ParleyProviders
import Testing

@Suite("Choosing the provider, model and endpoint from flags and environment")
struct ProviderChoiceTests {
    @Test("with nothing configured, replies come from the offline demo")
    func demoByDefault() throws {
        let choice = try ProviderChoice.resolve(provider: nil, model: nil, baseURL: nil, environment: [:])
        #expect(choice.preset.isDemo)
        #expect(choice.preset.displayName == "demo (offline)")
    }

    @Test("a base URL without a provider means an OpenAI-compatible server, which needs no key")
    func baseURLAlone() throws {
        let choice = try ProviderChoice.resolve(
            provider: nil, model: "qwen3", baseURL: "http://127.0.0.1:8080/v1", environment: [:])
        #expect(choice.preset.name == "openai")
        #expect(choice.model == "qwen3")
        #expect(choice.endpoint.baseURL == "http://127.0.0.1:8080/v1")
        #expect(choice.endpoint.apiKey == nil)
    }

    @Test("the key and base URL come from the provider's own variables; a flag beats the variable")
    func environmentThenFlags() throws {
        let environment = ["OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "https://proxy.example/v1"]
        let fromEnvironment = try ProviderChoice.resolve(
            provider: "openai", model: nil, baseURL: nil, environment: environment)
        #expect(
            fromEnvironment.endpoint
                == ProviderEndpoint(
                    baseURL: "https://proxy.example/v1", apiKey: "sk-test", keyVariable: "OPENAI_API_KEY"))
        #expect(fromEnvironment.model == "gpt-4o-mini")

        let fromFlag = try ProviderChoice.resolve(
            provider: "openai", model: "gpt-4o", baseURL: "http://localhost:9/v1", environment: environment)
        #expect(fromFlag.endpoint.baseURL == "http://localhost:9/v1")
        #expect(fromFlag.model == "gpt-4o")
    }

    @Test("Gemini takes GOOGLE_API_KEY when GEMINI_API_KEY is not set")
    func geminiSecondKey() throws {
        let choice = try ProviderChoice.resolve(
            provider: "gemini", model: nil, baseURL: nil, environment: ["GOOGLE_API_KEY": "g-key"])
        #expect(choice.endpoint.apiKey == "g-key")
        #expect(choice.endpoint.keyVariable == "GOOGLE_API_KEY")
    }

    @Test("a hosted provider without its key is refused before any request, naming the variable")
    func missingKey() {
        #expect(throws: ProviderChoice.Problem.missingKey(ProviderPreset.named("groq")!)) {
            try ProviderChoice.resolve(provider: "groq", model: nil, baseURL: nil, environment: ["GROQ_API_KEY": ""])
        }
        let message = ProviderChoice.Problem.missingKey(ProviderPreset.named("gemini")!).description
        #expect(message.contains("GEMINI_API_KEY or GOOGLE_API_KEY"))
    }

    @Test("an unknown provider is named, with the nearest and the known ones listed")
    func unknownProvider() throws {
        let known = ProviderConfiguration.none.presets.map(\.name)
        #expect(throws: ProviderChoice.Problem.unknownProvider("opneai", known: known)) {
            try ProviderChoice.resolve(provider: "opneai", model: nil, baseURL: nil, environment: [:])
        }
        let message = ProviderChoice.Problem.unknownProvider("opneai", known: known).description
        #expect(message.contains("Did you mean \"openai\"?"))
        #expect(message.contains("openai, openai-responses"))
    }

    @Test("a provider of the user's own speaks its kind's API at its own address, by its own name")
    func ownProvider() throws {
        let configuration = ProviderConfiguration(providers: [
            "work": ProviderSettings(
                kind: "openrouter", baseURL: "https://llm.example.com/v1", model: "big-model", keyVariable: "WORK_KEY")
        ])
        let choice = try ProviderChoice.resolve(
            provider: "Work", model: nil, baseURL: nil, environment: ["WORK_KEY": "k-1", "OPENROUTER_API_KEY": "no"],
            configuration: configuration)
        #expect(choice.preset.name == "work")
        #expect(choice.label == "work")
        #expect(choice.preset.format == .openAIChat)
        #expect(choice.endpoint.dialect == .openRouter)
        #expect(choice.endpoint.baseURL == "https://llm.example.com/v1")
        #expect(choice.endpoint.apiKey == "k-1")
        #expect(choice.model == "big-model")
        #expect(!choice.modelIsAGuess)
        // Named in the lists the picker and errors use, after the built-in ones and before the demo.
        #expect(configuration.presets.suffix(2).map(\.name) == ["work", "demo"])
        #expect(configuration.usableProviders(environment: [:]).map(\.name).contains("work"))
        // Its key variable unset: refused before any request, naming the variable.
        #expect(throws: ProviderChoice.Problem.missingKey(configuration.preset(named: "work")!)) {
            try ProviderChoice.resolve(
                provider: "work", model: nil, baseURL: nil, environment: [:], configuration: configuration)
        }
    }

    @Test("a provider of the user's own with no key or model is tried keyless, asking its server for the model")
    func ownProviderKeyless() throws {
        let configuration = ProviderConfiguration(
            provider: "lab", providers: ["lab": ProviderSettings(kind: "openai", baseURL: "http://10.0.0.5:8000/v1")])
        let choice = try ProviderChoice.resolve(
            provider: nil, model: nil, baseURL: nil, environment: [:], configuration: configuration)
        #expect(choice.preset.name == "lab")
        #expect(choice.endpoint.apiKey == nil)
        #expect(choice.modelIsAGuess)
        let typed = try ProviderChoice.resolve(
            provider: nil, model: "qwen3", baseURL: nil, environment: [:], configuration: configuration)
        #expect(!typed.modelIsAGuess)
    }

    @Test("a provider of the user's own without an address is its kind's service with another key")
    func ownProviderAtKindsAddress() throws {
        let configuration = ProviderConfiguration(providers: [
            "claude-work": ProviderSettings(kind: "anthropic", keyVariable: "WORK_ANTHROPIC_KEY")
        ])
        let choice = try ProviderChoice.resolve(
            provider: "claude-work", model: nil, baseURL: nil, environment: ["WORK_ANTHROPIC_KEY": "a-2"],
            configuration: configuration)
        #expect(choice.endpoint.baseURL == "https://api.anthropic.com")
        #expect(choice.preset.format == .anthropic)
        #expect(choice.model == "claude-sonnet-4-5")
        #expect(choice.endpoint.apiKey == "a-2")
        #expect(!choice.modelIsAGuess)
    }

    @Test("a base URL that is not http(s) is refused")
    func invalidBaseURL() {
        #expect(throws: ProviderChoice.Problem.invalidBaseURL("localhost:8080")) {
            try ProviderChoice.resolve(provider: "llamacpp", model: nil, baseURL: "localhost:8080", environment: [:])
        }
    }

    @Test(
        "OLLAMA_HOST is understood however it is written",
        arguments: [
            ("127.0.0.1:11434", "http://127.0.0.1:11434"),
            ("0.0.0.0", "http://127.0.0.1:11434"),
            ("http://gpu-box:11434", "http://gpu-box:11434"),
            ("https://ollama.example", "https://ollama.example:11434"),
        ])
    func ollamaHost(host: String, url: String) throws {
        let choice = try ProviderChoice.resolve(
            provider: "ollama", model: nil, baseURL: nil, environment: ["OLLAMA_HOST": host])
        #expect(choice.endpoint.baseURL == url)
    }

    @Test("every preset of PRODUCT.md §3 is known, with its key variable")
    func presets() {
        let expected: [String: [String]] = [
            "openai": ["OPENAI_API_KEY"], "openai-responses": ["OPENAI_API_KEY"],
            "anthropic": ["ANTHROPIC_API_KEY"], "gemini": ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
            "ollama": [], "openrouter": ["OPENROUTER_API_KEY"], "xai": ["XAI_API_KEY"],
            "deepseek": ["DEEPSEEK_API_KEY"], "groq": ["GROQ_API_KEY"], "mistral": ["MISTRAL_API_KEY"],
            "lmstudio": [], "llamacpp": [], "vllm": [], "demo": [],
        ]
        #expect(Dictionary(uniqueKeysWithValues: ProviderPreset.all.map { ($0.name, $0.keyVariables) }) == expected)
    }
}
