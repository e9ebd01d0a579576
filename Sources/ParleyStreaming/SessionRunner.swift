import ParleyCore
import ParleyProviders
import Synchronization

/// What a session's runner needs from the service.
struct SessionContext: Sendable {
    let output: SessionUpdates
    let trace: (@Sendable (TraceEvent) -> Void)?
    let sinceStart: @Sendable () -> Duration
    /// Told of each try that failed before anything was shown, as the reply says it.
    let retrying: (@Sendable (ProviderError, _ attempt: Int, _ delay: Duration) -> Void)?
    /// Removes the session from the service once its end was handed over.
    let forget: @Sendable () -> Void
}

protocol SessionRunning: Sendable {
    func run(_ reply: ReplyStream, timeLimit: Duration?)
    func cancel()
    /// Nil once the session has ended.
    var snapshot: StreamingService.ActiveSession? { get }
    /// Returns when the session has ended.
    func finished() async
}

/// A session runner's state, in the session's time (how long since it started): a type of its
/// own, not one nested in the generic runner, so that reaching it costs no metadata lookup at
/// every piece of a reply (a profile had those at a seventh of a token's cost).
private struct RunnerState {
    var session: StreamSession
    var batcher: ChunkBatcher
    var timer: Task<Void, Never>?
    var limit: Task<Void, Never>?
    /// Waiting for the session to end (`finished()`).
    var endWaiters: [CheckedContinuation<Void, Never>] = []
    /// The session's undelivered bytes in `SessionUpdates`, as of the last post or wait.
    var undelivered = 0
    /// Being stopped: never held back.
    var released = false
    /// When the reply was last let read on (at first, when the session started).
    var readyAt: Duration = .zero
    /// When the first piece since then arrived.
    var arrivedAt: Duration?
    /// The reply has caught up (`caughtUp`) and waits for the server: the next piece is one a read
    /// of the socket brought, not a part the HTTP client held back from an earlier read.
    var waitingForServer = false
    /// When the last piece the reply waited for the server for arrived.
    var lastWaitedForAt: Duration = .zero
    /// The window's batch leaves once the read that caught up with the server has settled
    /// (`caughtUp`), not at the window's end.
    var settling = false
    /// The window's end came while the read near it was still bringing what waited in the
    /// socket: its batch waits for that read, up to `SessionRunner.overrun` past the end.
    var overdue = false
    /// Trace events of transitions made, in their order, not written yet (`writeTrace`).
    var unwritten: [TraceEvent] = []
    /// Whether a thread is writing `unwritten` out: the others leave theirs to it.
    var writingTrace = false

    /// Whether the reply must wait for the consumer before reading on.
    var isOverLimit: Bool {
        !released && undelivered + batcher.pendingBytes > SessionUpdates.sessionLimit
    }
}

/// Drives one `StreamSession` and its `ChunkBatcher` with a clock, as the receiver of its reply:
/// the reply's body loop hands each piece's events here on its own task (no task of the session's
/// own pulls them); one timer task keeps the batch window's end; one task waits for the time limit
/// when there is one. Every transition happens under one lock, and batches are handed over under
/// it too, so a session's updates leave in the order they happened.
///
/// The session paces its reply's reading (`readyForMore`). While a server writes at its own pace,
/// a piece that arrives during a batch window lets the reply read on only just before the window
/// ends (`readAhead`): what the server writes meanwhile waits in the socket and is read in one go,
/// and the batch leaves once the reply has caught up with it (`caughtUp`), so a reply costs a few
/// wake-ups a window rather than one a token, and every delta is shown within a window of its
/// arrival. What is there at once (a server writing faster than it is read) is read at once. A
/// session whose consumer is behind holds its reply back: while its undelivered batch and the
/// batcher's gathered text exceed `SessionUpdates.sessionLimit`, the reply is not read on.
/// Stopping the session lifts both at once.
final class SessionRunner<C: Clock<Duration>>: SessionRunning, ReplyReceiver {
    /// How soon after the reply was let read on a piece must come to count as having been there
    /// already (and be followed at once) rather than written since (after which reading waits
    /// until just before the window's end). Measured on a 2-core machine: a piece already read
    /// reaches the session 3–11 µs after the last (99th percentile), and one the next read of the
    /// socket brings about 80 µs after; a provider writing 2,000 tokens a second writes one every
    /// 500 µs. At 1 ms such a provider's every token counted as there at once, and a reply cost one
    /// wake-up a token: a 2,000-token reply took 0.15 CPU-seconds in `parley ask`, 0.05 at 200 µs.
    static var burst: Duration { .microseconds(200) }

