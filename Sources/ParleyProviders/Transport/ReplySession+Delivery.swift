import NIOCore
import ParleyCore

extension ReplySession {
    /// What one try delivered. Events go to the consumer from the first content event on;
    /// until then they are held, so that a try that fails first can be discarded whole. Errors
    /// are kept and delivered with the request's secrets taken out.
    struct Delivery {
        let output: any ReplyReceiver
        let clock: C
        let redaction: Redaction
        let started: C.Instant
        private(set) var held: [StreamEvent] = []
        private(set) var shown = false
        /// The try's error (from the status, the connection or the stream), if it had one.
        private(set) var failure: ProviderError?
        /// A successful status whose body arrived to its end.
        var answeredWhole = false
        var metrics = ReplyMetrics(duration: .zero, chunks: 0, bytes: 0, attempts: 1)

        init(output: any ReplyReceiver, clock: C, redaction: Redaction) {
            self.output = output
            self.clock = clock
            self.redaction = redaction
            self.started = clock.now
        }

        mutating func count(_ part: ByteBuffer) {
            metrics.chunks += 1
            metrics.bytes += part.readableBytes
        }

        /// Hands the events decoded from one piece over at once (one lock, one wake-up at most).
        mutating func deliver(_ events: [StreamEvent]) {
            var shownNow: [ReplyUpdate] = []
            for event in events {
                let event = redaction.apply(event)
                if case .error(let error) = event { failure = error }
                if shown {
                    shownNow.append(.event(event))
                } else if event.isContent {
                    shown = true
                    shownNow.append(.shown(timeToFirstToken: started.duration(to: clock.now)))
                    shownNow += held.map { .event($0) }
                    held.removeAll()
                    shownNow.append(.event(event))
                } else {
                    held.append(event)
                }
            }
            if !shownNow.isEmpty { output.receive(shownNow) }
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
