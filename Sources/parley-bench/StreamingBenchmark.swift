import ParleyCore
import ParleyProviders
import ParleyStreaming

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Measures decode → streaming service without the network: each session decodes the same
/// provider stream body, cut into pieces, and hands the events to one `StreamingService` whose
/// updates are read as fast as they come.
enum StreamingBenchmark {
    struct Figures: Sendable {
        var sessions: Int
        /// Stream events decoded and passed through the service, over all sessions.
        var events: Int
        /// Batches the consumer received.
        var batches: Int
        /// Text bytes the consumer received, over all sessions.
        var textBytes: Int
        var duration: Duration
        var eventsPerSecond: Double { Double(events) / max(duration.fractionalSeconds, 1e-9) }
    }

    /// Runs `sessions` concurrent sessions, each decoding `body` (in `format`) in pieces of
    /// `pieceSize` bytes, through one service with batch `window`, and times them to the end.
    ///
    /// The window is 1 ms, not the app's 50: a session reads its reply only between windows (what
    /// a server sends meanwhile waits in the socket), so with 50 ms windows a body that is all
    /// there at once would measure the windows, not the work.
    static func run(
        body: [UInt8], format: WireFormat = .openAIChat, sessions: Int, pieceSize: Int = 64,
        window: Duration = .milliseconds(1)
    ) async -> Figures {
        let service = StreamingService(window: window)
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<sessions {
            service.start(.random(), conversation: .random(), reply: replay(body, format: format, pieceSize: pieceSize))
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
    static func openAIChatBody(textBytes: Int, deltaBytes: Int = 16) -> [UInt8] {
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
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss * 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return usage.ru_maxrss
        #endif
    }

    /// A reply whose body is `body`, all there at once, decoded piece by piece as the session
    /// reads it, as bytes from the network are.
    static func replay(_ body: [UInt8], format: WireFormat, pieceSize: Int) -> ReplyStream {
        ReplyStream { receiver in
            Task(executorPreference: ReplyThread.shared) {
                var decoder = ReplyDecoder(format: format, provider: "benchmark")
                var offset = 0
                while offset < body.count {
                    let end = min(body.count, offset + pieceSize)
                    var events = decoder.decode(body[offset..<end])
                    offset = end
                    if offset == body.count { events += decoder.finish() }
                    receiver.receive(events.map { .event($0) })
                    await receiver.readyForMore()
                }
                let metrics = ReplyMetrics(duration: .zero, chunks: 0, bytes: body.count, attempts: 1)
                receiver.receive([.finished(metrics)])
            }
        }
    }
}
