/// What the config file says about providers, for `ProviderChoice.resolve`: consulted only where
/// flags and the environment are silent (PRODUCT.md §5: flags > env > config > defaults).
public struct ProviderConfiguration: Equatable, Sendable {
    /// The provider used when `--provider` is not given (and no `--base-url` names a server).
    public var provider: String?
    /// The model for `provider`, when `--model` is not given.
    public var model: String?
    /// `[providers.NAME]` sections, by provider name: a built-in provider's settings, or (with a
    /// `kind`) a provider of the user's own.
    public var providers: [String: ProviderSettings]

    public init(provider: String? = nil, model: String? = nil, providers: [String: ProviderSettings] = [:]) {
        self.provider = provider
        self.model = model
        self.providers = providers
    }

    /// Nothing configured: presets and the environment alone.
    public static let none = ProviderConfiguration()
}

/// One `[providers.NAME]` section.
public struct ProviderSettings: Equatable, Sendable {
    /// For a provider of the user's own: the built-in provider whose API it speaks (`"openai"` for
    /// any OpenAI-compatible server, `"anthropic"`, `"openrouter"`…). Nil for a built-in one's section.
    public var kind: String?
    public var baseURL: String?
    public var model: String?
    /// The variable that holds the key, instead of the preset's own (`OPENAI_API_KEY`…).
    public var keyVariable: String?
    /// A command whose standard output is the key (`pass show openai`), run only when no
    /// variable holds one and the provider is actually used.
    public var keyCommand: String?
    /// Sent with every request to this provider, after the wire format's own headers.
    public var headers: [HTTPHeader]
    /// `context_tokens`: the most context Parley asks a server that sizes it per request for
    /// (Ollama's `num_ctx`); nil: as much as the conversation needs, up to what the model takes.
    public var contextTokens: Int?

    public init(
        kind: String? = nil, baseURL: String? = nil, model: String? = nil, keyVariable: String? = nil,
        keyCommand: String? = nil, headers: [HTTPHeader] = [], contextTokens: Int? = nil
    ) {
        self.contextTokens = contextTokens
        self.kind = kind
        self.baseURL = baseURL
        self.model = model
        self.keyVariable = keyVariable
        self.keyCommand = keyCommand
        self.headers = headers
    }
}

/// A `key_command` that did not give a key: it could not start, failed, or printed nothing.
public struct KeyCommandFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var command: String
    public var reason: String

    public init(command: String, reason: String) {
        self.command = command
        self.reason = reason
    }

    public var description: String { "the key command `\(command)` \(reason)" }
}
