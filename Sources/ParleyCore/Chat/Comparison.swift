/// One prompt sent to several models at once (compare): their replies stream side by side as
/// siblings under the one user message, and the user picks the one the conversation goes on with.
/// The others stay as branches; nothing is thrown away.
public struct Comparison: Equatable, Sendable {
    /// The most models one prompt goes to: four columns still fit a wide terminal.
    public static let models = 2...4

    /// One compared model and the reply it streams into.
    public struct Reply: Equatable, Sendable {
        public var provider: String
        public var model: String
        /// Where the provider is reached (nil: its configured address).
        public var baseURL: String?
        public var replyMessageID: MessageID
        public var sessionID: SessionID

        public init(
            provider: String, model: String, baseURL: String? = nil, replyMessageID: MessageID, sessionID: SessionID
        ) {
            self.provider = provider
            self.model = model
            self.baseURL = baseURL
            self.replyMessageID = replyMessageID
            self.sessionID = sessionID
        }
    }

    /// The user message every model answers.
    public var userMessageID: MessageID
    /// The replies, in the order the models were chosen: the columns' order.
    public var replies: [Reply]

    public init(userMessageID: MessageID, replies: [Reply]) {
        self.userMessageID = userMessageID
        self.replies = replies
    }
}
