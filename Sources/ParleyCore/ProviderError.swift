/// A failure of a reply, in the user's terms: what kind it is and the provider's own message.
public struct ProviderError: Error, Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable, CaseIterable {
        case auth
        case rateLimited = "rate_limited"
        case overloaded
        case invalidRequest = "invalid_request"
        case notFound = "not_found"
        case server
        case network
        case timeout
        case `protocol`
        case cancelled
        case provider
    }

    public var kind: Kind
    public var message: String
    /// The HTTP status, when the failure came with one.
    public var status: Int?
    /// Seconds the provider asked us to wait before trying again.
    public var retryAfter: Double?

    public init(_ kind: Kind, _ message: String, status: Int? = nil, retryAfter: Double? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    /// Whether trying the same request again may succeed (only ever done before the first byte).
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .overloaded, .server, .network: true
        default: false
        }
    }
}

extension ProviderError {
    /// Whether this is a model or server refusing the tools it was offered: a 400 or 422 whose
    /// message is about tools ("… does not support tools" from Ollama, "tools are not supported"),
    /// or llama.cpp's "tools param requires --jinja flag" (a 500).
    public var refusesTools: Bool {
        let text = message.lowercased()
        guard text.contains("tool") else { return false }
        if text.contains("jinja") { return true }
        guard kind == .invalidRequest || status == 400 || status == 422 else { return false }
        return ["support", "not allowed", "unknown field", "unrecognized", "unexpected", "not enabled"].contains {
            text.contains($0)
        }
    }
}
