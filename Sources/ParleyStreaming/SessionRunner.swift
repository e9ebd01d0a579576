import ParleyCore
import ParleyProviders
import Synchronization

/// What a session's runner needs from the service.
struct SessionContext: Sendable {
    let output: SessionUpdates
    let trace: (@Sendable (TraceEvent) -> Void)?
    let sinceStart: @Sendable () -> Duration
    let cancelReply: @Sendable () -> Void
    /// Removes the session from the service once its end was handed over.
    let forget: @Sendable () -> Void
}

protocol SessionRunning: Sendable {
    func run(_ updates: some AsyncSequence<ReplyUpdate, Never> & Sendable, timeLimit: Duration?)
    func cancel()
    /// Nil once the session has ended.
    var snapshot: StreamingService.ActiveSession? { get }
    /// Returns when the session's task is done.
    func finished() async
}

/// Drives one `StreamSession` and its `ChunkBatcher` with a clock: one task pulls the reply,
/// at most one task waits for the batch window, and one waits for the time limit when there is
/// one. Every transition happens under one lock, and batches are handed over under it too, so
/// a session's updates leave in the order they happened.
///
/// The pull is where a slow consumer holds the session back: while the session's undelivered
/// batch and the batcher's gathered text exceed `SessionUpdates.sessionLimit`, the pump does
/// not ask the reply for more (so its transport stops reading the socket). Stopping the session
/// lifts that at once.
final class SessionRunner<C: Clock<Duration>>: SessionRunning {
    private struct State {
        var session: StreamSession
        var batcher: ChunkBatcher<C.Instant>
        var timer: Task<Void, Never>?
        var limit: Task<Void, Never>?
        var pump: Task<Void, Never>?
        /// The session's undelivered bytes in `SessionUpdates`, as of the last post or wait.
        var undelivered = 0
        /// Being stopped: never held back.
        var released = false

        /// Whether the pump must wait for the consumer before pulling again.
        var isOverLimit: Bool {
            !released && undelivered + batcher.pendingBytes > SessionUpdates.sessionLimit
        }
    }

    private let clock: C
    private let started: C.Instant
    private let context: SessionContext
    private let state: Mutex<State>
    private let id: SessionID

    init(clock: C, session: StreamSession, window: Duration, context: SessionContext) {
        self.clock = clock
        self.id = session.id
        self.started = clock.now
        self.context = context
        self.state = Mutex(State(session: session, batcher: ChunkBatcher(window: window)))
    }

    func run(_ updates: some AsyncSequence<ReplyUpdate, Never> & Sendable, timeLimit: Duration?) {
        let session = state.withLock { $0.session }
        context.trace?(.sessionStarted(session.id, conversation: session.conversationID, time: context.sinceStart()))
        let pump = Task {
            var sinceYield = 0
            for await update in updates {
                // Taking a buffered update does not suspend; a session with a backlog would hold
                // its thread until drained, delaying other sessions and every batch timer.
                sinceYield += 1
                if sinceYield == 256 {
                    sinceYield = 0
                    await Task.yield()
                }
                switch update {
                case .event(let event):
                    if self.handle(.received(event)) { await self.waitForRoom() }
                case .finished(let metrics): self.handle(.replyFinished(metrics))
                case .retrying: break
                }
            }
            // A reply always ends with `finished`; one that stops short was cut off from here.
            self.handle(.cancelRequested)
            self.handle(.replyFinished(ReplyMetrics(ttft: nil, duration: .zero, chunks: 0, bytes: 0, attempts: 1)))
        }
        let limit = timeLimit.map { limit in
            Task {
                do {
                    try await self.clock.sleep(until: self.started.advanced(by: limit), tolerance: nil)
                } catch {
                    return
                }
                self.handle(.timeLimitReached(limit))
            }
        }
        state.withLock { state in
            state.pump = pump
            state.limit = limit
        }
    }

    func cancel() {
        handle(.cancelRequested)
    }

    var snapshot: StreamingService.ActiveSession? {
        let elapsed = started.duration(to: clock.now)
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
        await state.withLock { $0.pump }?.value
    }

    /// Returns whether the pump must wait for the consumer before it pulls the next update.
    @discardableResult
    private func handle(_ event: StreamSession.Event) -> Bool {
        let now = clock.now
        let (action, mustWait) = state.withLock { state in
            let action = state.session.handle(event, at: started.duration(to: now))
            switch action {
            case .none:
                break
            case .cancelReply:
                state.released = true
            case .deliver(let streamEvent):
                perform(state.batcher.receive(streamEvent, at: now), in: &state)
            case .end(let end):
                perform(state.batcher.flush(), in: &state)
                state.timer?.cancel()
                state.limit?.cancel()
                context.output.post(end, for: state.session.id)
                context.trace?(.sessionEnded(state.session.id, time: context.sinceStart(), end: end))
            }
            return (action, state.isOverLimit)
        }
        switch action {
        case .cancelReply:
            // A pump waiting for the consumer must go on at once to read the reply's end.
            context.output.release(id)
            context.cancelReply()
        case .end: context.forget()
        case .none, .deliver: break
        }
        return mustWait
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

    private func timerFired(at deadline: C.Instant) {
        state.withLock { state in perform(state.batcher.timerFired(at: deadline), in: &state) }
    }

    private func perform(_ action: ChunkBatcher<C.Instant>.Action, in state: inout State) {
        switch action {
        case .none:
            break
        case .armTimer(let deadline):
            state.timer = Task {
                do {
                    try await self.clock.sleep(until: deadline, tolerance: nil)
                } catch {
                    return
                }
                self.timerFired(at: deadline)
            }
        case .deliver(let batch):
            state.timer?.cancel()
            state.timer = nil
            state.undelivered = context.output.post(batch, for: state.session.id)
            context.trace?(
                .batchDelivered(
                    state.session.id, time: context.sinceStart(), deltas: batch.eventCount, bytes: batch.textBytes))
        }
    }
}
