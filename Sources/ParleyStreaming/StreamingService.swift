import ParleyCore
import ParleyProviders
import Synchronization

/// Runs replies as sessions, any number at once, and tells one consumer about them through
/// `updates`: each session's batches (at most one per window), then how it ended.
///
/// Sessions are independent: each receives its own reply's events on that reply's task, and
/// handing an update to the consumer never waits, so one session stalling, failing or being
/// cancelled never delays another. A consumer that falls behind holds back only the sessions
/// whose undelivered text passed its limit (see `SessionUpdates` on backpressure): those stop
/// reading, and their servers wait, until it catches up. A session is forgotten (it leaves
/// `activeSessions`) as soon as its end has been handed to `updates`.
public final class StreamingService: Sendable {
    /// What `activeSessions` says about a live session.
    public struct ActiveSession: Equatable, Sendable {
        public var id: SessionID
        public var conversationID: ConversationID
        public var state: StreamSession.State
        public var metrics: SessionMetrics
    }

    public let updates = SessionUpdates()
    private let clock: any Clock<Duration>
    private let window: Duration
    private let timeLimit: Duration?
    private let replyLimit: Int
    private let trace: (@Sendable (TraceEvent) -> Void)?
    private let sinceStart: @Sendable () -> Duration
    private let sessions = Mutex<[SessionID: any SessionRunning]>([:])

    /// - Parameters:
    ///   - window: the batching window (see `ChunkBatcher`).
    ///   - timeLimit: the longest a session may run before it is cancelled and ends timed out;
    ///     nil (the default) for no limit. The transport's connect, first-byte and idle
    ///     timeouts apply either way.
    ///   - replyLimit: the most text and thinking (UTF-8 bytes) a reply may bring before it is
    ///     stopped and its session ends failed, saying so; no limit by default.
    ///   - clock: drives batch windows, the time limit and metrics.
    ///   - trace: told about session starts and ends and each batch (`TraceWriter.hook`).
    public init(
        window: Duration = .milliseconds(50), timeLimit: Duration? = nil, replyLimit: Int = .max,
        clock: any Clock<Duration> = ReplyClock(), trace: (@Sendable (TraceEvent) -> Void)? = nil
    ) {
        self.window = window
        self.timeLimit = timeLimit
        self.replyLimit = replyLimit
        self.clock = clock
        self.trace = trace
        self.sinceStart = Self.stopwatch(clock)
    }

    /// Starts `reply` (from `ProviderChoice.startReply`, the transport or the demo provider) as
    /// session `id`, its receiver from now on; `retrying` is told of each try that failed before
    /// anything was shown. An id already running is left alone.
    public func start(
        _ id: SessionID, conversation: ConversationID, reply: ReplyStream,
        retrying: (@Sendable (ProviderError, _ attempt: Int, _ delay: Duration) -> Void)? = nil
    ) {
        sessions.withLock { sessions in
            guard sessions[id] == nil else { return }
            let runner = Self.runner(
                clock: clock, session: StreamSession(id: id, conversationID: conversation, replyLimit: replyLimit),
                window: window,
                context: SessionContext(
                    output: updates, trace: trace, sinceStart: sinceStart, retrying: retrying,
                    forget: { [weak self] in self?.forget(id) }))
            sessions[id] = runner
            runner.run(reply, timeLimit: timeLimit)
        }
    }

    /// Stops session `id` and closes its connection; its last batch and its end (cancelled) follow.
    public func cancel(_ id: SessionID) {
        let runner = sessions.withLock { $0[id] }
        runner?.cancel()
    }

    /// The live sessions, in no particular order.
    public var activeSessions: [ActiveSession] {
        sessions.withLock { Array($0.values) }.compactMap { $0.snapshot }
    }

    /// Cancels every session and ends `updates` once their ends have been read.
    public func shutdown() async {
        let runners = sessions.withLock { Array($0.values) }
        for runner in runners { runner.cancel() }
        for runner in runners { await runner.finished() }
        updates.close()
    }

    private func forget(_ id: SessionID) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Opens the clock existential, so the session can keep instants as deadlines.
    private static func runner<C: Clock<Duration>>(
        clock: C, session: StreamSession, window: Duration, context: SessionContext
    ) -> any SessionRunning {
        SessionRunner(clock: clock, session: session, window: window, context: context)
    }

    private static func stopwatch<C: Clock<Duration>>(_ clock: C) -> @Sendable () -> Duration {
        let origin = clock.now
        return { origin.duration(to: clock.now) }
    }
}
