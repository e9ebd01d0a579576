import ParleyCore

/// A failure as an OpenAI-compatible client expects it: an HTTP status and an error object
/// `{"error": {"message", "type", "param", "code"}}`, which the official SDKs turn into their own
/// exceptions (`AuthenticationError`, `NotFoundError`, `RateLimitError`…).
public struct RelayError: Error, Equatable, Sendable {
    public var status: Int
    public var type: String
    public var code: String?
    /// The request field at fault, when one is.
    public var param: String?
    public var message: String
    /// Seconds the client should wait, sent as Retry-After.
    public var retryAfter: Double?

    public init(
        status: Int, type: String, code: String? = nil, param: String? = nil, message: String,
        retryAfter: Double? = nil
    ) {
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The body of an error response, and of the last event of a stream that failed.
    public var object: JSON {
        [
            "error": [
                "message": .string(message), "type": .string(type), "param": param.map(JSON.string) ?? .null,
                "code": code.map(JSON.string) ?? .null,
            ]
        ]
    }

    /// Retry-After as sent: whole seconds, rounded up.
    public var retryAfterHeader: String? {
        retryAfter.map { String(Int(max(0, $0).rounded(.up))) }
    }

    static func badRequest(_ message: String, param: String? = nil) -> RelayError {
        RelayError(status: 400, type: "invalid_request_error", param: param, message: message)
    }

    static let missingToken = RelayError(
        status: 401, type: "invalid_request_error", code: "invalid_api_key",
        message: "this relay needs its token: send it as `Authorization: Bearer TOKEN` (the client's API key)")

    static let wrongToken = RelayError(
        status: 401, type: "invalid_request_error", code: "invalid_api_key",
        message: "the token sent is not this relay's token")

    static func unknownModel(_ model: String, _ reason: String) -> RelayError {
        RelayError(
            status: 404, type: "invalid_request_error", code: "model_not_found", param: "model",
            message: "the model `\(model)` is not available here: \(reason)")
    }

    static func tooLarge(limit: Int) -> RelayError {
        RelayError(
            status: 413, type: "invalid_request_error", code: "request_too_large",
            message: "the request is larger than the \(Attachment.sizeText(limit)) this relay takes")
    }

    static func busy(limit: Int) -> RelayError {
        RelayError(
            status: 429, type: "rate_limit_error", code: "too_many_streams",
            message: "this relay is already running its limit of \(limit) replies at once; try again shortly",
            retryAfter: 1)
    }

    static let notFound = RelayError(
        status: 404, type: "invalid_request_error", code: "unknown_url",
        message: "this relay answers POST /v1/chat/completions and GET /v1/models")

    static let shuttingDown = RelayError(
        status: 503, type: "server_error", code: "shutting_down", message: "the relay is shutting down")
}

extension RelayError {
    /// How a provider's failure reaches the relay's client. What the client can act on keeps its
    /// status (400, 404, 413, 422, and 429 and 503 with their Retry-After); everything that is the
    /// relay's business with its provider (a refused key, a provider's 5xx, a network failure) is a
    /// 502, or a 504 for a time-out. The message is the provider's, as Parley reports it: it names
    /// a key's variable, never a key (the transport redacts keys from every message).
    public init(upstream failure: ProviderError) {
        let passedOn: Set<Int> = [400, 404, 413, 422, 429, 503]
        let status: Int =
            if let status = failure.status, passedOn.contains(status) {
                status
            } else {
                switch failure.kind {
                case .rateLimited: 429
                case .overloaded: 503
                case .invalidRequest: 400
                case .notFound: 404
                case .timeout: 504
                case .cancelled: 499
                case .auth, .server, .network, .protocol, .provider: 502
                }
            }
        let type =
            switch status {
            case 429: "rate_limit_error"
            case 400, 404, 413, 422: "invalid_request_error"
            default: "upstream_error"
            }
        self.init(
            status: status, type: type, code: failure.kind.rawValue, message: failure.message,
            retryAfter: failure.retryAfter)
    }
}
