import ParleyCore
import ParleyProviders

extension BufferedReply {
    /// Every update until the reply ends.
    public func collect() async -> [ReplyUpdate] {
        var updates: [ReplyUpdate] = []
        for await update in self.updates { updates.append(update) }
        return updates
    }
}

/// What a test reads from a reply's updates.
extension Array where Element == ReplyUpdate {
    public var events: [StreamEvent] {
        compactMap { if case .event(let event) = $0 { event } else { nil } }
    }

    public var retries: [(error: ProviderError, attempt: Int, delay: Duration)] {
        compactMap { update in
            if case .retrying(let error, let attempt, let delay) = update { (error, attempt, delay) } else { nil }
        }
    }

    /// The time to first token the reply told (`shown`), once, when it showed anything.
    public var timeToFirstToken: Duration? {
        let told = compactMap { if case .shown(let time) = $0 { time } else { nil } }
        return told.count == 1 ? told.first : nil
    }

    /// The metrics of the `finished` update, when it is the last.
    public var finalMetrics: ReplyMetrics? {
        if case .finished(let metrics) = last { metrics } else { nil }
    }

    public var text: String {
        events.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }

    public var error: ProviderError? {
        events.lazy.compactMap { if case .error(let error) = $0 { error } else { nil } }.first
    }

    public var stop: StopReason? {
        events.lazy.compactMap { if case .stop(let reason) = $0 { reason } else { nil } }.first
    }
}

extension ReplyStream {
    /// Runs the reply and returns every update until it ends.
    public func collect() async -> [ReplyUpdate] {
        await buffered().collect()
    }
}
