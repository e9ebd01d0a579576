/// One line of the sidebar.
public struct ConversationRow: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        case idle, streaming, failed, interrupted
        /// A tool call waits for the user's consent: the reply goes on once they answer.
        case waitingForConsent
    }

    public var id: ConversationID
    public var title: String
    public var updatedAt: Timestamp
    public var status: Status
    public var isUnread: Bool

    public init(id: ConversationID, title: String, updatedAt: Timestamp, status: Status, isUnread: Bool) {
        self.id = id
        self.title = title
        self.updatedAt = updatedAt
        self.status = status
        self.isUnread = isUnread
    }
}

extension ChatState {
    public var conversationCount: Int { order.count }

    /// The rows at `positions` of the list (newest activity first), clamped to the list: O(rows asked for).
    public func conversationRows(_ positions: Range<Int>) -> [ConversationRow] {
        let clamped = positions.clamped(to: 0..<order.count)
        return order[clamped].map { row(for: $0) }
    }

    public var conversationList: [ConversationRow] { conversationRows(0..<order.count) }

    public var selectedTranscript: [Message] {
        selectedConversationID.flatMap { transcripts[$0] } ?? []
    }

    /// Decided by the last two messages (a reply and the user message it answers), and a reply
    /// streaming on another branch: O(1) for a conversation without branches.
    public func status(of id: ConversationID) -> ConversationRow.Status {
        if let saved = unloadedTranscripts[id] { return saved }
        // An array slice, not `Sequence.suffix`, which would copy every message to keep two.
        guard let recent = transcripts[id]?.suffix(2) else { return .idle }
        if let loop = toolLoops[id], !loop.calls.isEmpty {
            return loop.awaitingConsent != nil ? .waitingForConsent : .streaming
        }
        if recent.contains(where: \.isLive) || otherBranches[id]?.contains(where: \.isLive) == true {
            return .streaming
        }
        if recent.contains(where: { $0.status == .failed }) { return .failed }
        if recent.last?.status == .interrupted { return .interrupted }
        return .idle
    }

    private func row(for id: ConversationID) -> ConversationRow {
        let conversation = conversations[id]!
        return ConversationRow(
            id: id, title: conversation.title, updatedAt: conversation.updatedAt, status: status(of: id),
            isUnread: unread.contains(id))
    }
}
