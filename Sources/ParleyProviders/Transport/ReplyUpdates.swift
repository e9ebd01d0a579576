import ParleyCore

/// A reply's updates, in order, for its one consumer (see `ReplyStream.updates`).
///
/// A transport reply reads its body only as fast as its consumer takes updates (see
/// `ReplyBuffer`); the demo provider, which paces itself, hands its updates over as they come.
public struct ReplyUpdates: AsyncSequence, Sendable {
    public typealias Element = ReplyUpdate
    public typealias Failure = Never

    fileprivate enum Source: Sendable {
        case buffer(ReplyConsumer)
        case stream(AsyncStream<ReplyUpdate>)
    }

    private let source: Source

    init(buffer: ReplyBuffer) {
        source = .buffer(ReplyConsumer(buffer: buffer))
    }

    init(stream: AsyncStream<ReplyUpdate>) {
        source = .stream(stream)
    }

    /// Bytes decoded and not yet taken by the consumer (0 for a reply that is not buffered).
    var bufferedBytes: Int {
        if case .buffer(let consumer) = source { consumer.buffer.bytes } else { 0 }
    }

    /// Whether the reply's body loop is waiting for the consumer to take what it decoded.
    var isProducerWaiting: Bool {
        if case .buffer(let consumer) = source { consumer.buffer.isProducerWaiting } else { false }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        public typealias Element = ReplyUpdate
        public typealias Failure = Never

        fileprivate enum Source {
            case buffer(ReplyConsumer)
            case stream(AsyncStream<ReplyUpdate>.Iterator)
        }

        private var source: Source
        /// Updates taken from the buffer and not returned yet.
        private var ready: [ReplyUpdate] = []
        private var index = 0

        fileprivate init(source: ReplyUpdates.Source) {
            switch source {
            case .buffer(let consumer): self.source = .buffer(consumer)
            case .stream(let stream): self.source = .stream(stream.makeAsyncIterator())
            }
        }

        public mutating func next() async -> ReplyUpdate? {
            if index < ready.count {
                defer { index += 1 }
                return ready[index]
            }
            switch source {
            case .buffer(let consumer):
                // Let go of what was read before waiting: a slow producer must not pin it.
                ready = []
                index = 0
                guard let taken = await consumer.buffer.take() else { return nil }
                ready = taken
                index = 1
                return taken[0]
            case .stream(var iterator):
                let update = await iterator.next()
                source = .stream(iterator)
                return update
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source)
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
