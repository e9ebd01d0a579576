import NIOCore
import ParleyCore

extension ReplySession {
    /// What one try delivered. Events go to the consumer from the first content event on;
    /// until then they are held, so that a try that fails first can be discarded whole.
    struct Delivery {
        let output: AsyncStream<ReplyUpdate>.Continuation
        let clock: C
        let started: C.Instant
        private(set) var held: [StreamEvent] = []
        private(set) var shown = false
        /// The try's error (from the status, the connection or the stream), if it had one.
        private(set) var failure: ProviderError?
        var metrics = ReplyMetrics(ttft: nil, duration: .zero, chunks: 0, bytes: 0, attempts: 1)

        init(output: AsyncStream<ReplyUpdate>.Continuation, clock: C) {
            self.output = output
            self.clock = clock
            self.started = clock.now
        }

        mutating func count(_ part: ByteBuffer) {
            metrics.chunks += 1
            metrics.bytes += part.readableBytes
        }

        mutating func deliver(_ events: [StreamEvent]) {
            for event in events {
                if case .error(let error) = event { failure = error }
                if shown {
                    output.yield(.event(event))
                } else if event.isContent {
                    shown = true
                    metrics.ttft = started.duration(to: clock.now)
                    for earlier in held { output.yield(.event(earlier)) }
                    held.removeAll()
                    output.yield(.event(event))
                } else {
                    held.append(event)
                }
            }
        }
    }
}

extension StreamEvent {
    /// Something the user sees as the reply itself; once one is shown, the try is not repeated.
    var isContent: Bool {
        switch self {
        case .text, .thinking, .redactedThinking, .toolCall: true
        case .start, .usage, .error, .stop: false
        }
    }
}

extension ReplyDecoder {
    /// Ends the reply the way its stop cause says.
    mutating func end(by cause: StopCause) -> [StreamEvent] {
        switch cause {
        case .cancelled: cancel()
        case .timedOut(let failure): fail(failure)
        }
    }
}
