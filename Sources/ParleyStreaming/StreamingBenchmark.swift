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
        public var eventsPerSecond: Double { Double(events) / max(duration.seconds, 1e-9) }
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
        var producers: [Task<Int, Never>] = []
        for _ in 0..<sessions {
            let (updates, output) = AsyncStream.makeStream(of: ReplyUpdate.self)
            service.start(.random(), conversation: .random(), updates: updates, cancel: {})
            producers.append(
                Task {
                    var decoder = ReplyDecoder(format: format, provider: "benchmark")
                    var events = 0
                    var offset = 0
                    while offset < body.count {
                        let end = min(body.count, offset + pieceSize)
                        for event in decoder.decode(body[offset..<end]) {
                            events += 1
                            output.yield(.event(event))
                        }
                        offset = end
                    }
                    for event in decoder.finish() {
                        events += 1
                        output.yield(.event(event))
                    }
                    output.yield(.finished(ReplyMetrics(ttft: nil, duration: .zero, chunks: 0, bytes: 0, attempts: 1)))
                    output.finish()
                    return events
                })
        }
        var figures = Figures(sessions: sessions, events: 0, batches: 0, textBytes: 0, duration: .zero)
        var ended = 0
        for await update in service.updates {
            switch update {
            case .batch(_, let batch):
                figures.batches += 1
                figures.textBytes += batch.textBytes
            case .ended:
                ended += 1
            }
            if ended == sessions { break }
        }
        figures.duration = started.duration(to: clock.now)
        for producer in producers { figures.events += await producer.value }
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
