/// What one session streamed during one batching window, ready to fold into the store in one
/// step: consecutive text deltas are joined, as are consecutive thinking deltas; everything
/// else keeps its place, so order is preserved.
public struct Batch: Equatable, Sendable {
    public var events: [StreamEvent] = []
    /// How many stream events went into this batch (for traces: how much was merged).
    public var eventCount = 0
    /// Once the reply has begun to show: its time to first token, as the reply measured it.
    public var timeToFirstToken: Duration?

    public init(events: [StreamEvent] = []) {
        for event in events { append(event) }
    }

    public var isEmpty: Bool { events.isEmpty }

    public mutating func append(_ event: StreamEvent) {
        eventCount += 1
        switch (events.last, event) {
        case (.text(let earlier)?, .text(let more)):
            events[events.count - 1] = .text(earlier + more)
        case (.thinking(let earlier)?, .thinking(let more)):
            events[events.count - 1] = .thinking(earlier + more)
        default:
            events.append(event)
        }
    }

    /// True when the batch ends the reply (its stop is in it); nothing follows it.
    public var endsReply: Bool {
        events.contains { if case .stop = $0 { true } else { false } }
    }
}
