import ParleyCore

/// Where and how to reach one provider: its base URL and credentials, already resolved
/// from flags, environment and configuration.
public struct ProviderEndpoint: Equatable, Sendable {
    public var baseURL: String
    public var apiKey: String?
    /// The variable the key came from (or should come from), named in auth errors.
    public var keyVariable: String?
    /// The config's `key_command`, when it (not a variable) gives the key.
    public var keyCommand: String?
    public var extraHeaders: [HTTPHeader]
    /// Whose fields an OpenAI-compatible request asks for reasoning with.
    public var dialect: ChatDialect
    /// The most context to ask a server that sizes it per request for (`context_tokens`).
    public var mostContextTokens: Int?

    public init(
        baseURL: String, apiKey: String? = nil, keyVariable: String? = nil, keyCommand: String? = nil,
        extraHeaders: [HTTPHeader] = [], dialect: ChatDialect = .openAI, mostContextTokens: Int? = nil
    ) {
        self.mostContextTokens = mostContextTokens
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.keyVariable = keyVariable
        self.keyCommand = keyCommand
        self.extraHeaders = extraHeaders
        self.dialect = dialect
    }

    /// `path` appended to the base URL with exactly one slash between them.
    func url(_ path: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + (path.hasPrefix("/") ? path : "/" + path)
    }
}

public struct HTTPHeader: Equatable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A streaming HTTP request, ready to send. Holds the API key in a header, so it is never
/// logged, traced or stored as a whole.
public struct ProviderRequest: Equatable, Sendable {
    public var url: String
    public var method: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(url: String, method: String = "POST", headers: [HTTPHeader], body: [UInt8]) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// A JSON POST with the endpoint's extra headers after the format's own. It asks for an
    /// uncompressed reply: a server compressing a stream may hold deltas back to fill its blocks
    /// (a compressed reply is still read, from a server that compresses unasked).
    init(
        url: String, json: JSON, accept: String = "text/event-stream", headers: [HTTPHeader],
        endpoint: ProviderEndpoint
    ) {
        self.init(
            url: url,
            headers: [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", accept),
                HTTPHeader("Accept-Encoding", "identity"),
            ] + headers + endpoint.extraHeaders,
            body: json.serializedBytes())
    }
}

extension WireFormat {
    /// The streaming request this format's API expects for `chat`.
    public func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        switch self {
        case .openAIChat: OpenAIChatAdapter.request(for: chat, endpoint: endpoint)
        case .anthropic: AnthropicAdapter.request(for: chat, endpoint: endpoint)
        case .gemini: GeminiAdapter.request(for: chat, endpoint: endpoint)
        case .openAIResponses: OpenAIResponsesAdapter.request(for: chat, endpoint: endpoint)
        case .ollama: OllamaAdapter.request(for: chat, endpoint: endpoint)
        }
    }
}

extension ProviderEndpoint {
    /// `Authorization: Bearer KEY`, or nothing when no key is set (local servers need none).
    var bearerAuthorization: [HTTPHeader] {
        apiKey.map { [HTTPHeader("Authorization", "Bearer \($0)")] } ?? []
    }
}
