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
    /// As the reply measured it (`ReplyUpdate.shown`): from sending the request of the try that
    /// is shown to its first text, thinking or tool call.
    public var timeToFirstToken: Duration?
    /// Time between consecutive content events as the service received them.
    public var gaps = GapHistogram()
    /// Since the session started: live, and final once it ends.
    public var duration: Duration = .zero
    /// The usage the provider reported (or the decoder estimated), once it came.
    public var usage: Usage?
    public var attempts = 1

    public init() {}

    /// A reply's figures over its rounds (one session each): counts, time and usage summed, time
    /// to first token the first round's (the user's wait for the reply to begin).
    public func followedBy(_ next: SessionMetrics) -> SessionMetrics {
        var both = self
        both.bytes += next.bytes
        both.chunks += next.chunks
        both.events += next.events
        both.textBytes += next.textBytes
        both.timeToFirstToken = timeToFirstToken ?? next.timeToFirstToken
        both.gaps.add(next.gaps)
        both.duration += next.duration
        both.usage =
            switch (usage, next.usage) {
            case (let first?, let second?): first + second
            case (let first, let second): first ?? second
            }
        both.attempts += next.attempts
        return both
    }

    public var maxGap: Duration? { gaps.max }
    public var p95Gap: Duration? { gaps.percentile(0.95) }

    /// Output tokens per second of generation (after the first token): the reported usage once
    /// it came, else an estimate of four text bytes a token.
    public var tokensPerSecond: Double? {
        guard let ttft = timeToFirstToken else { return nil }
        return Usage.tokensPerSecond(
            usage?.outputTokens ?? Usage.estimatedTokens(bytes: textBytes), generating: duration - ttft)
    }
}
