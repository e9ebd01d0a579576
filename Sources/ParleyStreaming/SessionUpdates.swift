import ParleyCore
import Synchronization

/// The service's output for its one consumer (the store, or the UI runtime's inbox): an
/// `AsyncSequence` of `SessionUpdate`s that ends when the service is shut down. It never
/// suspends a session: posting is a lock and an append, so the UI runtime can forward each
/// update into its single inbox as it comes.
///
/// Backpressure: a consumer that falls behind never makes memory grow by more than what it has
/// not read yet, and never loses or reorders text. Batches a consumer has not taken yet are
/// merged into one pending batch per session (text joined to text), so a slow consumer costs
/// at most the reply's own size, held once, never a queue of batches and their overhead; when
/// it reads again it gets everything, in order, in one batch per session. Sessions are
/// served in the order their undelivered updates began, so one busy session cannot starve
/// another.
///
/// The producer is not paused. A reply's text has to be kept whole anyway (the store holds
/// it), so holding the undelivered part once costs no more than the reply itself. Pausing the
/// HTTP body instead would need a demand-driven transport (its update stream is unbounded
/// today) whose idle watchdog tells a slow consumer from a stalled server.
public final class SessionUpdates: AsyncSequence, Sendable {
    public typealias Element = SessionUpdate

    fileprivate struct Pending {
        var batch: Batch?
        var end: SessionEnd?
    }

    fileprivate struct State {
        /// Sessions with something undelivered, oldest first; each appears once.
        var order: [SessionID] = []
        var pending: [SessionID: Pending] = [:]
        var waiter: CheckedContinuation<SessionUpdate?, Never>?
        var closed = false
    }

    private let state = Mutex(State())

    init() {}

    func post(_ batch: Batch, for session: SessionID) {
        post(.batch(session, batch), for: session) { entry in
            entry.batch = entry.batch.map { $0.merging(batch) } ?? batch
        }
    }

    func post(_ end: SessionEnd, for session: SessionID) {
        post(.ended(session, end), for: session) { $0.end = end }
    }

    /// Hands `update` to a waiting consumer, or keeps it (as `keep` says) until one asks.
    private func post(_ update: SessionUpdate, for session: SessionID, keep: (inout Pending) -> Void) {
        let waiter = state.withLock { state -> CheckedContinuation<SessionUpdate?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            var entry = state.pending[session] ?? state.enqueue(session)
            keep(&entry)
            state.pending[session] = entry
            return nil
        }
        waiter?.resume(returning: update)
    }

    /// Ends the sequence once what is pending has been read.
    func close() {
        let waiter = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Undelivered text and thinking bytes, over all sessions (what a slow consumer costs).
    var pendingBytes: Int {
        state.withLock { state in
            state.pending.values.reduce(0) { total, entry in total + (entry.batch?.textBytes ?? 0) }
        }
    }

    /// Whether the consumer is waiting for the next update.
    var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

    /// Undelivered batches: at most one per session, however far behind the consumer is.
    var pendingBatches: Int {
        state.withLock { state in state.pending.values.count { $0.batch != nil } }
    }

    fileprivate func next() async -> SessionUpdate? {
        if let ready = state.withLock({ $0.take() }) { return ready.update }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (ready, displaced) = state.withLock {
                    state -> (Taken?, CheckedContinuation<SessionUpdate?, Never>?) in
                    if let ready = state.take() { return (ready, nil) }
                    if Task.isCancelled { return (Taken(update: nil), nil) }
                    // There is one consumer; a second one waiting at once ends the first's
                    // iteration rather than leaving it suspended forever.
                    defer { state.waiter = continuation }
                    return (nil, state.waiter)
                }
                displaced?.resume(returning: nil)
                if let ready { continuation.resume(returning: ready.update) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let updates: SessionUpdates

        public mutating func next() async -> SessionUpdate? {
            await updates.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(updates: self)
    }
}

/// An update taken from the queue, or the end of the sequence (nil).
private struct Taken {
    var update: SessionUpdate?
}

extension SessionUpdates.State {
    fileprivate mutating func enqueue(_ session: SessionID) -> SessionUpdates.Pending {
        order.append(session)
        return SessionUpdates.Pending()
    }

    /// The next update, or nil when none is ready and the sequence is still open.
    fileprivate mutating func take() -> Taken? {
        guard let session = order.first, var entry = pending[session] else {
            return closed ? Taken(update: nil) : nil
        }
        if let batch = entry.batch, entry.end != nil {
            entry.batch = nil
            pending[session] = entry
            return Taken(update: .batch(session, batch))
        }
        order.removeFirst()
        pending[session] = nil
        if let batch = entry.batch { return Taken(update: .batch(session, batch)) }
        return entry.end.map { Taken(update: .ended(session, $0)) }
    }
}

extension Batch {
    /// This batch followed by `later`, text still joined across the seam.
    func merging(_ later: Batch) -> Batch {
        var merged = PendingBatch()
        for event in events + later.events { merged.append(event) }
        var batch = merged.batch
        batch.eventCount = eventCount + later.eventCount
        return batch
    }

    /// UTF-8 bytes of text and thinking in the batch.
    var textBytes: Int {
        events.reduce(0) { total, event in
            switch event {
            case .text(let text), .thinking(let text): total + text.utf8.count
            default: total
            }
        }
    }
}
