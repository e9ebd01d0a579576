/// What the reducer asks the runtime to do. Descriptions only: the runtime runs each one and
/// reports the outcome back as a `ChatAction`.
public enum ChatEffect: Equatable, Sendable {
    case startStream(StreamStart)
    /// Close the session's connection; the runtime reports `streamCancelled` (or the end that won the race).
    case cancelStream(SessionID)
    /// Writes the conversation's row with its messages in one transaction: the only way a
    /// conversation is inserted, so none is ever written without a message.
    case createConversation(Conversation, messages: [Message])
    /// Updates the row (title, activity, provider, model, system prompt, base URL) and saves the
    /// messages as `persistMessage` does, in one transaction: a turn's question and reply, or a
    /// reply's end, land with the row they change. Never inserts the row, so a conversation another
    /// Parley deleted meanwhile stays deleted.
    case persistConversation(Conversation, messages: [Message])
    /// Upsert by id, in a conversation whose row exists. A user message is written as `sent` (a row
    /// that exists was sent). A message saved without its row: a streaming reply at checkpoints and
    /// when cancelled, a picked reply of a comparison, a branch's messages when it is chosen, a
    /// message sent again; a reply's start and end go with the row (`persistConversation`).
    case persistMessage(Message)
    /// The message and its descendants on every branch.
    case deleteBranch(ConversationID, MessageID)
    case deleteConversation(ConversationID)
    /// Run the calls, all at once; each one's end is reported as `toolCallFinished`.
    case runTools(ConversationID, [ToolInvocation])
    /// Stop the conversation's calls still running; nothing more is reported of them.
    case cancelTools(ConversationID)
}

/// One reply to stream: the conversation's earlier messages as context, for one provider and model.
public struct StreamStart: Equatable, Sendable {
    public var sessionID: SessionID
    public var conversationID: ConversationID
    public var replyMessageID: MessageID
    public var provider: String
    public var model: String
    /// The conversation's base URL (nil: the provider's configured one).
    public var baseURL: String?
    public var request: ChatRequest

    public init(
        sessionID: SessionID, conversationID: ConversationID, replyMessageID: MessageID, provider: String,
        model: String, baseURL: String? = nil, request: ChatRequest
    ) {
        self.sessionID = sessionID
        self.conversationID = conversationID
        self.replyMessageID = replyMessageID
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
        self.request = request
    }
}
