import ParleyProviders
import Synchronization

/// Hands a reply's updates to the one task that writes them to the client, with backpressure: the
/// reply reads no more of its provider's body (`readyForMore`) until the writer has written what
/// it got, so a slow client holds the provider's TCP window, not the relay's memory. Between
/// updates the writer may be woken by a keep-alive `tick` instead.
final class ReplyPipe: ReplyReceiver {
    /// What the writer takes next.
    enum Item: Equatable {
        case updates([ReplyUpdate])
        /// The keep-alive interval passed with nothing written.
        case tick
        /// The writer's task was cancelled (its client went away, or the relay stops).
        case cancelled
    }

    private struct State {
        var pending: [ReplyUpdate] = []
        var writer: CheckedContinuation<Item, Never>?
        var reader: CheckedContinuation<Void, Never>?
        /// The writer has taken what was pending and not yet said it was written.
        var writing = false
    }

    private let state = Mutex(State())

    func receive(_ updates: [ReplyUpdate]) {
        let writer = state.withLock { state -> CheckedContinuation<Item, Never>? in
            guard let writer = state.writer else {
                state.pending += updates
                return nil
            }
            state.writer = nil
            state.writing = true
            return writer
        }
        writer?.resume(returning: .updates(updates))
    }

    func readyForMore() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    if Task.isCancelled || (state.pending.isEmpty && !state.writing) { return true }
                    state.reader = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.reader = nil }
                return state.reader
            }?.resume()
        }
    }

    /// Wakes the writer for a keep-alive when it is waiting (a tick while it writes is dropped:
    /// what it writes keeps the connection alive).
    func tick() {
        let writer = state.withLock { state -> CheckedContinuation<Item, Never>? in
            guard let writer = state.writer else { return nil }
            state.writer = nil
            return writer
        }
        writer?.resume(returning: .tick)
    }

    /// The next updates, a tick, or `cancelled` when the calling task is cancelled. Call `written()`
    /// after writing updates, to let the reply read on.
    func next() async -> Item {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Item? in
                    if Task.isCancelled { return .cancelled }
                    if !state.pending.isEmpty {
                        defer { state.pending = [] }
                        state.writing = true
                        return .updates(state.pending)
                    }
                    state.writer = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.writer = nil }
                return state.writer
            }?.resume(returning: .cancelled)
        }
    }

    /// What `next()` gave was written: the reply may read on.
    func written() {
        let reader = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.writing = false
            guard state.pending.isEmpty else { return nil }
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume()
    }
}
