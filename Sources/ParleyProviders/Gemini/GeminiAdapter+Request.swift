import ParleyCore

extension GeminiAdapter {
    /// `POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse`. Gemini's roles are
    /// `user` and `model`; the system prompt (the chat's own and any system messages) goes in
    /// `systemInstruction`. JSON output is `generationConfig.responseMimeType`. Tools are
    /// `functionDeclarations`, their schemas as JSON Schema (`parametersJsonSchema`, which takes
    /// what MCP servers give, where `parameters` takes only an OpenAPI subset).
    ///
    /// Gemini 2.5 and 3 models think but only return their thoughts when asked with
    /// `thinkingConfig.includeThoughts`; models that cannot think (gemini-2.0-flash, the image
    /// and speech models) refuse the whole request with a 400 when it is set, so it is sent
    /// only to the families known to think.
    static func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        let system = [chat.system].compactMap { $0 } + chat.messages.filter { $0.role == .system }.map(\.content)
        let contents: [JSON] = chat.messages.filter { $0.role != .system }.map(content)
        var body: JSONObject = ["contents": .array(contents)]
        if !chat.tools.isEmpty {
            body["tools"] = [
                [
                    "functionDeclarations": .array(
                        chat.tools.map { tool in
                            [
                                "name": .string(tool.name), "description": .string(tool.description),
                                "parametersJsonSchema": tool.parameters,
                            ]
                        })
                ]
            ]
        }
        if !system.isEmpty {
            body["systemInstruction"] = ["parts": [["text": .string(system.joined(separator: "\n\n"))]]]
        }
        var generation: JSONObject = [:]
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

    /// A message as a `content`: the user's and results as role `user`, replies as `model`. A reply
    /// with tool calls keeps its parts in order, each signed part with its `thoughtSignature`
    /// exactly as it came (Gemini 3 refuses a call sent back without it); a result is a
    /// `functionResponse` naming its tool and call.
    static func content(_ message: ChatMessage) -> JSON {
        switch message.role {
        case .system, .user:
            return ["role": "user", "parts": message.geminiParts]
        case .assistant:
            guard !message.toolCalls.isEmpty else {
                return ["role": "model", "parts": [["text": .string(message.content)]]]
            }
            let parts: [JSON] = message.parts.compactMap { part in
                switch part {
                case .thinking(let text, let signature?):
                    ["thought": true, "text": .string(text), "thoughtSignature": .string(signature)]
                case .thinking(_, signature: nil), .toolResult, .attachment:
                    nil
                case .text(let text):
                    text.isEmpty ? nil : ["text": .string(text)]
                case .toolCall(let call):
                    signed(
                        [
                            "functionCall": [
                                "id": .string(call.id), "name": .string(call.name), "args": call.argumentsObject,
                            ]
                        ], call.signature)
                }
            }
            return ["role": "model", "parts": .array(parts)]
        case .tool:
            let parts: [JSON] = message.toolResults.map { result in
                [
                    "functionResponse": [
                        "id": .string(result.callID), "name": .string(result.name),
                        "response": [result.isError ? "error" : "result": .string(result.content)],
                    ]
                ]
            }
            return ["role": "user", "parts": .array(parts)]
        }
    }

    private static func signed(_ part: JSONObject, _ signature: String?) -> JSON {
        var part = part
        if let signature { part["thoughtSignature"] = .string(signature) }
        return .object(part)
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
