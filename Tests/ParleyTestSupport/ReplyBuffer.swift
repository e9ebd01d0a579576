import ParleyCore
import ParleyProviders
import Synchronization

/// A test's consumer of a reply: the reply's receiver, holding its updates for the test to read
/// as an `AsyncSequence` (`BufferedReply.updates`), bounded as a slow consumer is.
///
/// The producer appends what it decoded from a piece of the body without waiting, then, before
/// it asks the body for the next piece, waits while the buffer holds more than `limit`; the
/// consumer takes everything buffered at once and so makes room. AsyncHTTPClient reads the
/// socket only while the body loop asks for the next piece, so a producer that waits lets the
/// TCP window fill and the server wait: a slow consumer costs at most `limit` (plus one piece)
/// here, never the whole reply.
///
/// Taking the whole buffer per hand-off, rather than one update per suspension (a rendezvous
/// channel such as `AsyncChannel`), keeps a fast consumer at one lock per update and a slow one
/// at one wake-up per buffer-full: the cost of the bound is only paid while it holds.
public final class ReplyBuffer: ReplyReceiver {
    /// What the buffer may hold before the producer waits, in bytes: the UTF-8 of text,
    /// thinking and tool-call arguments, plus the slot each update takes.
    ///
    /// Bytes, not a count of updates: deltas range from a byte to whole paragraphs (local
    /// servers often send large pieces), so a count would either hold back a fast stream of
    /// tiny deltas or let large ones take unbounded memory. 256 KiB is far more than any model
    /// writes between two reads of a consumer that keeps up (so it never throttles one), is
    /// enough that a consumer catching up gets thousands of updates per wake-up, and stays
    /// small when a hundred replies run at once (25 MiB at worst).
    public static let limit = 256 * 1024

    fileprivate struct State {
        var updates: [ReplyUpdate] = []
        var bytes = 0
        /// The consumer, waiting for the next update (nil at the end).
        var consumer: CheckedContinuation<[ReplyUpdate]?, Never>?
        /// The producer, waiting for room.
        var producer: CheckedContinuation<Void, Never>?
        /// The producer has appended its last update.
        var finished = false
        /// The consumer is gone (let go of the reply, or its task was cancelled): nothing is
        /// kept from now on and the producer never waits.
        var abandoned = false
    }

    /// Stops the reply, when the consumer lets go of it.
    private let stop: @Sendable () -> Void
    private let state = Mutex(State())

    init(stop: @escaping @Sendable () -> Void) {
        self.stop = stop
    }

    public func receive(_ updates: [ReplyUpdate]) {
        append(contentsOf: updates)
        if case .finished = updates.last { finish() }
    }

    public func readyForMore() async {
        await waitForRoom()
    }

    // MARK: Producer

    func append(_ update: ReplyUpdate) {
        append(contentsOf: CollectionOfOne(update))
    }

    /// Keeps `updates` for the consumer, or hands them to it at once when it is waiting. Never waits.
    func append(contentsOf updates: some Collection<ReplyUpdate>) {
        guard !updates.isEmpty else { return }
        let (consumer, taken) = state.withLock {
            state -> (CheckedContinuation<[ReplyUpdate]?, Never>?, [ReplyUpdate]) in
            guard !state.abandoned, !state.finished else { return (nil, []) }
            if let consumer = state.consumer {
                state.consumer = nil
                return (consumer, Array(updates))
            }
            state.updates.append(contentsOf: updates)
            for update in updates { state.bytes += update.bufferedSize }
            return (nil, [])
        }
        consumer?.resume(returning: taken)
    }

    /// The last update was appended: the consumer's iteration ends once it has read the rest.
    func finish() {
        let consumer = state.withLock { state in
            state.finished = true
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume(returning: nil)
    }

    /// Whether the producer must wait before reading on: the consumer has not taken what is here.
    var isFull: Bool {
        state.withLock { !$0.hasRoom }
    }

    /// Returns once the buffer holds at most `limit`, the consumer is gone, or the calling task
    /// is cancelled (a `cancel()` or a timeout stops the reply by cancelling its task).
    func waitForRoom() async {
        guard isFull else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    if state.hasRoom || Task.isCancelled { return true }
                    state.producer = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            wakeProducer()
        }
    }

    private func wakeProducer() {
        let producer = state.withLock { state in
            defer { state.producer = nil }
            return state.producer
        }
        producer?.resume()
    }

    // MARK: Consumer

    /// What the buffer holds now, in bytes (see `limit`).
    var bytes: Int { state.withLock { $0.bytes } }

    /// Whether the producer is waiting for the consumer.
    var isProducerWaiting: Bool { state.withLock { $0.producer != nil } }

    /// Everything buffered (never empty), waiting for it if need be; nil once the reply is over
    /// and read, or the consumer's task is cancelled (which cancels the reply).
    func take() async -> [ReplyUpdate]? {
        if let taken = takeReady() { return taken.updates }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[ReplyUpdate]?, Never>) in
                let ready = state.withLock { state -> Taken? in
                    if let ready = state.take() { return ready }
                    if Task.isCancelled { return Taken(updates: nil, producer: nil) }
                    state.consumer = continuation
                    return nil
                }
                if let ready {
                    ready.producer?.resume()
                    continuation.resume(returning: ready.updates)
                }
            }
        } onCancel: {
            abandon()
        }
    }

    private func takeReady() -> Taken? {
        let ready = state.withLock { $0.take() }
        ready?.producer?.resume()
        return ready
    }

    /// The consumer is gone: drop what is buffered, stop the reply (closing its connection) and
    /// wake a waiting producer, so that it sees the cancellation at once.
    func abandon() {
        let (consumer, producer, stop) = state.withLock { state in
            let stop = !state.abandoned && !state.finished
            state.abandoned = true
            state.updates = []
            state.bytes = 0
            defer {
                state.consumer = nil
                state.producer = nil
            }
            return (state.consumer, state.producer, stop)
        }
        if stop { self.stop() }
        consumer?.resume(returning: nil)
        producer?.resume()
    }
}

/// What the consumer took, and the producer it made room for.
private struct Taken {
    var updates: [ReplyUpdate]?
    var producer: CheckedContinuation<Void, Never>?
}

extension ReplyBuffer.State {
    fileprivate var hasRoom: Bool { bytes <= ReplyBuffer.limit || abandoned }

    /// Everything buffered, or the end; nil when the consumer must wait.
    fileprivate mutating func take() -> Taken? {
        if !updates.isEmpty {
            defer {
                updates = []
                bytes = 0
                producer = nil
            }
            return Taken(updates: updates, producer: producer)
        }
        if finished || abandoned { return Taken(updates: nil, producer: nil) }
        return nil
    }
}

extension ReplyUpdate {
    /// What holding this update costs the buffer: its text, and its slot.
    var bufferedSize: Int {
        var size = MemoryLayout<ReplyUpdate>.stride
        if case .event(let event) = self {
            switch event {
            case .text(let text), .thinking(let text): size += text.utf8.count
            case .toolCall(let call): size += call.arguments.utf8.count + call.name.utf8.count
            default: break
            }
        }
        return size
    }
}
