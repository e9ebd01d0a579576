import ParleyCore
import Synchronization

/// One streamed reply. Iterate `updates` to follow it; `cancel()` stops it at once.
public final class ReplyStream: Sendable {
    /// Normalized events in order, `retrying` notices, and `finished` last; it always ends,
    /// also after a failure or `cancel()`. A consumer that stops listening (its task is
    /// cancelled, or it lets go of the reply) cancels the reply.
    ///
    /// A transport reply is read from the network only as fast as `updates` is read: while the
    /// consumer is behind by `ReplyBuffer.limit`, the body is not read, the TCP window fills and
    /// the server waits. Its idle timeout does not count that time.
    public let updates: ReplyUpdates
    private let control: ReplyControl

    /// A reply whose producer hands over every update as it comes (the demo provider, which
    /// paces itself).
    init(updates: AsyncStream<ReplyUpdate>, control: ReplyControl) {
        self.updates = ReplyUpdates(stream: updates)
        self.control = control
    }

    /// A reply whose producer waits while `buffer` is full.
    init(buffer: ReplyBuffer, control: ReplyControl) {
        self.updates = ReplyUpdates(buffer: buffer)
        self.control = control
    }

    /// Decoded bytes the consumer has not taken yet (see `ReplyBuffer.limit`).
    var bufferedBytes: Int { updates.bufferedBytes }

    /// Whether the reply's body loop is waiting for the consumer.
    var isWaitingForConsumer: Bool { updates.isProducerWaiting }

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
