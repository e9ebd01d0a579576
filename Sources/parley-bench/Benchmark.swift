import Foundation

/// One section of the benchmark run: a name to select it by on the command line, and a body
/// that measures and prints its own figures.
struct Benchmark: Sendable {
    var name: String
    var summary: String
    var run: @Sendable () -> Void
}

/// Runs `body` repeatedly until at least `duration` has passed (after one warm-up round), and
/// returns how many rounds ran and how long they took.
func measure(for duration: Duration, _ body: () -> Void) -> (rounds: Int, elapsed: Duration) {
    body()
    let clock = ContinuousClock()
    let start = clock.now
    var rounds = 0
    repeat {
        body()
        rounds += 1
    } while start.duration(to: clock.now) < duration
    return (rounds, start.duration(to: clock.now))
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
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
