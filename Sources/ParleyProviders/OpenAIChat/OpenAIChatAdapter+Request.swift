import ParleyCore

extension OpenAIChatAdapter {
    /// `POST {base}/chat/completions` with `stream: true` and `stream_options.include_usage`,
    /// so the final chunk carries the token counts. JSON output is `response_format: json_object`
    /// (with the instruction in the system prompt, which JSON mode requires). Reasoning is asked
    /// for in the service's own fields (`ChatDialect`). Tools go in `tools`; earlier calls in the
    /// assistant's `tool_calls`, their results as `tool` messages (`ChatMessage.chatMessages`).
    static func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        var chat = chat
        chat.system = chat.systemWithJSONInstruction
        var body: JSONObject = [
            "model": .string(chat.model),
            "messages": .array(
                chat.messagesWithSystemFirst(reasoningWithToolCalls: endpoint.dialect.sendsReasoningWithToolCalls)),
            "stream": true,
            "stream_options": ["include_usage": true],
        ]
        if let maxTokens = chat.maxTokens {
            body[limitsCompletionTokens(chat.model) ? "max_completion_tokens" : "max_tokens"] = .number(
                Double(maxTokens))
        }
        if let temperature = chat.temperature { body["temperature"] = .number(temperature) }
        if chat.responseFormat == .json { body["response_format"] = ["type": "json_object"] }
        if !chat.tools.isEmpty { body["tools"] = chat.functionTools }
        body.merge(endpoint.dialect.reasoningFields(chat.reasoning)) { _, reasoning in reasoning }
        return ProviderRequest(
            url: endpoint.url("/chat/completions"), json: .object(body), headers: endpoint.bearerAuthorization,
            endpoint: endpoint)
    }

    /// OpenAI's reasoning models refuse `max_tokens` ("use 'max_completion_tokens' instead"),
    /// while many compatible servers know only `max_tokens`; so the newer name goes only to
    /// the o-series and gpt-5 families (a router's vendor prefix, "openai/o3", is ignored).
    static func limitsCompletionTokens(_ model: String) -> Bool {
        let name = model.split(separator: "/").last.map { $0.lowercased() } ?? ""
        return ["o1", "o3", "o4", "gpt-5"].contains {
            name == $0 || name.hasPrefix($0 + "-") || name.hasPrefix($0 + ".")
        }
    }
}
