import ParleyCore

/// A provider Parley knows by name: its wire format, where it lives and which variables
/// hold its key and base URL (PRODUCT.md §3).
public struct ProviderPreset: Equatable, Sendable {
    /// The name users type: `--provider groq`.
    public var name: String
    /// The name users read in messages and footers: "Groq".
    public var displayName: String
    /// nil for the built-in demo, which speaks no wire format.
    public var format: WireFormat?
    public var defaultBaseURL: String
    public var baseURLVariable: String?
    /// Variables that may hold the key, first found wins (Gemini accepts two).
    public var keyVariables: [String]
    public var defaultModel: String
    /// Hosted services reject requests without a key; local servers do not need one.
    public var requiresKey: Bool
    /// For OpenAI-compatible services: whose reasoning fields they take.
    public var dialect: ChatDialect = .openAI
    /// A server on the user's own machine (and the demo): its replies cost nothing.
    public var isLocal = false
    /// For a provider of the user's own (`kind` in its section), the built-in one whose API it speaks.
    public var kind: String? = nil

    /// The built-in provider this is, or speaks like.
    public var builtIn: String { kind ?? name }

    /// What the provider does with a request larger than the model's window: Ollama drops the
    /// conversation's start, LM Studio does what its overflow setting says, the rest refuse it.
    public var contextOverflow: ContextWindow.Overflow {
        switch builtIn {
        case "ollama": .truncated
        case "lmstudio": .serverSetting
        default: .refused
        }
    }

    public var isDemo: Bool { format == nil }

    public static func named(_ name: String) -> ProviderPreset? {
        all.first { $0.name == name.lowercased() }
    }

    public static let demo = ProviderPreset(
        name: "demo", displayName: "demo (offline)", format: nil, defaultBaseURL: "", baseURLVariable: nil,
        keyVariables: [], defaultModel: "demo", requiresKey: false, isLocal: true)

    public static let all: [ProviderPreset] = [
        hosted(
            "openai", "OpenAI", .openAIChat, "https://api.openai.com/v1", "OPENAI_BASE_URL", ["OPENAI_API_KEY"],
            "gpt-4o-mini"),
        hosted(
            "openai-responses", "OpenAI", .openAIResponses, "https://api.openai.com/v1", "OPENAI_BASE_URL",
            ["OPENAI_API_KEY"], "gpt-4o-mini"),
        hosted(
            "anthropic", "Anthropic", .anthropic, "https://api.anthropic.com", "ANTHROPIC_BASE_URL",
            ["ANTHROPIC_API_KEY"], "claude-sonnet-4-5"),
        hosted(
            "gemini", "Gemini", .gemini, "https://generativelanguage.googleapis.com", "GEMINI_BASE_URL",
            ["GEMINI_API_KEY", "GOOGLE_API_KEY"], "gemini-2.5-flash"),
        hosted(
            "openrouter", "OpenRouter", .openAIChat, "https://openrouter.ai/api/v1", nil, ["OPENROUTER_API_KEY"],
            "openrouter/auto", dialect: .openRouter),
        hosted("xai", "xAI", .openAIChat, "https://api.x.ai/v1", nil, ["XAI_API_KEY"], "grok-3-mini", dialect: .xAI),
        hosted(
            "deepseek", "DeepSeek", .openAIChat, "https://api.deepseek.com", nil, ["DEEPSEEK_API_KEY"], "deepseek-chat",
            dialect: .deepSeek),
        hosted(
            "groq", "Groq", .openAIChat, "https://api.groq.com/openai/v1", nil, ["GROQ_API_KEY"],
            "llama-3.3-70b-versatile", dialect: .groq),
        hosted(
            "mistral", "Mistral", .openAIChat, "https://api.mistral.ai/v1", nil, ["MISTRAL_API_KEY"],
            "mistral-small-latest"),
        local("ollama", "Ollama", .ollama, "http://127.0.0.1:11434", "OLLAMA_HOST", "llama3.2"),
        local("lmstudio", "LM Studio", .openAIChat, "http://127.0.0.1:1234/v1", nil, "local-model"),
        local("llamacpp", "llama.cpp", .openAIChat, "http://127.0.0.1:8080/v1", nil, "default"),
        local("vllm", "vLLM", .openAIChat, "http://127.0.0.1:8000/v1", nil, "default"),
        demo,
    ]

    private static func hosted(
        _ name: String, _ displayName: String, _ format: WireFormat, _ baseURL: String, _ baseURLVariable: String?,
        _ keyVariables: [String], _ model: String, dialect: ChatDialect = .openAI
    ) -> ProviderPreset {
        ProviderPreset(
            name: name, displayName: displayName, format: format, defaultBaseURL: baseURL,
            baseURLVariable: baseURLVariable, keyVariables: keyVariables, defaultModel: model, requiresKey: true,
            dialect: dialect)
    }

    private static func local(
        _ name: String, _ displayName: String, _ format: WireFormat, _ baseURL: String, _ baseURLVariable: String?,
        _ model: String
    ) -> ProviderPreset {
        ProviderPreset(
            name: name, displayName: displayName, format: format, defaultBaseURL: baseURL,
            baseURLVariable: baseURLVariable, keyVariables: [], defaultModel: model, requiresKey: false, isLocal: true)
    }
}

extension PricingRules {
    /// The rules of Parley's own providers: the local ones, and each hosted one's own address.
    public static func presets(_ prices: PriceTable) -> PricingRules {
        PricingRules(
            prices: prices, local: Set(ProviderPreset.all.filter(\.isLocal).map(\.name)),
            services: Dictionary(
                ProviderPreset.all.filter { !$0.isLocal }.map { ($0.name, $0.defaultBaseURL) },
                uniquingKeysWith: { first, _ in first }))
    }
}
