/// One message of a conversation: the user's, or a model's reply with everything it came with.
public struct Message: Equatable, Sendable {
    public enum Status: String, Equatable, Sendable, CaseIterable {
        // A user message: shown at once, then confirmed, or failed with its text kept for retry.
        case sending, sent
        // A reply: a placeholder at once, then growing, then how it ended.
        case pending, streaming, complete, cancelled
        /// The app stopped (crash, kill -9, power) while this reply streamed; the text up to the
        /// last checkpoint is kept.
        case interrupted
        /// A user message that could not be sent, or a reply that ended in an error.
        case failed
    }

    public var id: MessageID
    public var conversationID: ConversationID
    public var role: ChatMessage.Role
    public var status: Status
    public var text: String
    public var thinking: String
    /// How many reasoning blocks the provider withheld (their content is never available).
    public var redactedThinking: Int
    public var toolCalls: [ToolCall]
    /// A `tool` message's results of the round before it, one per call, in the calls' order. Its
    /// `text` is their contents, so search finds what tools said.
    public var toolResults: [ToolResult]
    /// The files a user message carries, in the order they were attached.
    public var attachments: [Attachment]
    public var createdAt: Timestamp
    /// For replies: who wrote it and what it cost.
    public var provider: String?
    public var model: String?
    /// The reasoning setting a reply was asked with (the default when the model refused another).
    public var reasoning: Reasoning
    public var usage: Usage?
    public var stopReason: StopReason?
    public var error: ProviderError?
    /// Time to first token and the whole reply's duration.
    public var timeToFirstToken: Duration?
    public var duration: Duration?
    /// How long the model thought before it began its answer (from the request to the first text,
    /// or to the end when only thinking came); nil when it did not think.
    public var thinkingDuration: Duration?
    /// The message this one follows (the user's message a reply answers, the reply a next message
    /// continues); nil for a first message. Messages with the same parent are siblings: the
    /// branches a regenerated reply or an edited message made (`ConversationTree`).
    public var parentID: MessageID?
    /// When the user last chose this branch among its siblings; nil when never (a branch counts as
    /// chosen when it was made).
    public var chosenAt: Timestamp?
    /// Part of compacting the conversation: the request for a summary, or the summary.
    public var compaction: Compaction?

    public init(
        id: MessageID, conversationID: ConversationID, role: ChatMessage.Role, status: Status, text: String = "",
        thinking: String = "", redactedThinking: Int = 0, toolCalls: [ToolCall] = [], toolResults: [ToolResult] = [],
        attachments: [Attachment] = [], createdAt: Timestamp,
        provider: String? = nil, model: String? = nil, reasoning: Reasoning = .standard, usage: Usage? = nil,
        stopReason: StopReason? = nil,
        error: ProviderError? = nil, timeToFirstToken: Duration? = nil, duration: Duration? = nil,
        thinkingDuration: Duration? = nil, parentID: MessageID? = nil, chosenAt: Timestamp? = nil,
        compaction: Compaction? = nil
    ) {
        self.compaction = compaction
        self.id = id
        self.conversationID = conversationID
        self.role = role
        self.status = status
        self.text = text
        self.thinking = thinking
        self.redactedThinking = redactedThinking
        self.toolCalls = toolCalls
        self.toolResults = toolResults
        self.attachments = attachments
        self.createdAt = createdAt
        self.provider = provider
        self.model = model
        self.reasoning = reasoning
        self.usage = usage
        self.stopReason = stopReason
        self.error = error
        self.timeToFirstToken = timeToFirstToken
        self.duration = duration
        self.thinkingDuration = thinkingDuration
        self.parentID = parentID
        self.chosenAt = chosenAt
    }

    /// Still receiving text: a reply waiting for or in the middle of its stream.
    public var isLive: Bool { status == .pending || status == .streaming }
}