    /// How long before a window's end a reply held back reads on. What waited in the socket comes
    /// in the event loop's next turn and is decoded at once (0.3–0.6 ms here for a window's worth,
    /// with the thread's caches cold after 50 ms asleep), so it is in the batch the window's timer
    /// hands over. Read at the window's end instead, as this runner once did, what came during a
    /// window was shown only at the end of the next (a median of 112 ms after it came, at 500
    /// tokens a second; 26 ms now; `Benchmarks/whole-process` measures it). A shorter lead let the
    /// timer hand the batch over before the read on this machine; a longer one wakes the reply for
    /// more of the pieces written in it.
    static var readAhead: Duration { .milliseconds(2) }

    /// How long a batch waits, once the reply has read what waited in the socket near its window's
    /// end (`caughtUp`), for what comes in the event loop's next turns: bytes the server wrote
    /// while the read was being decoded, and what the kernel held back beyond its receive window,
    /// sent once the read made room (at 2,000 tokens a second here, a read of 12 KB, then 3 KB more
    /// in the loop's next turn; without the wait, such text was shown a window late, up to 72 ms
    /// after it was written). Those join the batch; the window then ends up to 2 ms early, and the
    /// short wake-up replaces the window's timer and those of the pieces written in its last 2 ms
    /// (`parley ask`: 268 wake-ups a reply at 500 tokens a second before, 255 with; 0.005
    /// CPU-seconds less).
    static var settle: Duration { .microseconds(250) }

    /// How far past its window's end a batch may wait for the read that began near the end, when
    /// a busy machine slows that read: the window's first text is then shown a little late, rather
    /// than the rest of its text a whole window late. (Seen at busy minutes, 2,000 tokens a second:
    /// a read-on woke 0.6 ms late, the socket's read came 0.8 ms after it and caught up 0.6 ms past
    /// the window's end, and what the kernel had held back came 0.7 ms later still; another woke
    /// 2.6 ms late, past the end. Each batch left without the window's rest, which was printed 60
    /// to 100 ms after the server wrote it.)
    static var overrun: Duration { .milliseconds(2) }

    private let clock: C
    private let started: C.Instant
    private let context: SessionContext
    private let state: Mutex<RunnerState>
    private let id: SessionID
    private let reply: Mutex<ReplyStream?> = Mutex(nil)

    init(clock: C, session: StreamSession, window: Duration, context: SessionContext) {
        self.clock = clock
        self.id = session.id
        self.started = clock.now
        self.context = context
        self.state = Mutex(RunnerState(session: session, batcher: ChunkBatcher(window: window)))
    }

    func run(_ reply: ReplyStream, timeLimit: Duration?) {
        if context.trace != nil {
            state.withLock { state in
                let session = state.session
                state.unwritten.append(
                    .sessionStarted(session.id, conversation: session.conversationID, time: context.sinceStart()))
            }
            writeTrace()
        }
        self.reply.withLock { $0 = reply }
        let limit = timeLimit.map { limit in
            Task(executorPreference: ReplyThread.shared) {
                do {
                    try await self.clock.sleep(until: self.started.advanced(by: limit), tolerance: nil)
                } catch {
                    return
                }
                self.handle(.timeLimitReached(limit))
            }
        }
        state.withLock { $0.limit = limit }
        reply.run(into: self)
    }

    // MARK: The reply's receiver

    func pieceArrived() async {
        let arrivedAt = arrival()
        let readOn = state.withLock { state -> Duration? in
            guard let deadline = state.batcher.deadline, isPaced(state, arrivedAt: arrivedAt) else { return nil }
            let readOn = deadline - Self.readAhead
            return arrivedAt < readOn ? readOn : nil
        }
        // A piece the reply had to wait for is decoded just before the window's end, with what
        // came after it (it is shown at the window's end either way): the wake-up that brought it,
        // which only says the socket was empty, so runs no decoder and touches no session. Stopped
        // meanwhile: at once.
        if let readOn { try? await clock.sleep(until: started.advanced(by: readOn), tolerance: nil) }
    }

    /// Whether the piece that arrived at `arrivedAt` was one the reply had to wait for: the server
    /// writes at its own pace, and what it writes can wait for the window's end. A piece that was
    /// there at once (the rest of what one read of the socket brought, or a backlog) is followed
    /// at once. Measured to the piece's arrival, before it is decoded: decoding a large one takes time.
    private func isPaced(_ state: RunnerState, arrivedAt: Duration) -> Bool {
        state.readyAt + Self.burst <= arrivedAt
    }

