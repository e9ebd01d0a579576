import Foundation
import ParleyCore
import ParleyStore

/// Start-up's share of the database: opening a file that holds 1,000 conversations and 100,000
/// messages (migrations checked, interrupted replies looked for) and listing the conversations,
/// as the sidebar and `parley list` do. The budget is the whole start-up to first frame: 100 ms.
/// Also the page check each process runs before its first write, which the first frame does not wait for.
enum DatabaseBenchmark {
    static let benchmark = Benchmark(
        name: "database", summary: "open a database of 1,000 conversations / 100,000 messages and list them",
        run: run)

    static func run() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("parley.sqlite").path
        blocking {
            do {
                let seeding = ContinuousClock.now
                let store = try ConversationStore.open(at: path)
                try await BenchmarkConversations.seed(
                    store, conversations: 1_000, messagesEach: 100,
                    start: Timestamp(millisecondsSince1970: 1_700_000_000_000))
                print("seeded 1,000 conversations / 100,000 messages in \(ms(ContinuousClock.now - seeding))")
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                print("database file: \(grouped(Double(size) / 1_048_576)) MB (plus WAL)")

                var opens: [Duration] = []
                var lists: [Duration] = []
                for _ in 0..<5 {
                    let opened = ContinuousClock.now
                    let reopened = try ConversationStore.open(at: path)
                    let listed = ContinuousClock.now
                    let summaries = try await reopened.conversations()
                    lists.append(ContinuousClock.now - listed)
                    opens.append(listed - opened)
                    guard summaries.count == 1_000 else {
                        print("listed \(summaries.count) conversations, not the 1,000 seeded")
                        return
                    }
                }
                let open = opens.sorted()[2]
                let list = lists.sorted()[2]
                print("open: \(ms(open)), list 1,000 conversations: \(ms(list)) (median of 5)")
                var checks: [Duration] = []
                for _ in 0..<5 {
                    let reopened = try ConversationStore.open(at: path)
                    let checking = ContinuousClock.now
                    try await reopened.checkBeforeWriting()
                    checks.append(ContinuousClock.now - checking)
                }
                print(
                    "check before the first write (PRAGMA quick_check, once per process, off the first frame): "
                        + "\(ms(checks.sorted()[2])) (median of 5)")
                let verdict = open + list < .milliseconds(100) ? "met" : "NOT met"
                print("budget: start-up to first frame under 100 ms — open + list \(ms(open + list)), \(verdict)")
            } catch {
                print("database benchmark failed: \(error)")
            }
        }
    }

    static func ms(_ duration: Duration) -> String {
        String(format: "%.1f ms", duration.fractionalSeconds * 1000)
    }
}

/// Runs async work to completion from a benchmark's synchronous body.
func blocking(_ work: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await work()
        done.signal()
    }
    done.wait()
}
