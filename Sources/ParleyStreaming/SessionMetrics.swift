import ParleyCore
import ParleyProviders

/// How one session is going: live counts while it streams, the transport's figures once it ends.
public struct SessionMetrics: Equatable, Sendable {
    /// Bytes and pieces of the body over the wire: known when the reply ends.
    public var bytes = 0
    public var chunks = 0
    /// Stream events received so far (live).
    public var events = 0
    /// UTF-8 bytes of text and thinking received so far (live).
    public var textBytes = 0
    /// From the start of the session to the first text, thinking or tool call; at the end,
    /// the transport's own figure (of the try that was shown) replaces it.
    public var timeToFirstToken: Duration?
    /// Time between consecutive content events as the service received them.
    public var gaps = GapHistogram()
    /// Since the session started: live, and final once it ends.
    public var duration: Duration = .zero
    /// The usage the provider reported (or the decoder estimated), once it came.
    public var usage: Usage?
    public var attempts = 1

    public init() {}

    public var maxGap: Duration? { gaps.max }
    public var p95Gap: Duration? { gaps.percentile(0.95) }

    /// Output tokens per second of generation (after the first token): the reported usage once
    /// it came, else an estimate of four text bytes a token.
    public var tokensPerSecond: Double? {
        guard let ttft = timeToFirstToken else { return nil }
        let generating = (duration - ttft).fractionalSeconds
        guard generating > 0 else { return nil }
        let tokens = usage.map { $0.outputTokens } ?? (textBytes + 3) / 4
        return Double(tokens) / generating
    }
}
