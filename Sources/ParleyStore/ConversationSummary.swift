import ParleyCore

/// A conversation as the sidebar and `parley list` show it.
public struct ConversationSummary: Equatable, Sendable {
    /// What needs the user's attention, if anything.
    public enum Status: Equatable, Sendable {
        case idle
        /// A reply is still pending or streaming.
        case live
        /// The last message failed (a user message not sent, or a reply that ended in an error).
        case failed
        /// The last reply was cut off when the app stopped.
        case interrupted
        /// The last reply was stopped by the user (what arrived is kept).
        case cancelled
    }

    public var conversation: Conversation
    /// Every message, on every branch.
    public var messageCount: Int
    public var status: Status

    public init(conversation: Conversation, messageCount: Int, status: Status) {
        self.conversation = conversation
        self.messageCount = messageCount
        self.status = status
    }
}

/// One conversation with its messages, every branch, in the order they were written.
public struct Transcript: Equatable, Sendable {
    public var conversation: Conversation
    public var messages: [Message]

    /// The current path: what the conversation shows, and what `show` and `export` print.
    public var path: [Message] { ConversationTree.split(messages).path }

    public init(conversation: Conversation, messages: [Message]) {
        self.conversation = conversation
        self.messages = messages
    }
}
