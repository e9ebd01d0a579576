import ParleyCore
import ParleyTUI

/// Frames while a reply of large tables and highlighted code streams: a table's columns are sized
/// by all its rows, so this is where a frame could cost the table instead of what changed. The
/// reply (two tables of 400 rows, one wider than the pane, a Swift block of 400 lines and a Python
/// one of 800) arrives in 50 ms batches of 150 characters, one frame each, at 200×60 and at 80×24
/// (where the tables wrap). A frame here is the batch taken into the state and the screen drawn.
/// Budget: under 2 ms a frame.
enum TableFrameBenchmark {
    static let benchmark = Benchmark(
        name: "table-frames",
        summary: "frame time while a reply of large tables and code streams, at 200×60 and 80×24", run: run)

    static func run() {
        Glyphs.useUTF8Locale()
        let reply = Self.reply()
        print("a reply of \(grouped(Double(reply.utf8.count))) bytes: tables and code")
        for size in [Size(width: 200, height: 60), Size(width: 80, height: 24)] { stream(reply, at: size) }
    }

    private static func stream(_ reply: String, at size: Size) {
        var app = FrameBenchmark.Driver(size: size)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.type("Tables and code, please")
        app.send(.key(.enter))
        guard let session = app.state.chat.sessions.keys.first else {
            print("  no stream was started")
            return
        }
        var frames: [Double] = []
        var batch = reply.startIndex
        while batch < reply.endIndex {
            let end = reply.index(batch, offsetBy: 150, limitedBy: reply.endIndex) ?? reply.endIndex
            let cpu = threadCPUSeconds()
            app.send(
                .chat(.batchArrived(session, Batch(events: [.text(String(reply[batch..<end]))]), now: app.later(50))))
            _ = app.render()
            frames.append((threadCPUSeconds() - cpu) * 1000)
            batch = end
        }
        let sorted = frames.sorted()
        let median = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        let verdict = p99 < 2 ? "met" : "NOT met"
        print(
            "  \(size.width)×\(size.height), \(frames.count) frames: median \(String(format: "%.3f", median)) ms, "
                + "p99 \(String(format: "%.3f", p99)) ms, slowest \(String(format: "%.3f", sorted.last ?? 0)) ms"
                + " — budget 2 ms \(verdict)")
    }

    /// Tables whose columns keep widening now and then (longer names further down) and code in
    /// two languages, as a model writes them.
    static func reply() -> String {
        var text =
            "Here are the figures you asked for.\n\n| # | Name | Region | Score | Notes |\n|--:|:--|:-:|--:|:--|\n"
        for row in 1...400 {
            let name = "item-" + String(repeating: "x", count: row / 40)
            text += "| \(row) | \(name) | eu-\(row % 7) | \(row * 37 % 1000) | **ok** `n=\(row)` fine |\n"
        }
        text += "\nAnd the code:\n\n```swift\n"
        for line in 1...400 {
            text += "let value\(line): Int = compute(\(line), \"label \(line)\") // step \(line) of the plan\n"
        }
        text += "```\n\nA wide one:\n\n| Key | Description | Default | Since |\n|---|---|---|---|\n"
        for row in 1...400 {
            text +=
                "| key_\(row) | what this setting changes when it is set, in a sentence long enough to wrap | "
                + "\(row % 2 == 0 ? "true" : "false") | 1.\(row % 10) |\n"
        }
        text += "\n```python\n"
        for line in 1...400 {
            text += "def step_\(line)(x: int) -> int:  # '''not a string'''\n    return x * \(line)\n"
        }
        return text + "```\n\nThat is everything."
    }
}
