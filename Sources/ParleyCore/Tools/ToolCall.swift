/// A tool the model may call: what the request offers it, in every wire format's own shape.
public struct ToolDefinition: Equatable, Sendable {
    public var name: String
    public var description: String
    /// The JSON Schema of the arguments (an object schema, as MCP servers give it).
    public var parameters: JSON

    public init(name: String, description: String, parameters: JSON = ["type": "object", "properties": [:]]) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// The model asking for a tool to be run.
public struct ToolCall: Equatable, Sendable {
    public var id: String
    public var name: String
    /// The arguments as the model wrote them: normally a JSON object, kept as text.
    public var arguments: String
    /// Gemini's `thoughtSignature` on the call's part: sent back with the call exactly as it came,
    /// which Gemini 3 requires.
    public var signature: String?

    public init(id: String, name: String, arguments: String, signature: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.signature = signature
    }

    /// The arguments as a JSON object, for the formats that send them as one (Gemini, Ollama, and
    /// Anthropic's `input`); arguments that are not an object are sent as an empty one.
    public var argumentsObject: JSON {
        guard let parsed = try? JSON.parse(arguments), parsed.object != nil else { return [:] }
        return parsed
    }
}

/// What running a tool call gave: the text sent back to the model, or the reason it failed or was
/// refused (sent back too, so the model can go on without it).
public struct ToolResult: Equatable, Sendable {
    /// The call this answers (`ToolCall.id`).
    public var callID: String
    /// The tool's name: Gemini and Ollama answer a call by name.
    public var name: String
    public var content: String
    public var isError: Bool
    /// How long the tool took, when it ran (not for a refused call); shown, never sent.
    public var duration: Duration?

    public init(callID: String, name: String, content: String, isError: Bool = false, duration: Duration? = nil) {
        self.callID = callID
        self.name = name
        self.content = content
        self.isError = isError
        self.duration = duration
    }
}

extension ChatMessage {
    /// A reply as the next request of a tool loop sends it back: its parts in the order they
    /// streamed, runs of text and of thinking joined, each signature kept with the thinking it
    /// signs (a signature after text, as Gemini may send, becomes a signed part of its own).
    public init(replyOf events: [StreamEvent]) {
        var parts: [MessagePart] = []
        for event in events {
            switch (event, parts.last) {
            case (.text(let more), .text(let text)?): parts[parts.count - 1] = .text(text + more)
            case (.text(let text), _): parts.append(.text(text))
            case (.thinking(let more), .thinking(let text, signature: nil)?):
                parts[parts.count - 1] = .thinking(text + more, signature: nil)
            case (.thinking(let text), _): parts.append(.thinking(text, signature: nil))
            case (.thinkingSignature(let signature), .thinking(let text, signature: nil)?):
                parts[parts.count - 1] = .thinking(text, signature: signature)
            case (.thinkingSignature(let signature), _): parts.append(.thinking("", signature: signature))
            case (.toolCall(let call), _): parts.append(.toolCall(call))
            default: break
            }
        }
        self.init(.assistant, parts: parts)
    }
}
