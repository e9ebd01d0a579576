import ParleyCore

/// Measures, for the benchmark executable (`parley-bench handoff`), the hand-off between a
/// reply's body loop and its consumer without the network: text updates delivered a piece at a
/// time through the bounded `ReplyBuffer` a transport reply uses, or through an unbounded
/// `AsyncStream` yielding each update (what the transport did before it had a bound).
public enum ReplyHandOffBenchmark {
    public enum Path: Sendable {
        case boundedBuffer
        case asyncStream
    }

    /// Sends `updates` text updates of `deltaBytes` bytes, `perPiece` of them per piece of the
    /// body (with a suspension between pieces, as awaiting the next piece has), to a consumer
    /// that reads them as they come; returns updates per second of wall time.
    public static func run(_ path: Path, updates: Int, perPiece: Int = 16, deltaBytes: Int = 16) async -> Double {
        let piece = Array(
            repeating: ReplyUpdate.event(.text(String(repeating: "x", count: deltaBytes))), count: perPiece)
        let finished = ReplyUpdate.finished(ReplyMetrics(ttft: nil, duration: .zero, chunks: 0, bytes: 0, attempts: 1))
        let clock = ContinuousClock()
        let started = clock.now
        var received = 0
        switch path {
        case .boundedBuffer:
            let control = ReplyControl()
            let buffer = ReplyBuffer(control: control)
            let reply = ReplyStream(buffer: buffer, control: control)
            let producer = Task {
                var sent = 0
                while sent < updates {
                    buffer.append(contentsOf: piece)
                    sent += perPiece
                    await buffer.waitForRoom()
                    await Task.yield()
                }
                buffer.append(finished)
                buffer.finish()
            }
            for await _ in reply.updates { received += 1 }
            await producer.value
        case .asyncStream:
            let (stream, output) = AsyncStream.makeStream(of: ReplyUpdate.self)
            let producer = Task {
                var sent = 0
                while sent < updates {
                    for update in piece { output.yield(update) }
                    sent += perPiece
                    await Task.yield()
                }
                output.yield(finished)
                output.finish()
            }
            for await _ in stream { received += 1 }
            await producer.value
        }
        return Double(received) / max(started.duration(to: clock.now).fractionalSeconds, 1e-9)
    }
}
