/// What the reducer asks the runtime to do. Descriptions only: the runtime runs each one and
/// reports the outcome back as a `ChatAction`.
public enum ChatEffect: Equatable, Sendable {
    case startStream(StreamStart)
    /// Close the session's connection; the runtime reports `streamCancelled` (or the end that won the race).
    case cancelStream(SessionID)
    case persistConversation(Conversation)
    /// Upsert by id. A user message is written as `sent` (a row that exists was sent), and a reply's
    /// `previousVersions` are written with it. Reply saves: when it starts, at checkpoints, when it ends.
    case persistMessage(Message)
    case deleteConversation(ConversationID)
}

/// One reply to stream: the conversation's earlier messages as context, for one provider and model.
public struct StreamStart: Equatable, Sendable {
    public var sessionID: SessionID
    public var conversationID: ConversationID
    public var replyMessageID: MessageID
    public var provider: String
    public var model: String
    public var request: ChatRequest

    public init(
        sessionID: SessionID, conversationID: ConversationID, replyMessageID: MessageID, provider: String,
        model: String, request: ChatRequest
    ) {
        self.sessionID = sessionID
        self.conversationID = conversationID
        self.replyMessageID = replyMessageID
        self.provider = provider
        self.model = model
        self.request = request
    }
}