    /// When the piece being read arrived: as `pieceArrived` found, or now for a reply that does
    /// not say (the demo's pieces arrive when handed over). What the piece brings is timed by it:
    /// the clock is read once a piece, not for each of its updates.
    private func arrival() -> Duration {
        state.withLock { state in
            if let arrivedAt = state.arrivedAt { return arrivedAt }
            let now = sessionTime
            state.arrivedAt = now
            if state.waitingForServer {
                state.waitingForServer = false
                state.lastWaitedForAt = now
            }
            return now
        }
    }

    func receive(_ updates: [ReplyUpdate]) {
        let now = arrival()
        for update in updates {
            switch update {
            case .shown(let timeToFirstToken): handle(.replyShown(timeToFirstToken: timeToFirstToken), at: now)
            case .event(let event): handle(.received(event), at: now)
            case .finished(let metrics): handle(.replyFinished(metrics), at: now)
            case .retrying(let error, let attempt, let delay): context.retrying?(error, attempt, delay)
            }
        }
    }

    func readyForMore() async {
        let now = sessionTime
        let readOn = state.withLock { state -> Duration? in
            guard let deadline = state.batcher.deadline else { return nil }
            // Reading on, at once or just before the window's end: its end is a timer's to keep.
            if state.timer == nil { state.timer = timer(at: deadline, for: deadline) }
            let readOn = deadline - Self.readAhead
            return isPaced(state, arrivedAt: state.arrivedAt ?? now) && now < readOn ? readOn : nil
        }
        // Stopped meanwhile: the sleep ends at once and the reply reads its end.
        if let readOn { try? await clock.sleep(until: started.advanced(by: readOn), tolerance: nil) }
        if state.withLock({ $0.isOverLimit }) { await waitForRoom() }
        let ready = sessionTime
        state.withLock { state in
            state.readyAt = ready
            state.arrivedAt = nil
        }
    }

    /// A reply that read on just before its window's end has read what waited in the socket: the
    /// window's batch leaves once that read has settled (`settle`), by a timer that replaces the
    /// window's. Only once a piece the reply waited for the server for has come since that point:
    /// caught up before it, the socket's waiting text is still to come (the HTTP client may first
    /// hand over a part it held back from an earlier read, and only then read the socket). Earlier
    /// in a window, the window keeps its end.
    ///
    /// A read that took long to catch up (a busy machine) settles for longer, half the time it
    /// took: what the kernel sends once the read made room is slowed alike. So the batch may leave
    /// past the window's end, by `overrun` at most.
    func caughtUp() {
        let now = sessionTime
        state.withLock { state in
            state.waitingForServer = true
            guard let deadline = state.batcher.deadline, isCatchingUp(state, deadline: deadline) else { return }
            state.settling = true
            state.timer?.cancel()
            let settle = max(Self.settle, (now - (deadline - Self.readAhead)) / 2)
            state.timer = timer(at: min(now + settle, deadline + Self.overrun), for: deadline)
        }
    }

    /// Whether the reply is reading, near the window ending at `deadline`, what waited in the
    /// socket: a piece it waited for the server for came since the read-on, and it has not settled.
    private func isCatchingUp(_ state: RunnerState, deadline: Duration) -> Bool {
        deadline - Self.readAhead <= state.lastWaitedForAt && !state.settling
    }

    /// Whether the read near the window's end has yet to catch up: it is under way, or a busy
    /// machine woke the reply for it late, in the window's last millisecond, and it waits for the
    /// socket's read. (The event loop runs the read-on before the window's timer, whose time is
    /// later, however late it wakes.) A reply let read on in time that found the socket empty (the
    /// server has gone quiet) is not waited for.
    private func isReadingNearTheEnd(_ state: RunnerState, deadline: Duration) -> Bool {
        isCatchingUp(state, deadline: deadline)
            || (!state.settling && state.waitingForServer && deadline - Self.readAhead / 2 < state.readyAt)
    }

    /// How long since the session started: the time its state is kept in.
    private var sessionTime: Duration { started.duration(to: clock.now) }

    // MARK: The service's side

    func cancel() {
        handle(.cancelRequested)
    }

    var snapshot: StreamingService.ActiveSession? {
        let elapsed = sessionTime
        return state.withLock { state in
            guard !state.session.state.isEnded else { return nil }
            var metrics = state.session.metrics
            metrics.duration = elapsed
            return StreamingService.ActiveSession(
                id: state.session.id, conversationID: state.session.conversationID, state: state.session.state,
                metrics: metrics)
        }
    }

