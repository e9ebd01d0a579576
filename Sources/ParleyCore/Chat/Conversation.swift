/// A conversation as the sidebar lists it. Its messages are kept apart (`Message.conversationID`).
public struct Conversation: Equatable, Sendable {
    public var id: ConversationID
    /// From the first user message (trimmed) until the user renames it; "Untitled" before that.
    public var title: String
    public var createdAt: Timestamp
    /// The last activity (a message sent or a reply received): the sidebar's order, newest first.
    public var updatedAt: Timestamp
    /// The provider and model new replies in this conversation use.
    public var provider: String
    public var model: String
    public var systemPrompt: String?
    /// Where its replies are requested: the provider's base URL when the conversation was made
    /// (or moved by an explicit choice), so continuing it never sends it somewhere else. Nil for
    /// the demo, and for conversations saved before Parley kept it: the provider's configured one.
    public var baseURL: String?
    /// How much new replies reason; a model that refuses the setting puts it back to the default.
    public var reasoning: Reasoning

    public static let untitled = "Untitled"

    public init(
        id: ConversationID, title: String = Conversation.untitled, createdAt: Timestamp, updatedAt: Timestamp? = nil,
        provider: String, model: String, systemPrompt: String? = nil, baseURL: String? = nil,
        reasoning: Reasoning = .standard
    ) {
        self.id = id
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.provider = provider
        self.model = model
        self.systemPrompt = systemPrompt
        self.baseURL = baseURL
        self.reasoning = reasoning
    }

    /// A title from the first line of the user's first message: trimmed, at most 60 characters.
    public static func title(from text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        let title = line.trimmed
        guard !title.isEmpty else { return untitled }
        return title.count <= 60 ? title : String(title.prefix(59)) + "…"
    }
}
