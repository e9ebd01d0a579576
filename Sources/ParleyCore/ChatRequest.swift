/// One message of the conversation sent to a model.
public struct ChatMessage: Equatable, Sendable {
    public enum Role: String, Equatable, Sendable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// What to ask a model: provider-neutral; adapters turn it into their own request body.
public struct ChatRequest: Equatable, Sendable {
    public var model: String
    public var messages: [ChatMessage]
    public var system: String?
    public var maxTokens: Int?
    public var temperature: Double?

    public init(
        model: String, messages: [ChatMessage], system: String? = nil,
        maxTokens: Int? = nil, temperature: Double? = nil
    ) {
        self.model = model
        self.messages = messages
        self.system = system
        self.maxTokens = maxTokens
        self.temperature = temperature
    }

    /// The prompt's size in estimated tokens, for providers that report no usage.
    public var estimatedInputTokens: Int {
        let all = ([system].compactMap { $0 } + messages.map(\.content)).joined(separator: "\n")
        return Usage.estimatedTokens(in: all)
    }
}
