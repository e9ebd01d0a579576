import ParleyCore

/// Messages as the chat APIs take them (OpenAI Chat, and Ollama's native API, which shares the
/// shape but for two fields), and the tools in the same shape.
extension ChatMessage {
    /// `{"role": …, "content": …}`, the message shape of OpenAI-style APIs.
    var roleAndContent: JSON {
        ["role": .string(role.rawValue), "content": .string(content)]
    }

    /// The two message shapes of chat APIs: OpenAI Chat's, and Ollama's, which is the same but for
    /// a call's arguments (an object, not a string) and a result naming its tool, not its call.
    enum Shape {
        case openAIChat, ollama
    }

    /// The message as chat APIs take it: an assistant message carries its calls in `tool_calls`
    /// (with no content when it wrote no text), and each tool result is a `tool` message of its own.
    /// `reasoningWithToolCalls`: the reasoning that led to the calls goes with them, as
    /// `reasoning_content` (`ChatDialect.sendsReasoningWithToolCalls`).
    func chatMessages(_ shape: Shape = .openAIChat, reasoningWithToolCalls: Bool = false) -> [JSON] {
        let argumentsAsObject = shape == .ollama
        switch role {
        case .system:
            return [roleAndContent]
        case .user:
            guard argumentsAsObject else { return [["role": "user", "content": openAIChatContent]] }
            var message: JSONObject = ["role": "user", "content": .string(contentWithTextFiles)]
            message["images"] = ollamaImages
            return [.object(message)]
        case .assistant:
            let calls = toolCalls
            guard !calls.isEmpty else { return [roleAndContent] }
            var message: JSONObject = [
                "role": "assistant",
                "tool_calls": .array(
                    calls.map { call in
                        var function: JSONObject = ["name": .string(call.name)]
                        function["arguments"] = argumentsAsObject ? call.argumentsObject : .string(call.arguments)
                        return argumentsAsObject
                            ? ["function": .object(function)]
                            : ["id": .string(call.id), "type": "function", "function": .object(function)]
                    }),
            ]
            message["content"] = content.isEmpty && !argumentsAsObject ? .null : .string(content)
            if reasoningWithToolCalls, !thinking.isEmpty { message["reasoning_content"] = .string(thinking) }
            return [.object(message)]
        case .tool:
            return toolResults.map { result in
                argumentsAsObject
                    ? ["role": "tool", "tool_name": .string(result.name), "content": .string(result.content)]
                    : ["role": "tool", "tool_call_id": .string(result.callID), "content": .string(result.content)]
            }
        }
    }
}

extension ChatRequest {
    /// The system prompt (when set) as the first `system` message, then the conversation.
    func messagesWithSystemFirst(_ shape: ChatMessage.Shape = .openAIChat, reasoningWithToolCalls: Bool = false)
        -> [JSON]
    {
        (system.map { [ChatMessage(.system, $0)] } ?? []).flatMap { $0.chatMessages(shape) }
            + messages.flatMap { $0.chatMessages(shape, reasoningWithToolCalls: reasoningWithToolCalls) }
    }

    /// The tools in OpenAI Chat's shape, which Ollama shares: `{type: function, function: {…}}`.
    var functionTools: JSON {
        .array(
            tools.map { tool in
                [
                    "type": "function",
                    "function": [
                        "name": .string(tool.name), "description": .string(tool.description),
                        "parameters": tool.parameters,
                    ],
                ]
            })
    }
}
