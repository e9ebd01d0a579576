import ParleyCore

extension OllamaAdapter {
    /// `POST {host}/api/chat` streaming NDJSON. A local server needs no key; one behind a proxy
    /// may, so a key that is set is sent as a bearer token. JSON output is `"format": "json"`.
    ///
    /// By default `think` is not sent: `think: true` makes Ollama refuse a model without thinking
    /// (HTTP 400 "… does not support thinking"), while leaving it out lets a thinking model think,
    /// its thoughts in `message.thinking` (recent Ollama) or in `<think>` tags in the content (older
    /// Ollama), and both reach the thinking pane. Off is `think: false` (which any model accepts);
    /// an effort is `think: true`, or the level itself for gpt-oss, which takes levels. Whether the
    /// model can think is asked first (`reasoningCheck`); one that cannot is asked without.
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
        switch chat.reasoning {
        case .standard: break
        case .off: body["think"] = false
        case .effort, .budget:
            let takesLevels = chat.model.lowercased().hasPrefix("gpt-oss")
            body["think"] = takesLevels ? .string(chat.reasoning.effort?.rawValue ?? "medium") : true
        }
        return ProviderRequest(
            url: endpoint.url("/api/chat"), json: .object(body), accept: "application/x-ndjson",
            headers: endpoint.bearerAuthorization,
            endpoint: endpoint)
    }
}

extension OllamaAdapter {
    /// `POST {host}/api/show` lists a model's `capabilities` (Ollama 0.6.4 and later): one without
    /// "thinking" would refuse `think`. An older Ollama, which lists none, is not second-guessed.
    static func reasoningCheck(model: String, endpoint: ProviderEndpoint) -> ReasoningCheck {
        let request = ProviderRequest(
            url: endpoint.url("/api/show"), json: ["model": .string(model)], accept: "application/json",
            headers: endpoint.bearerAuthorization, endpoint: endpoint)
        return ReasoningCheck(request: request) { answer in
            guard let shown = try? JSON.parse(answer), let capabilities = shown["capabilities"]?.array else {
                return nil
            }
            let names = capabilities.compactMap(\.string)
            guard !names.contains("thinking") else { return nil }
            return ProviderError(
                .invalidRequest,
                "\(model) does not think: Ollama lists what it can do as \(names.joined(separator: ", "))",
                status: 400)
        }
    }
}
