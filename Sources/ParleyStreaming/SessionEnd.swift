import ParleyCore

/// How a session ended, with its final metrics; the last thing the service says about it.
public struct SessionEnd: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable {
        /// The reply came to its end (whatever its stop reason: end of turn, max tokens, …).
        case finished
        /// The provider or the network failed; the partial text was delivered before this.
        case failed(ProviderError)
        case cancelled
        /// A connect, first-byte or idle timeout of the transport, or the session's time limit.
        case timedOut(ProviderError)
    }

    public var outcome: Outcome
    public var metrics: SessionMetrics

    public init(outcome: Outcome, metrics: SessionMetrics) {
        self.outcome = outcome
        self.metrics = metrics
    }
}
