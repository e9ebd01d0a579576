import ParleyCore

extension OpenAIChatAdapter {
    /// `POST {base}/chat/completions` with `stream: true` and `stream_options.include_usage`,
    /// so the final chunk carries the token counts.
    static func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        var messages: [JSON] = []
        if let system = chat.system { messages.append(["role": "system", "content": .string(system)]) }
        for message in chat.messages {
            messages.append(["role": .string(message.role.rawValue), "content": .string(message.content)])
        }
        var body: [String: JSON] = [
            "model": .string(chat.model),
            "messages": .array(messages),
            "stream": true,
            "stream_options": ["include_usage": true],
        ]
        if let maxTokens = chat.maxTokens { body["max_tokens"] = .number(Double(maxTokens)) }
        if let temperature = chat.temperature { body["temperature"] = .number(temperature) }
        let auth = endpoint.apiKey.map { [HTTPHeader("Authorization", "Bearer \($0)")] } ?? []
        return ProviderRequest(
            url: endpoint.url("/chat/completions"), json: .object(body), headers: auth, endpoint: endpoint)
    }
}
