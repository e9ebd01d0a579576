import ParleyProviders

/// The reply's hand-off from its body loop to its consumer: the bounded buffer that gives
/// backpressure must cost no more than the unbounded stream it replaced.
enum HandOffBenchmark {
    static let benchmark = Benchmark(
        name: "handoff", summary: "a reply's updates from its body loop to its consumer: bounded buffer vs AsyncStream",
        run: run)

    static func run() {
        blocking {
            let updates = 2_000_000
            for (label, path) in [
                ("bounded buffer", ReplyHandOffBenchmark.Path.boundedBuffer), ("AsyncStream", .asyncStream),
            ] {
                var best = 0.0
                for _ in 0..<3 { best = max(best, await ReplyHandOffBenchmark.run(path, updates: updates)) }
                print("\(label): \(grouped(best)) updates/s (best of 3, 16 updates a piece)")
            }
        }
    }
}
