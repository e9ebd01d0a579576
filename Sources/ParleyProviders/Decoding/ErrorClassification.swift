import ParleyCore

extension ProviderError.Kind {
    /// The kind of failure an HTTP status means, for every provider alike.
    public init(httpStatus status: Int) {
        switch status {
        case 401, 403: self = .auth
        case 404: self = .notFound
        case 408: self = .timeout
        case 429: self = .rateLimited
        case 503, 529: self = .overloaded
        case 500...: self = .server
        case 400..<500: self = .invalidRequest
        default: self = .provider
        }
    }

    /// The kind named by a provider's error `type`/`code`/`status` string, when it is one we know.
    init?(providerCode code: String) {
        switch code.lowercased() {
        case "authentication_error", "permission_error", "invalid_api_key", "unauthenticated",
            "permission_denied":
            self = .auth
        case "rate_limit_error", "rate_limit_exceeded", "resource_exhausted", "insufficient_quota":
            self = .rateLimited
        case "overloaded_error", "unavailable", "server_is_overloaded":
            self = .overloaded
        case "invalid_request_error", "invalid_argument", "failed_precondition", "tool_use_failed",
            "request_too_large":
            self = .invalidRequest
        case "not_found_error", "not_found", "model_not_found":
            self = .notFound
        case "api_error", "server_error", "internal", "internal_error":
            self = .server
        default:
            return nil
        }
    }
}

extension ProviderError {
    /// Reads an error object as providers send it, in a body or in the stream:
    /// `{"error":{"message","type","code"}}` (OpenAI and compatibles), `{"type":"error","error":{…}}`
    /// (Anthropic), `{"error":{"code":404,"message","status"}}` (Gemini), `{"error":"…"}` (Ollama).
    /// The kind comes from the provider's own code when it names one, else from the status.
    public init(errorPayload payload: JSON, status: Int?, provider: String) {
        // Responses objects carry `"error": null` when there is none; that is not the error.
        let error = payload["error"].flatMap { $0.isNull ? nil : $0 } ?? payload
        let message =
            error["message"]?.string ?? error.string ?? payload["message"]?.string
            ?? payload["detail"]?.string ?? "unknown error"
        let embeddedStatus = error["status_code"]?.int ?? error["code"]?.int ?? payload["status_code"]?.int
        let effectiveStatus = status ?? embeddedStatus
        // A few statuses say all there is to say; otherwise the provider's own code (more
        // specific than its type: `model_not_found` beats `invalid_request_error`) decides.
        // (A 503 is an overloaded service whatever its body calls it: "server_error", "unavailable".)
        let definitive: Set<Int> = [401, 403, 404, 429, 503, 529]
        let codes = [error["code"]?.string, error["type"]?.string, error["status"]?.string].compactMap { $0 }
        var kind =
            effectiveStatus.flatMap { definitive.contains($0) ? Kind(httpStatus: $0) : nil }
            ?? codes.lazy.compactMap(Kind.init(providerCode:)).first
            ?? effectiveStatus.map(Kind.init(httpStatus:))
            ?? .provider
        // "The engine is currently overloaded" under a plain 500 or server_error says what it is.
        if kind == .server, message.lowercased().contains("overloaded") { kind = .overloaded }
        self.init(kind, "\(provider): \(message)", status: effectiveStatus)
    }
}

extension ProviderError {
    /// Whether this is a model refusing the reasoning fields it was sent: a 400 or 422 whose message
    /// is about reasoning or thinking ("'claude-3-5-haiku-…' does not support thinking",
    /// "Unsupported parameter: 'reasoning_effort' is not supported with this model", "Budget 0 is
    /// invalid. This model only works in thinking mode", xAI's "does not support parameter
    /// reasoningEffort"). Another 400 that mentions them costs one more try, no more.
    public var refusesReasoning: Bool {
        guard kind == .invalidRequest, status == 400 || status == 422 else { return false }
        let text = message.lowercased()
        return ["reasoning", "thinking", "think ", "think value", "budget"].contains { text.contains($0) }
    }
}
