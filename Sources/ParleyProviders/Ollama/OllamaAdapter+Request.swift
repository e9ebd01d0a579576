import ParleyCore

extension OllamaAdapter {
    /// `POST {host}/api/chat` streaming NDJSON. A local server needs no key; one behind a proxy
    /// may, so a key that is set is sent as a bearer token. JSON output is `"format": "json"`.
    ///
    /// `think` is never sent: `think: true` makes Ollama refuse a model without thinking (HTTP 400
    /// "… does not support thinking"), while leaving it out lets a thinking model think by default,
    /// its thoughts in `message.thinking` (recent Ollama) or in `<think>` tags in the content (older
    /// Ollama), and both reach the thinking pane.
    static func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        var body: [String: JSON] = [
            "model": .string(chat.model),
            "messages": .array(chat.messagesWithSystemFirst),
            "stream": true,
        ]
        var options: [String: JSON] = [:]
        if let maxTokens = chat.maxTokens { options["num_predict"] = .number(Double(maxTokens)) }
        if let temperature = chat.temperature { options["temperature"] = .number(temperature) }
        if !options.isEmpty { body["options"] = .object(options) }
        if chat.responseFormat == .json { body["format"] = "json" }
        return ProviderRequest(
            url: endpoint.url("/api/chat"), json: .object(body), accept: "application/x-ndjson",
            headers: endpoint.bearerAuthorization,
            endpoint: endpoint)
    }
}
