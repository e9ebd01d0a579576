import ParleyCore
import Synchronization

/// The service's output for its one consumer (the store, or the UI runtime's inbox): an
/// `AsyncSequence` of `SessionUpdate`s that ends when the service is shut down. Posting never
/// waits: it is a lock and an append (or a merge), so a session's batch timer and its end are
/// never held up, and the UI runtime can forward each update into its single inbox as it comes.
///
/// Backpressure: a consumer that falls behind never makes memory grow without bound, and
/// never loses or reorders text. Batches a consumer has not taken yet are merged into one
/// pending batch per session (text joined to text), so falling behind costs the undelivered
/// text once, never a queue of batches; when it reads again it gets everything, in order, in
/// one batch per session. Sessions are served in the order their undelivered updates began,
/// so one busy session cannot starve another.
///
/// What a session may leave undelivered is bounded by `sessionLimit`: once its pending batch
/// and what its batcher gathered exceed it, the session holds its reply's body loop back
/// (`holdBack`) until the consumer takes that batch (or, when the batcher alone holds that much,
/// until the batch window hands it over). The loop then does not read the socket, so the TCP
/// window fills and the server waits: the producer is what waits, end to end, and a session's
/// undelivered text stays within the limit plus one piece of the body. The limit is per session, so a session held back this way never delays another:
/// theirs keep being posted and delivered. A session being stopped (cancel, time limit) is
/// never held back, so that it ends at once.
public final class SessionUpdates: AsyncSequence, Sendable {
    public typealias Element = SessionUpdate

    /// How much undelivered text and thinking (UTF-8 bytes) a session may have before it stops
    /// its reply reading on.
    ///
    /// 1 MiB is a very long answer (a model writing 100 tokens a second needs about half an
    /// hour), so a consumer that keeps up, even one that pauses for a while, never meets it,
    /// and a hundred sessions whose consumer stopped reading cost about 100 MiB at worst. The
    /// service is where a stalled consumer's text waits, merged into one batch.
    public static let sessionLimit = 1 << 20

    fileprivate struct Pending {
        var batch: Batch?
        var end: SessionEnd?
        /// Text and thinking bytes of `batch`.
        var bytes = 0
    }

    fileprivate struct State {
        /// Sessions with something undelivered, oldest first; each appears once.
        var order: [SessionID] = []
        var pending: [SessionID: Pending] = [:]
        var waiter: CheckedContinuation<SessionUpdate?, Never>?
        var closed = false
        /// Runners waiting for their session's pending batch to be taken.
        var roomWaiters: [SessionID: CheckedContinuation<Void, Never>] = [:]
        /// Sessions being stopped, which are never held back.
        var released: Set<SessionID> = []
        /// Told when an update is kept while nothing else was (see `onArrival`).
        var arrival: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    init() {}

    /// Returns the session's undelivered text and thinking bytes, this batch included when it
    /// was kept.
    @discardableResult
    func post(_ batch: Batch, for session: SessionID) -> Int {
        let bytes = batch.textBytes
        return post(.batch(session, batch), for: session) { entry in
            entry.batch = entry.batch.map { $0.merging(batch) } ?? batch
            entry.bytes += bytes
        }
    }

    func post(_ end: SessionEnd, for session: SessionID) {
        post(.ended(session, end), for: session) { $0.end = end }
        let waiter = state.withLock { state in
            state.released.remove(session)
            return state.roomWaiters.removeValue(forKey: session)
        }
        waiter?.resume()
    }

    /// Hands `update` to a waiting consumer, or keeps it (as `keep` says) until one asks.
    /// Returns the session's undelivered bytes afterwards.
    @discardableResult
    private func post(_ update: SessionUpdate, for session: SessionID, keep: (inout Pending) -> Void) -> Int {
        let (waiter, held, arrival, bytes) = state.withLock {
            state -> (
                CheckedContinuation<SessionUpdate?, Never>?, CheckedContinuation<Void, Never>?, (@Sendable () -> Void)?,
                Int
            ) in
            if let waiter = state.waiter {
                state.waiter = nil
                // Handed over at once: a runner waiting for its batcher's text to go may go on.
                return (waiter, state.roomWaiters.removeValue(forKey: session), nil, 0)
            }
            let wasEmpty = state.order.isEmpty
            var entry = state.pending[session] ?? state.enqueue(session)
            keep(&entry)
            state.pending[session] = entry
            return (nil, nil, wasEmpty ? state.arrival : nil, entry.bytes)
        }
        waiter?.resume(returning: update)
        held?.resume()
        arrival?()
        return bytes
    }

    /// Keeps `runner` (the continuation of `session`'s reply, waiting to read on) until it may
    /// read on, and returns true; returns false, keeping nothing, when it may at once: its
    /// undelivered bytes and the `unposted` ones its batcher holds are within `sessionLimit`,
    /// the session is being stopped, or the service shut down. The runner is resumed when the
    /// consumer takes the session's batch, or the batch is handed to a waiting consumer.
    ///
    /// The runner calls this under its own lock, the one its posts happen under, so that a post
    /// cannot slip between its reading `unposted` and this: no wake-up is lost.
    func holdBack(_ session: SessionID, unposted: Int, runner: CheckedContinuation<Void, Never>) -> Bool {
        state.withLock { state in
            let bytes = state.pending[session]?.bytes ?? 0
            guard bytes + unposted > Self.sessionLimit, !state.closed, !state.released.contains(session) else {
                return false
            }
            state.roomWaiters[session] = runner
            return true
        }
    }

    /// `session` is being stopped: it is never held back from now on, so it ends at once.
    func release(_ session: SessionID) {
        let waiter = state.withLock { state in
            state.released.insert(session)
            return state.roomWaiters.removeValue(forKey: session)
        }
        waiter?.resume()
    }

    /// For a consumer that is not a task (the app's run loop, which sleeps in poll()): `wake` is
    /// called, on the posting thread, whenever an update is kept while nothing else was, and the
    /// consumer then takes what is ready with `takeReady()`. Sessions are held back until it does,
    /// as with `next()`.
    public func onArrival(_ wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.arrival = wake }
    }

