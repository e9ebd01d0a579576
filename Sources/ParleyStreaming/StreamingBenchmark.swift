import ParleyCore
import ParleyProviders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Measures decode → streaming service for the benchmark executable (`parley-bench`), without
/// the network: each session decodes the same provider stream body, cut into pieces, and feeds
/// the events to one `StreamingService` whose updates are read as fast as they come.
public enum StreamingBenchmark {
    public struct Figures: Sendable {
        public var sessions: Int
        /// Stream events decoded and passed through the service, over all sessions.
        public var events: Int
        /// Batches the consumer received.
        public var batches: Int
        /// Text bytes the consumer received, over all sessions.
        public var textBytes: Int
        public var duration: Duration
        public var eventsPerSecond: Double { Double(events) / max(duration.fractionalSeconds, 1e-9) }
    }

    /// Runs `sessions` concurrent sessions, each decoding `body` (in `format`) in pieces of
    /// `pieceSize` bytes, through one service with batch `window`, and times them to the end.
    public static func run(
        body: [UInt8], format: WireFormat = .openAIChat, sessions: Int, pieceSize: Int = 64,
        window: Duration = .milliseconds(50)
    ) async -> Figures {
        let service = StreamingService(window: window)
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<sessions {
            let replay = DecodingReplay(body: body, format: format, pieceSize: pieceSize)
            service.start(.random(), conversation: .random(), updates: replay, cancel: {})
        }
        var figures = Figures(sessions: sessions, events: 0, batches: 0, textBytes: 0, duration: .zero)
        var ended = 0
        for await update in service.updates {
            switch update {
            case .batch(_, let batch):
                figures.batches += 1
                figures.textBytes += batch.textBytes
            case .ended(_, let end):
                figures.events += end.metrics.events
                ended += 1
            }
            if ended == sessions { break }
        }
        figures.duration = started.duration(to: clock.now)
        return figures
    }

    /// An OpenAI Chat Completions stream body whose reply is `textBytes` bytes of text, written
    /// `deltaBytes` at a time, as a model would.
    public static func openAIChatBody(textBytes: Int, deltaBytes: Int = 16) -> [UInt8] {
        let delta = String(repeating: "x", count: max(1, deltaBytes - 1)) + " "
        var body: [UInt8] = []
        var written = 0
        while written < textBytes {
            let chunk: JSON = ["model": "bench", "choices": [["index": 0, "delta": ["content": .string(delta)]]]]
            body += Array("data: \(chunk.serialized())\n\n".utf8)
            written += delta.utf8.count
        }
        let finish: JSON = ["model": "bench", "choices": [["index": 0, "delta": [:], "finish_reason": "stop"]]]
        body += Array("data: \(finish.serialized())\n\ndata: [DONE]\n\n".utf8)
        return body
    }

    /// The process's peak resident memory so far, in bytes.
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss * 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return usage.ru_maxrss
        #endif
    }
}

/// A provider stream body decoded piece by piece as the session pulls, the way bytes arriving
/// from the network are: nothing is decoded ahead of the consumer, so what is measured is the
/// decoder and the service, not a queue between them.
struct DecodingReplay: AsyncSequence, Sendable {
    typealias Element = ReplyUpdate
    typealias Failure = Never

    let body: [UInt8]
    let format: WireFormat
    let pieceSize: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let replay: DecodingReplay
        var decoder: ReplyDecoder
        var offset = 0
        var ready: [StreamEvent] = []
        var readyIndex = 0
        var ended = false

        mutating func next() async -> ReplyUpdate? {
            while readyIndex == ready.count {
                guard !ended else { return nil }
                readyIndex = 0
                // A piece from the network is a suspension point; without one, a hundred sessions
                // decoding flat out would hold every thread and starve the batch timers.
                await Task.yield()
                if offset < replay.body.count {
                    let end = Swift.min(replay.body.count, offset + replay.pieceSize)
                    ready = decoder.decode(replay.body[offset..<end])
                    offset = end
                } else {
                    ended = true
                    let bytes = replay.body.count
                    return .finished(ReplyMetrics(ttft: nil, duration: .zero, chunks: 0, bytes: bytes, attempts: 1))
                }
                if offset == replay.body.count { ready += decoder.finish() }
            }
            defer { readyIndex += 1 }
            return .event(ready[readyIndex])
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(replay: self, decoder: ReplyDecoder(format: format, provider: "benchmark"))
    }
}
