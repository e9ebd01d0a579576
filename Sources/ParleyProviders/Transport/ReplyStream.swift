import ParleyCore
import Synchronization

/// One reply, asked for and not yet started: `run(into:)` sends the request and hands what comes
/// back to a receiver; `cancel()` stops it at once.
public final class ReplyStream: Sendable {
    private let start: @Sendable (any ReplyReceiver) -> Task<Void, Never>
    private let control: ReplyControl
    private let started = Mutex(false)

    /// A reply whose task `start` makes, handing its updates to the receiver it is given.
    init(control: ReplyControl, start: @escaping @Sendable (any ReplyReceiver) -> Task<Void, Never>) {
        self.control = control
        self.start = start
    }

    /// A reply of one's own (a benchmark's or a test's): `start` makes the task that hands updates
    /// to the receiver it is given, `finished` last; `cancel()` cancels that task, which must then
    /// end the reply as cancelled.
    package convenience init(start: @escaping @Sendable (any ReplyReceiver) -> Task<Void, Never>) {
        self.init(control: ReplyControl(), start: start)
    }

    /// A reply that fails at once with `failure`, sending nothing: what the request asks cannot be
    /// done (an attachment the API cannot take). Its updates are those of any failed reply.
    static func failed(_ failure: ProviderError, decoder: ReplyDecoder) -> ReplyStream {
        ReplyStream(control: ReplyControl()) { receiver in
            Task(executorPreference: ReplyThread.shared) {
                var decoder = decoder
                let metrics = ReplyMetrics(duration: .zero, chunks: 0, bytes: 0, attempts: 0)
                receiver.receive(decoder.fail(failure).map { .event($0) } + [.finished(metrics)])
            }
        }
    }

    /// Starts the reply on `ReplyThread.shared`, handing every update to `receiver`, which always
    /// gets `finished` last: after a failure, a `cancel()`, or a cancel before the start (which
    /// sends nothing). A reply runs once; a second call does nothing.
    public func run(into receiver: some ReplyReceiver) {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return }
        control.run(start(receiver))
    }

    /// Stops the reply and closes its connection at once (so a local server frees its slot).
    /// What arrived is kept; the receiver still gets usage, `stop(cancelled)` and `finished`.
    public func cancel() {
        control.stop(.cancelled)
    }
}

/// Why a reply was stopped from outside its stream.
enum StopCause: Equatable, Sendable {
    case cancelled
    case timedOut(ProviderError)
}

/// Stops a reply's task, from the consumer (cancel) or its watchdog (timeout). Stopping
/// cancels the task, which makes AsyncHTTPClient close the connection; the task then reads
/// the cause to end the reply the right way. The first cause wins.
final class ReplyControl: Sendable {
    private struct State {
        var task: Task<Void, Never>?
        var cause: StopCause?
    }

    private let state = Mutex(State())

    var cause: StopCause? { state.withLock { $0.cause } }

    func run(_ task: Task<Void, Never>) {
        let stopped = state.withLock { state in
            state.task = task
            return state.cause != nil
        }
        if stopped { task.cancel() }
    }

    func stop(_ cause: StopCause) {
        let task = state.withLock { state in
            if state.cause == nil { state.cause = cause }
            return state.task
        }
        task?.cancel()
    }
}
