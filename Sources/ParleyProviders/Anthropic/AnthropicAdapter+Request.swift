import ParleyCore

extension AnthropicAdapter {
    static let apiVersion = "2023-06-01"
    /// The Messages API refuses a request without `max_tokens`.
    static let defaultMaxTokens = 8192

    /// `POST {base}/v1/messages` with `stream: true`. The system prompt is a top-level field,
    /// not a message: the chat's own and any system messages are joined into it. The API has no
    /// JSON switch, so JSON output is asked for by an instruction at the end of the system prompt.
    ///
    /// Extended thinking is billed on top of the answer, so it is on only when the user asks
    /// (`thinking: {type: enabled, budget_tokens}`); `max_tokens` then counts the thinking too, so
    /// the budget is added to it (the API refuses a budget that is not below it), and no
    /// temperature is sent (the API refuses any but 1 with thinking).
    static func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        var system = [chat.system].compactMap { $0 } + chat.messages.filter { $0.role == .system }.map(\.content)
        if chat.responseFormat == .json { system.append(ChatRequest.jsonInstruction) }
        let messages = chat.messages.filter { $0.role != .system }.map(\.roleAndContent)
        let thinkingBudget = chat.reasoning.budget.map { max($0, Reasoning.smallestBudget) }
        var body: [String: JSON] = [
            "model": .string(chat.model),
            "max_tokens": .number(Double((chat.maxTokens ?? defaultMaxTokens) + (thinkingBudget ?? 0))),
            "messages": .array(messages),
            "stream": true,
        ]
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        if let thinkingBudget {
            body["thinking"] = ["type": "enabled", "budget_tokens": .number(Double(thinkingBudget))]
        } else if let temperature = chat.temperature {
            body["temperature"] = .number(temperature)
        }
        let key = endpoint.apiKey.map { [HTTPHeader("x-api-key", $0)] } ?? []
        return ProviderRequest(
            url: endpoint.url("/v1/messages"), json: .object(body),
            headers: key + [HTTPHeader("anthropic-version", apiVersion)], endpoint: endpoint)
    }
}
