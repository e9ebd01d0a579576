import ParleyCore

extension GeminiAdapter {
    /// `POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse`. Gemini's roles are
    /// `user` and `model`; the system prompt (the chat's own and any system messages) goes in
    /// `systemInstruction`. JSON output is `generationConfig.responseMimeType`.
    ///
    /// Gemini 2.5 and 3 models think but only return their thoughts when asked with
    /// `thinkingConfig.includeThoughts`; models that cannot think (gemini-2.0-flash, the image
    /// and speech models) refuse the whole request with a 400 when it is set, so it is sent
    /// only to the families known to think.
    static func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        let system = [chat.system].compactMap { $0 } + chat.messages.filter { $0.role == .system }.map(\.content)
        let contents: [JSON] = chat.messages.filter { $0.role != .system }.map {
            ["role": $0.role == .assistant ? "model" : "user", "parts": [["text": .string($0.content)]]]
        }
        var body: [String: JSON] = ["contents": .array(contents)]
        if !system.isEmpty {
            body["systemInstruction"] = ["parts": [["text": .string(system.joined(separator: "\n\n"))]]]
        }
        var generation: [String: JSON] = [:]
        if let maxTokens = chat.maxTokens { generation["maxOutputTokens"] = .number(Double(maxTokens)) }
        if let temperature = chat.temperature { generation["temperature"] = .number(temperature) }
        if let thinking = thinkingConfig(chat.reasoning, model: chat.model) { generation["thinkingConfig"] = thinking }
        if chat.responseFormat == .json { generation["responseMimeType"] = "application/json" }
        if !generation.isEmpty { body["generationConfig"] = .object(generation) }
        let key = endpoint.apiKey.map { [HTTPHeader("x-goog-api-key", $0)] } ?? []
        return ProviderRequest(
            url: endpoint.url("/v1beta/models/\(chat.model):streamGenerateContent?alt=sse"), json: .object(body),
            headers: key, endpoint: endpoint)
    }

    /// By default the thoughts of a model that thinks anyway; a budget (`thinkingBudget`, which
    /// Gemini 3 accepts as well as 2.5) when the user sets one. Off is a budget of 0 on 2.5 and the
    /// lowest level on 3, whose models cannot stop thinking.
    static func thinkingConfig(_ reasoning: Reasoning, model: String) -> JSON? {
        switch reasoning {
        case .standard: showsThoughts(model) ? ["includeThoughts": true] : nil
        case .off: isGemini3(model) ? ["thinkingLevel": "low"] : ["thinkingBudget": 0]
        case .effort, .budget:
            ["thinkingBudget": .number(Double(reasoning.budget ?? 0)), "includeThoughts": true]
        }
    }

    static func isGemini3(_ model: String) -> Bool {
        (model.split(separator: "/").last.map { $0.lowercased() } ?? "").hasPrefix("gemini-3")
    }

    static func showsThoughts(_ model: String) -> Bool {
        let name = model.split(separator: "/").last.map { $0.lowercased() } ?? ""
        let thinkingFamily = name.hasPrefix("gemini-2.5") || name.hasPrefix("gemini-3") || name.contains("thinking")
        return thinkingFamily && !name.contains("image") && !name.contains("tts")
    }
}
