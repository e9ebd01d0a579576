import Synchronization

/// A clock whose time can pass while nothing wakes, as for a process stopped with Ctrl-Z or a
/// thread busy writing to a paused terminal: `stall` moves time on, and `wakeDue` then wakes each
/// sleeper whose time has come, late.
public final class StallingClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        let offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let id: Int
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// When each sleeper asked to wake.
    public var sleeping: [Instant] { state.withLock { $0.sleepers.map(\.deadline) } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let due = state.withLock { state in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if due { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                state.sleepers.firstIndex { $0.id == id }.map { state.sleepers.remove(at: $0) }
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Time passes by `duration`, and no sleeper wakes for it.
    public func stall(for duration: Duration) {
        state.withLock { $0.now = $0.now.advanced(by: duration) }
    }

    /// Wakes every sleeper whose time has come; with `through`, only those that asked to wake by
    /// then (so a story can say which of two late sleepers runs first).
    public func wakeDue(through last: Duration? = nil) {
        let due = state.withLock { state in
            let now = state.now
            let wakes = { (sleeper: Sleeper) in
                sleeper.deadline <= now && last.map { sleeper.deadline.offset <= $0 } ?? true
            }
            defer { state.sleepers.removeAll(where: wakes) }
            return state.sleepers.filter(wakes)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