    func finished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = state.withLock { state in
                if state.session.state.isEnded { return true }
                state.endWaiters.append(continuation)
                return false
            }
            if ended { continuation.resume() }
        }
    }

    private func handle(_ event: StreamSession.Event, at now: Duration? = nil) {
        let now = now ?? sessionTime
        let (action, endWaiters) = state.withLock { state in
            let action = state.session.handle(event, at: now)
            switch action {
            case .none:
                break
            case .cancelReply:
                state.released = true
            case .deliver(let streamEvent):
                perform(state.batcher.receive(streamEvent, at: now), in: &state)
            case .deliverAndCancel(let streamEvent):
                perform(state.batcher.receive(streamEvent, at: now), in: &state)
                state.released = true
            case .end(let end):
                perform(state.batcher.flush(), in: &state)
                state.timer?.cancel()
                state.limit?.cancel()
                context.output.post(end, for: state.session.id)
                if context.trace != nil {
                    state.unwritten.append(.sessionEnded(state.session.id, time: context.sinceStart(), end: end))
                }
            }
            defer { if case .end = action { state.endWaiters = [] } }
            return (action, state.endWaiters)
        }
        writeTrace()
        switch action {
        case .cancelReply, .deliverAndCancel:
            // A reply waiting for the consumer must go on at once to read its end.
            context.output.release(id)
            reply.withLock { $0 }?.cancel()
        case .end:
            context.forget()
            reply.withLock { $0 = nil }
            for waiter in endWaiters { waiter.resume() }
        case .none, .deliver: break
        }
    }

    /// Waits until the consumer has taken enough of this session's text (see `SessionUpdates`).
    private func waitForRoom() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let held = state.withLock { state in
                context.output.holdBack(id, unposted: state.batcher.pendingBytes, runner: continuation)
            }
            if !held { continuation.resume() }
        }
        // Posts happen under this lock, so the figure read under it is exact.
        state.withLock { $0.undelivered = context.output.pendingBytes(for: id) }
    }

    /// The timer of the window that ends at `deadline`, woken at `wake` (its end, or sooner).
    private func timer(at wake: Duration, for deadline: Duration) -> Task<Void, Never> {
        Task(executorPreference: ReplyThread.shared) {
            do {
                try await self.clock.sleep(until: self.started.advanced(by: wake), tolerance: nil)
            } catch {
                return
            }
            self.timerFired(at: deadline)
        }
    }

    /// The window's end, or its settle's. A window whose read near its end has not caught up
    /// waits for it (`caughtUp`), up to `overrun` past its end.
    private func timerFired(at deadline: Duration) {
        state.withLock { state in
            if state.batcher.deadline == deadline, !state.overdue, isReadingNearTheEnd(state, deadline: deadline) {
                state.overdue = true
                state.timer = timer(at: deadline + Self.overrun, for: deadline)
                return
            }
            perform(state.batcher.timerFired(at: deadline), in: &state)
        }
        writeTrace()
    }

    /// Carries out the batcher's word.
    private func perform(_ action: ChunkBatcher.Action, in state: inout RunnerState) {
        switch action {
        case .none:
            break
        case .armTimer:
            // Kept by `readyForMore`, which follows every piece: one timer a window.
            break
        case .deliver(var batch):
            batch.timeToFirstToken = state.session.metrics.timeToFirstToken
            state.timer?.cancel()
            state.timer = nil
            state.settling = false
            state.overdue = false
            state.undelivered = context.output.post(batch, for: state.session.id)
            guard context.trace != nil else { return }
            state.unwritten.append(
                .batchDelivered(
                    state.session.id, time: context.sinceStart(), deltas: batch.eventCount, bytes: batch.textBytes))
        }
    }

    /// Writes the trace events of the transitions made so far, in their order, out of the lock (a
    /// trace file is a file): one thread at a time writes, and one that finds another writing
    /// leaves its events to it, so a batch is never written after the end that followed it.
    private func writeTrace() {
        guard let trace = context.trace else { return }
        var writing = false
        while true {
            let events = state.withLock { state -> [TraceEvent] in
                if !writing {
                    guard !state.writingTrace else { return [] }
                    state.writingTrace = true
                    writing = true
                }
                defer { state.unwritten = [] }
                if state.unwritten.isEmpty { state.writingTrace = false }
                return state.unwritten
            }
            if events.isEmpty { return }
            for event in events { trace(event) }
        }
    }
}
