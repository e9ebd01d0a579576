import Synchronization

/// The replies under way: how many, against the limit, and a way to stop each when the relay
/// stops and its grace period is over. A reply is held weakly: one whose response was never
/// written is let go (and ends itself) like any other value.
final class RunningReplies: Sendable {
    let limit: Int
    private struct State {
        var count = 0
        var stops: [ObjectIdentifier: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    init(limit: Int) { self.limit = limit }

    /// Takes a place for a reply; false when all are taken.
    func take() -> Bool {
        state.withLock { state in
            guard state.count < limit else { return false }
            state.count += 1
            return true
        }
    }

    /// `run` holds the place it took: `stopAll` reaches it until it is released.
    func hold(_ run: ReplyRun) {
        state.withLock { $0.stops[ObjectIdentifier(run)] = { [weak run] in run?.stopForShutdown() } }
    }

    func release(_ run: ReplyRun) {
        state.withLock { state in
            state.count -= 1
            state.stops[ObjectIdentifier(run)] = nil
        }
    }

    /// Stops every reply under way, telling its client that the relay is shutting down.
    func stopAll() {
        for stop in state.withLock({ Array($0.stops.values) }) { stop() }
    }
}
