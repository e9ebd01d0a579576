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
        let messages = chat.messages.filter { $0.role != .system }.map(message)
        let thinkingBudget = chat.reasoning.budget.map { max($0, Reasoning.smallestBudget) }
        var body: JSONObject = [
            "model": .string(chat.model),
            "max_tokens": .number(Double((chat.maxTokens ?? defaultMaxTokens) + (thinkingBudget ?? 0))),
            "messages": .array(messages),
            "stream": true,
        ]
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        if !chat.tools.isEmpty {
            body["tools"] = .array(
                chat.tools.map { tool in
                    [
                        "name": .string(tool.name), "description": .string(tool.description),
                        "input_schema": tool.parameters,
                    ]
                })
        }
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

    /// A message as the Messages API takes it. Plain text stays a string; a reply with tool calls
    /// is a list of blocks in the order they came: its signed thinking first (sent back unchanged,
    /// which the API requires during a tool loop; thinking without a signature cannot be sent),
    /// its text, its `tool_use` blocks. Results go back in a user message of `tool_result` blocks.
    static func message(_ message: ChatMessage) -> JSON {
        switch message.role {
        case .system:
            return message.roleAndContent
        case .user:
            return ["role": "user", "content": message.anthropicContent]
        case .assistant:
            guard !message.toolCalls.isEmpty else { return message.roleAndContent }
            let blocks: [JSON] = message.parts.compactMap { part in
                switch part {
                case .thinking(let text, let signature?):
                    ["type": "thinking", "thinking": .string(text), "signature": .string(signature)]
                case .thinking(_, signature: nil), .toolResult, .attachment:
                    nil
                case .text(let text):
                    text.isEmpty ? nil : ["type": "text", "text": .string(text)]
                case .toolCall(let call):
                    [
                        "type": "tool_use", "id": .string(call.id), "name": .string(call.name),
                        "input": call.argumentsObject,
                    ]
                }
            }
            return ["role": "assistant", "content": .array(blocks)]
        case .tool:
            let blocks: [JSON] = message.toolResults.map { result in
                var block: JSONObject = [
                    "type": "tool_result", "tool_use_id": .string(result.callID), "content": .string(result.content),
                ]
                if result.isError { block["is_error"] = true }
                return .object(block)
            }
            return ["role": "user", "content": .array(blocks)]
        }
    }
}
