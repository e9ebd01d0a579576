import ParleyCore

/// What a streamed reply reports to its consumer, in order: normalized events (start first,
/// then content, usage, and exactly one stop), perhaps `retrying` notices before any of them,
/// and `finished` last, whatever happened.
public enum ReplyUpdate: Equatable, Sendable {
    /// The reply begins to show: its first text, thinking or tool call follows. Time to first
    /// token is measured here, once, by the reply: from sending the request of the try that is
    /// shown (retries that failed unseen do not count) to its first content.
    case shown(timeToFirstToken: Duration)
    case event(StreamEvent)
    /// Try number `attempt` (1 for the first) failed with `error` before anything was shown;
    /// the next try starts after `delay`.
    case retrying(ProviderError, attempt: Int, delay: Duration)
    /// The reply is over; always the last update, after the `.stop` event.
    case finished(ReplyMetrics)
}

/// How the reply went over the wire. Times and counts are those of the last try, the one
/// whose reply was shown, so that speed is not diluted by retries; `attempts` says how many
/// tries there were. (Its time to first token came with `ReplyUpdate.shown`.)
public struct ReplyMetrics: Equatable, Sendable {
    /// From sending the request to the end of the reply.
    public var duration: Duration
    /// Pieces of the body as they arrived from the network.
    public var chunks: Int
    /// Bytes of the body (the error body for a failed status).
    public var bytes: Int
    public var attempts: Int

    public init(duration: Duration, chunks: Int, bytes: Int, attempts: Int) {
        self.duration = duration
        self.chunks = chunks
        self.bytes = bytes
        self.attempts = attempts
    }
}

/// Who a reply is from, as errors name it: "401 from OpenAI: … Check OPENAI_API_KEY."
public struct ReplyTarget: Equatable, Sendable {
    /// The provider's display name: "OpenAI", "Groq".
    public var providerName: String
    /// The variable the key came from, named in auth errors; nil for servers without keys.
    public var keyVariable: String?

    public init(providerName: String, keyVariable: String? = nil) {
        self.providerName = providerName
        self.keyVariable = keyVariable
    }
}
