/// One message of the conversation sent to a model: its parts in the order they came.
public struct ChatMessage: Equatable, Sendable {
    public enum Role: String, Equatable, Sendable {
        case system, user, assistant
        /// The results of a round's tool calls, sent back for the model to go on with.
        case tool
    }

    public var role: Role
    public var parts: [MessagePart]

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.parts = [.text(content)]
    }

    public init(_ role: Role, parts: [MessagePart]) {
        self.role = role
        self.parts = parts
    }

    /// The message's text: its text parts, joined.
    public var content: String {
        parts.reduce(into: "") { text, part in
            if case .text(let piece) = part { text += piece }
        }
    }

    /// The thinking parts' text, joined.
    public var thinking: String {
        parts.reduce(into: "") { text, part in
            if case .thinking(let piece, _) = part { text += piece }
        }
    }

    public var toolCalls: [ToolCall] {
        parts.compactMap { part in
            if case .toolCall(let call) = part { call } else { nil }
        }
    }

    public var toolResults: [ToolResult] {
        parts.compactMap { part in
            if case .toolResult(let result) = part { result } else { nil }
        }
    }

    public var attachments: [Attachment] {
        parts.compactMap { part in
            if case .attachment(let attachment) = part { attachment } else { nil }
        }
    }

    /// The text the model reads: text attachments (named and fenced) before the message's own
    /// text, for every API; images and PDFs go as parts of their own.
    public var contentWithTextFiles: String {
        parts.compactMap { part in
            switch part {
            case .text(let text): text
            case .attachment(let file) where file.kind == .text: file.fencedText
            default: nil
            }
        }.joined(separator: "\n\n")
    }

    /// The attachments a model takes as parts of their own (images, PDFs), not as text.
    public var fileParts: [Attachment] { attachments.filter { $0.kind != .text } }
}

/// A piece of a message. A reply may hold thinking, text and tool calls in the order the model
/// wrote them; a `tool` message holds the results of a round's calls.
public enum MessagePart: Equatable, Sendable {
    case text(String)
    /// The model's reasoning, with the provider's signature of it when one came.
    case thinking(String, signature: String?)
    case toolCall(ToolCall)
    case toolResult(ToolResult)
    /// A file the user attached (a user message's parts come first, then its text).
    case attachment(Attachment)
}

/// What to ask a model: provider-neutral; adapters turn it into their own request body.
public struct ChatRequest: Equatable, Sendable {
    public var model: String
    public var messages: [ChatMessage]
    public var system: String?
    public var maxTokens: Int?
    public var temperature: Double?
    public var responseFormat: ResponseFormat
    /// How much to reason, and whether to show it: each adapter asks in its API's own fields.
    public var reasoning: Reasoning
    /// The tools the model may call; none offered when empty.
    public var tools: [ToolDefinition]

    /// What shape the reply should take.
    public enum ResponseFormat: Equatable, Sendable {
        /// Whatever the model writes.
        case text
        /// One JSON value and nothing else (`parley ask --json`): each API's own switch where it
        /// has one, an instruction in the system prompt where it needs or has none.
        case json
    }

    public init(
        model: String, messages: [ChatMessage], system: String? = nil,
        maxTokens: Int? = nil, temperature: Double? = nil, responseFormat: ResponseFormat = .text,
        reasoning: Reasoning = .standard, tools: [ToolDefinition] = []
    ) {
        self.model = model
        self.messages = messages
        self.system = system
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.responseFormat = responseFormat
        self.reasoning = reasoning
        self.tools = tools
    }

    /// Added to the system prompt when JSON is asked for: Anthropic has no switch for it, and
    /// OpenAI's JSON mode refuses a request whose messages never mention JSON.
    public static let jsonInstruction = "Reply with one valid JSON value and nothing else: no prose, no code fences."

    /// The system prompt with the JSON instruction after it, when JSON is asked for.
    public var systemWithJSONInstruction: String? {
        guard responseFormat == .json else { return system }
        return [system, Self.jsonInstruction].compactMap { $0 }.joined(separator: "\n\n")
    }

    /// The prompt's size in estimated tokens, for providers that report no usage.
    /// The texts are counted as if joined by a newline, not joined: they are the whole conversation.
    public var estimatedInputTokens: Int {
        let texts = [system].compactMap { $0 } + messages.map(\.contentWithTextFiles)
        return Usage.estimatedTokens(bytes: texts.reduce(max(0, texts.count - 1)) { $0 + $1.utf8.count })
    }
}
