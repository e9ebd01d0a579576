import ParleyCore

/// When a reply that failed before showing anything is tried again: network failures, 429,
/// 5xx and overloaded, at most `maxAttempts` tries in all, waiting longer each time.
public struct RetryPolicy: Equatable, Sendable {
    /// Tries in all, the first included; 1 never retries.
    public var maxAttempts: Int
    /// The wait before the second try; each later wait doubles, up to `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// How long to wait after try number `attempt` (1 for the first) failed with `failure`,
    /// or nil when it must not be tried again.
    ///
    /// - Parameter jitter: a random number in 0...1. The wait is between half and all of the
    ///   exponential delay, so that clients that failed together do not retry together.
    ///   A provider's Retry-After is a minimum; one longer than four times `maxDelay` means
    ///   "not soon", and the error is shown with it instead.
    public func delay(after attempt: Int, failure: ProviderError, jitter: Double) -> Duration? {
        guard failure.isRetryable, attempt < maxAttempts else { return nil }
        let doublings = min(max(attempt - 1, 0), 30)
        let exponential = min(maxDelay, baseDelay * (1 << doublings))
        let jittered = exponential * (0.5 + 0.5 * min(max(jitter, 0), 1))
        guard let retryAfter = failure.retryAfter else { return jittered }
        let asked = Duration.milliseconds(Int64((max(retryAfter, 0) * 1000).rounded(.up)))
        guard asked <= maxDelay * 4 else { return nil }
        return max(asked, jittered)
    }
}