    /// Every update ready now, in the order `next()` would give them; empty when none is.
    public func takeReady() -> [SessionUpdate] {
        var rooms: [CheckedContinuation<Void, Never>] = []
        let updates = state.withLock { state in
            var updates: [SessionUpdate] = []
            while let taken = state.take(), let update = taken.update {
                updates.append(update)
                if let room = taken.room { rooms.append(room) }
            }
            return updates
        }
        for room in rooms { room.resume() }
        return updates
    }

    /// Ends the sequence once what is pending has been read.
    func close() {
        let (waiter, roomWaiters) = state.withLock { state in
            state.closed = true
            defer {
                state.waiter = nil
                state.roomWaiters = [:]
            }
            return (state.waiter, state.roomWaiters.values)
        }
        waiter?.resume(returning: nil)
        for roomWaiter in roomWaiters { roomWaiter.resume() }
    }

    /// Undelivered text and thinking bytes, over all sessions (what a slow consumer costs).
    var pendingBytes: Int {
        state.withLock { state in state.pending.values.reduce(0) { $0 + $1.bytes } }
    }

    /// Undelivered text and thinking bytes of `session`.
    func pendingBytes(for session: SessionID) -> Int {
        state.withLock { $0.pending[session]?.bytes ?? 0 }
    }

    /// Whether `session`'s runner is waiting for the consumer to take its pending batch.
    func isHoldingBack(_ session: SessionID) -> Bool {
        state.withLock { $0.roomWaiters[session] != nil }
    }

    /// Whether the consumer is waiting for the next update.
    var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

    /// Undelivered batches: at most one per session, however far behind the consumer is.
    var pendingBatches: Int {
        state.withLock { state in state.pending.values.count { $0.batch != nil } }
    }

    fileprivate func next() async -> SessionUpdate? {
        if let ready = state.withLock({ $0.take() }) {
            ready.room?.resume()
            return ready.update
        }
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
                if let ready {
                    ready.room?.resume()
                    continuation.resume(returning: ready.update)
                }
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

/// An update taken from the queue, or the end of the sequence (nil), and the runner waiting
/// for it to be taken.
private struct Taken {
    var update: SessionUpdate?
    var room: CheckedContinuation<Void, Never>?
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
            entry.bytes = 0
            pending[session] = entry
            return Taken(update: .batch(session, batch), room: roomWaiters.removeValue(forKey: session))
        }
        order.removeFirst()
        pending[session] = nil
        if let batch = entry.batch {
            return Taken(update: .batch(session, batch), room: roomWaiters.removeValue(forKey: session))
        }
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
        batch.timeToFirstToken = timeToFirstToken ?? later.timeToFirstToken
        return batch
    }

    /// UTF-8 bytes of text and thinking in the batch.
    package var textBytes: Int {
        events.reduce(0) { total, event in
            switch event {
            case .text(let text), .thinking(let text): total + text.utf8.count
            default: total
            }
        }
    }
}
