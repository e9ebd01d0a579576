import ParleyCore

extension OpenAIResponsesAdapter {
    /// `POST {base}/responses` with `stream: true`; the system prompt goes in `instructions`.
    /// JSON output is `text.format: json_object` (with the instruction, which it requires).
    /// An effort the user asks for goes to any model (one that refuses it is asked again without);
    /// by default only a reasoning summary is asked for, of the models known to reason. Tools are
    /// `{type: function, name, …}` items of `tools`.
    static func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        var body: JSONObject = [
            "model": .string(chat.model),
            "input": .array(chat.messages.flatMap(inputItems)),
            "stream": true,
        ]
        if let system = chat.systemWithJSONInstruction { body["instructions"] = .string(system) }
        if chat.responseFormat == .json { body["text"] = ["format": ["type": "json_object"]] }
        if !chat.tools.isEmpty {
            body["tools"] = .array(
                chat.tools.map { tool in
                    [
                        "type": "function", "name": .string(tool.name), "description": .string(tool.description),
                        "parameters": tool.parameters,
                    ]
                })
        }
        if let maxTokens = chat.maxTokens { body["max_output_tokens"] = .number(Double(maxTokens)) }
        if let temperature = chat.temperature { body["temperature"] = .number(temperature) }
        switch chat.reasoning {
        case .standard: if streamsReasoningSummary(chat.model) { body["reasoning"] = ["summary": "auto"] }
        case .off: break
        case .effort, .budget:
            body["reasoning"] = ["effort": .string(chat.reasoning.effort?.rawValue ?? "medium"), "summary": "auto"]
        }
        return ProviderRequest(
            url: endpoint.url("/responses"), json: .object(body), headers: endpoint.bearerAuthorization,
            endpoint: endpoint)
    }

    /// Whether to ask for a reasoning summary, the only reasoning OpenAI streams. Reasoning models
    /// send none unless asked, but every other model rejects the parameter with HTTP 400
    /// ("Unsupported parameter: 'reasoning.summary' is not supported with the 'gpt-4.1-…' model";
    /// gpt-4o rejects any `reasoning`), and so do reasoning-free names inside the reasoning families
    /// (`gpt-5-chat-latest`, `gpt-5.3-codex-spark`). So it is sent only to the o3/o4 and gpt-5
    /// families, minus those; a router's vendor prefix ("openai/gpt-5") is ignored. A model this
    /// misses still answers, just without a thinking pane.
    /// A message as input items: text as a message item, each call as a `function_call` item and
    /// each result as a `function_call_output` item, answering its call by `call_id`. A reply's
    /// signed thinking (within a tool loop) goes back as its `reasoning` item, by id, before the
    /// calls it led to, as reasoning models require.
    static func inputItems(_ message: ChatMessage) -> [JSON] {
        switch message.role {
        case .system:
            return [message.roleAndContent]
        case .user:
            return [["role": "user", "content": message.responsesContent]]
        case .assistant:
            let text: [JSON] = message.content.isEmpty && !message.toolCalls.isEmpty ? [] : [message.roleAndContent]
            let reasoning: [JSON] = message.parts.compactMap { part in
                guard case .thinking(let summary, let id?) = part else { return nil }
                return [
                    "type": "reasoning", "id": .string(id),
                    "summary": summary.isEmpty ? [] : [["type": "summary_text", "text": .string(summary)]],
                ]
            }
            return reasoning + text
                + message.toolCalls.map { call in
                    [
                        "type": "function_call", "call_id": .string(call.id), "name": .string(call.name),
                        "arguments": .string(call.arguments),
                    ]
                }
        case .tool:
            return message.toolResults.map { result in
                ["type": "function_call_output", "call_id": .string(result.callID), "output": .string(result.content)]
            }
        }
    }

    static func streamsReasoningSummary(_ model: String) -> Bool {
        let name = model.split(separator: "/").last.map { $0.lowercased() } ?? ""
        guard !name.contains("chat"), !name.contains("spark") else { return false }
        return name.hasPrefix("gpt-5") || name.hasPrefix("o3") || name.hasPrefix("o4")
    }
}
