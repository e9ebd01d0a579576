import ParleyCore
import Synchronization

/// One streamed reply. Iterate `updates` to follow it; `cancel()` stops it at once.
public final class ReplyStream: Sendable {
    /// Normalized events in order, `retrying` notices, and `finished` last; it always ends,
    /// also after a failure or `cancel()`. A consumer that stops listening (its task is
    /// cancelled, or it lets go of the reply) cancels the reply.
    public let updates: AsyncStream<ReplyUpdate>
    private let control: ReplyControl

    init(updates: AsyncStream<ReplyUpdate>, control: ReplyControl) {
        self.updates = updates
        self.control = control
    }

    /// Stops the reply and closes its connection at once (so a local server frees its slot).
    /// What arrived is kept; `updates` still ends with usage, `stop(cancelled)` and `finished`.
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
