import ParleyCore

/// One conversation a search found, with a few words around the match.
public struct SearchResult: Equatable, Sendable {
    public struct Piece: Equatable, Sendable {
        public var text: String
        public var isMatch: Bool

        public init(_ text: String, isMatch: Bool) {
            self.text = text
            self.isMatch = isMatch
        }
    }

    public var conversationID: ConversationID
    public var title: String
    public var snippet: [Piece]
    /// The message that matched, on whichever branch: opening the hit shows its branch.
    public var messageID: MessageID?

    public init(conversationID: ConversationID, title: String, snippet: [Piece], messageID: MessageID? = nil) {
        self.conversationID = conversationID
        self.title = title
        self.snippet = snippet
        self.messageID = messageID
    }
}
