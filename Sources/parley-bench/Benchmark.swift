import Foundation

/// One section of the benchmark run: a name to select it by on the command line, and a body
/// that measures and prints its own figures.
struct Benchmark: Sendable {
    var name: String
    var summary: String
    var run: @Sendable () -> Void
}

/// Runs `body` repeatedly until this thread has spent at least `seconds` of CPU time on it
/// (after one warm-up round), and returns how many rounds ran in how many CPU seconds.
/// CPU time rather than wall time, so other work on a shared machine does not count against us.
func measure(cpuSeconds seconds: Double, _ body: () -> Void) -> (rounds: Int, seconds: Double) {
    body()
    let start = threadCPUSeconds()
    var rounds = 0
    repeat {
        body()
        rounds += 1
    } while threadCPUSeconds() - start < seconds
    return (rounds, threadCPUSeconds() - start)
}

func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// "1,234,567": figures people compare at a glance.
func grouped(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var out = ""
    for (position, digit) in digits.reversed().enumerated() {
        if position > 0, position % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return String(out.reversed())
}

/// The process's resident memory now, from /proc (Linux), in MB; 0 where it cannot be read.
func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes / 1024
}
