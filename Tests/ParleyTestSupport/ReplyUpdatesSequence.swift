import ParleyCore
import ParleyProviders
import Synchronization

/// A reply run at once into a `ReplyBuffer`, read by a test as a consumer would read it.
public final class BufferedReply: Sendable {
    /// Normalized events in order, `retrying` notices, and `finished` last; it always ends. A
    /// consumer that lets go of them cancels the reply.
    public let updates: ReplyUpdates
    private let reply: ReplyStream

    init(_ reply: ReplyStream) {
        self.reply = reply
        let buffer = ReplyBuffer { reply.cancel() }
        updates = ReplyUpdates(buffer: buffer)
        reply.run(into: buffer)
    }

    public func cancel() { reply.cancel() }

    /// Decoded bytes the consumer has not taken yet (see `ReplyBuffer.limit`).
    public var bufferedBytes: Int { updates.bufferedBytes }

    /// Whether the reply's body loop is waiting for the consumer.
    public var isWaitingForConsumer: Bool { updates.isProducerWaiting }
}

extension ReplyStream {
    /// Runs the reply now, into a buffer the test reads.
    public func buffered() -> BufferedReply { BufferedReply(self) }
}

/// A reply's updates, in order, for its one consumer (see `BufferedReply.updates`): the reply reads
/// its body only as fast as the consumer takes updates (see `ReplyBuffer`).
public struct ReplyUpdates: AsyncSequence, Sendable {
    public typealias Element = ReplyUpdate
    public typealias Failure = Never

    private let consumer: ReplyConsumer

    init(buffer: ReplyBuffer) {
        consumer = ReplyConsumer(buffer: buffer)
    }

    /// Bytes decoded and not yet taken by the consumer.
    var bufferedBytes: Int { consumer.buffer.bytes }

    /// Whether the reply's body loop is waiting for the consumer to take what it decoded.
    var isProducerWaiting: Bool { consumer.buffer.isProducerWaiting }

    public struct AsyncIterator: AsyncIteratorProtocol {
        public typealias Element = ReplyUpdate
        public typealias Failure = Never

        private let consumer: ReplyConsumer
        /// Updates taken from the buffer and not returned yet.
        private var ready: [ReplyUpdate] = []
        private var index = 0

        fileprivate init(consumer: ReplyConsumer) {
            self.consumer = consumer
        }

        public mutating func next() async -> ReplyUpdate? {
            if index < ready.count {
                defer { index += 1 }
                return ready[index]
            }
            // Let go of what was read before waiting: a slow producer must not pin it.
            ready = []
            index = 0
            guard let taken = await consumer.buffer.take() else { return nil }
            ready = taken
            index = 1
            return taken[0]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer)
    }
}

/// The consumer's hold on a reply's buffer: when the last copy of the updates and of their
/// iterators is gone, nobody will read the reply any more, so it is cancelled, as an
/// `AsyncStream` is when it is dropped.
final class ReplyConsumer: Sendable {
    let buffer: ReplyBuffer

    init(buffer: ReplyBuffer) {
        self.buffer = buffer
    }

    deinit {
        buffer.abandon()
    }
}
