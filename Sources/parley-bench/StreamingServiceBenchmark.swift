import Foundation
import ParleyStreaming

/// Decode → streaming service (50 ms batches) for one long reply and for 100 at once (the budget:
/// 100 streams without stalls), and the memory 100 concurrent 1 MB replies cost (a few MB each at
/// most).
enum StreamingServiceBenchmark {
    static let benchmark = Benchmark(
        name: "streaming", summary: "decode → streaming service: 1 session and 100 concurrent sessions",
        run: run)

    static func run() {
        blocking {
            let long = StreamingBenchmark.openAIChatBody(textBytes: 4 << 20)
            let one = await StreamingBenchmark.run(body: long, sessions: 1, pieceSize: 1024)
            report("1 session, 4 MB reply", one)

            let medium = StreamingBenchmark.openAIChatBody(textBytes: 200 << 10)
            let hundred = await StreamingBenchmark.run(body: medium, sessions: 100, pieceSize: 1024)
            report("100 concurrent sessions, 200 KB each", hundred)
        }
    }

    /// Peak RSS is a high-water mark, so this runs first in a full run (and alone with
    /// `parley-bench memory`): anything measured before it would hide its figure.
    static let memory = Benchmark(
        name: "memory", summary: "peak memory of 100 concurrent 1 MB replies through the streaming service",
        run: {
            blocking {
                let before = StreamingBenchmark.peakResidentBytes()
                let megabyte = StreamingBenchmark.openAIChatBody(textBytes: 1 << 20)
                let figures = await StreamingBenchmark.run(body: megabyte, sessions: 100, pieceSize: 1024)
                let peak = StreamingBenchmark.peakResidentBytes()
                report("100 concurrent sessions, 1 MB each", figures)
                let perReply = Double(max(0, peak - before)) / 100 / 1_048_576
                print(
                    "peak RSS \(mib(peak)) (\(mib(before)) before): about "
                        + String(format: "%.2f", perReply) + " MB per 1 MB reply — budget: a few MB at most")
            }
        })

    static func report(_ label: String, _ figures: StreamingBenchmark.Figures) {
        let batchesPerSession = Double(figures.batches) / Double(figures.sessions)
        print(
            "\(label): \(grouped(figures.eventsPerSecond)) events/s, \(figures.batches) batches "
                + "(\(grouped(batchesPerSession)) a session) in \(DatabaseBenchmark.ms(figures.duration))")
    }

    static func mib(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }
}
