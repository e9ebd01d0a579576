import Foundation

// Parley's performance benchmarks, run as a release build:
//
//     swift run -c release parley-bench            # every benchmark
//     swift run -c release parley-bench decode     # only the named ones
//     swift run -c release parley-bench --list
//
// Each benchmark is one section with its own figures and the product budget it is held to.

let benchmarks: [Benchmark] = [
    StreamingServiceBenchmark.memory,
    DecodeBenchmark.benchmark,
    DatabaseBenchmark.benchmark,
    StreamingServiceBenchmark.benchmark,
    FrameBenchmark.benchmark,
    FrameBenchmark.reply,
    TableFrameBenchmark.benchmark,
    RequestBenchmark.benchmark,
]

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--list") || arguments.contains("--help") {
    print("usage: parley-bench [NAME…] [--list]")
    for benchmark in benchmarks { print("  \(benchmark.name)  \(benchmark.summary)") }
} else {
    let unknown = arguments.filter { name in !benchmarks.contains { $0.name == name } }
    if !unknown.isEmpty {
        print("unknown benchmark: \(unknown.joined(separator: ", ")); try --list")
        exit(2)
    }
    for benchmark in benchmarks where arguments.isEmpty || arguments.contains(benchmark.name) {
        print("== \(benchmark.name): \(benchmark.summary)")
        benchmark.run()
    }
}
