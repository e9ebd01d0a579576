import Foundation
import ParleyCore
import ParleyTUI

/// The full-screen app's frames at 200×60: laying out and rendering the grid from the state, for
/// a conversation of 10 messages and one of 5,000 messages (10 MB), while a reply streams (one
/// 50 ms batch per frame), while the user pages up through it, on a spinner tick, and while
/// finding in it (each Enter's look through the whole text, and the highlighted frame). Budget:
/// under 2 ms a frame whatever the conversation's length. Curses' own part (writing the cells
/// that changed) follows the changed-cell counts printed here.
enum FrameBenchmark {
    static let benchmark = Benchmark(
        name: "frames", summary: "frame time at 200×60 for conversations of 10 and 5,000 messages (10 MB)", run: run)

    static let size = Size(width: 200, height: 60)

    /// Only the frames of one reply as the app draws it, for a profiler to count: run it under
    /// `valgrind --tool=callgrind --toggle-collect='*ScreenView*render*'` and divide by the frames.
    static let reply = Benchmark(
        name: "reply-frames",
        summary: "the \(replyFrames) frames of one 2,000-token reply at 160×48, nothing else (for a profiler)",
        run: oneReply)

    /// A 2,000-token reply at 500 tokens a second in 50 ms batches: 25 tokens a frame.
    static let replyFrames = 80

    static func run() {
        Glyphs.useUTF8Locale()
        startUp()
        for count in [10, 5_000] { conversation(of: count) }
        longLine()
        hugeReply(megabytes: 4)
        hugeReply(megabytes: 32)
        hugeReply(megabytes: 4, shape: .lines)
        hugeReply(megabytes: 4, shape: .table)
        hugeReply(megabytes: 4, shape: .code)
        hugeReply(megabytes: 4, shape: .log)
        hugeReply(megabytes: 4, shape: .oneLine)
    }

    private static func oneReply() {
        Glyphs.useUTF8Locale()
        var app = Driver(size: Size(width: 160, height: 48))
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.type("Count to a big number, please.")
        app.send(.key(.enter))
        guard let session = app.state.chat.sessions.keys.first else {
            print("  no stream was started")
            return
        }
        var frames: [Double] = []
        var token = 0
        for _ in 0..<replyFrames {
            let text = (token..<(token + 25)).map { "w\($0) " }.joined()
            token += 25
            app.send(.chat(.batchArrived(session, Batch(events: [.text(text)]), now: app.later(50))))
            let cpu = threadCPUSeconds()
            _ = app.render()
            frames.append((threadCPUSeconds() - cpu) * 1000)
        }
        report("one reply, \(replyFrames) frames", frames, changed: nil)
    }

    /// The first frame with 1,000 conversations listed (the database part is the `database` section).
    private static func startUp() {
        var app = Driver()
        let conversations = (0..<1_000).map { index in
            Conversation(
                id: ConversationID("c\(index)"), title: "Conversation number \(index) about something",
                createdAt: Timestamp(millisecondsSince1970: Int64(1_000_000 + index)), provider: "demo", model: "demo")
        }
        let listing = ContinuousClock.now
        app.send(.chat(.listLoaded(conversations, statuses: [:])))
        let cpu = threadCPUSeconds()
        _ = app.render()
        let first = threadCPUSeconds() - cpu
        print(
            "start-up with 1,000 conversations listed: list into the state + first frame \(milliseconds(ContinuousClock.now - listing)), "
                + "first frame \(String(format: "%.2f", first * 1000)) ms CPU")
    }

    private static func conversation(of count: Int) {
        var app = Driver()
        let id = ConversationID("big")
        let messages = Sample.messages(count, in: id)
        let bytes = messages.reduce(0) { $0 + $1.text.utf8.count }
        app.send(
            .chat(
                .listLoaded(
                    [
                        Conversation(
                            id: id, title: "Long one", createdAt: Sample.time(0), provider: "demo", model: "demo")
                    ],
                    statuses: [:])))
        app.send(.chat(.transcriptLoaded(id, messages: messages)))
        app.send(.key(.tab))
        app.send(.key(.enter))

        let openCPU = threadCPUSeconds()
        _ = app.render()
        let open = (threadCPUSeconds() - openCPU) * 1000
        print("\(grouped(Double(count))) messages (\(String(format: "%.1f", Double(bytes) / 1_000_000)) MB):")
        print("  first frame after opening: \(String(format: "%.2f", open)) ms")

        // A reply streaming: one batch per frame, the view following it.
        app.type("One more question, please")
        app.send(.key(.enter))
        guard let session = app.state.chat.sessions.keys.first else {
            print("  no stream was started")
            return
        }
        let words = "The quick **brown** fox jumps over the lazy dog, and `code` follows. "
        var streaming: [Double] = []
        var changed: [Int] = []
        var previous = app.render()
        for round in 0..<400 {
            let text = round % 40 == 39 ? words + "\n\n" : words
            app.send(.chat(.batchArrived(session, Batch(events: [.text(text)]), now: app.later(50))))
            let cpu = threadCPUSeconds()
            let frame = app.render()
            streaming.append((threadCPUSeconds() - cpu) * 1000)
            changed.append(cellsChanged(previous, frame))
            previous = frame
        }
        report("streaming a reply (one batch a frame)", streaming, changed: changed)

        // Paging up through the conversation, a frame per PgUp.
        var paging: [Double] = []
        for _ in 0..<200 {
            app.send(.key(.pageUp))
            let cpu = threadCPUSeconds()
            _ = app.render()
            paging.append((threadCPUSeconds() - cpu) * 1000)
        }
        report("paging up (one page a frame)", paging, changed: nil)

        // A spinner tick: the state barely changes.
        var ticks: [Double] = []
        for _ in 0..<200 {
            app.send(.ticked)
            let cpu = threadCPUSeconds()
            _ = app.render()
            ticks.append((threadCPUSeconds() - cpu) * 1000)
        }
        report("spinner tick", ticks, changed: nil)

        // Finding: the first Enter looks through the whole conversation; the next ones look again
        // only when the text changed (not here), and jump. The frame after highlights the matches.
        app.send(.key(.alt("/")))
        app.type("borrow checker")
        let firstLook = threadCPUSeconds()
        app.send(.key(.enter))
        print(
            "  find: the first Enter, looking through it all: \(String(format: "%.2f", (threadCPUSeconds() - firstLook) * 1000)) ms"
        )
        var looks: [Double] = []
        var found: [Double] = []
        for _ in 0..<40 {
            let look = threadCPUSeconds()
            app.send(.key(.enter))
            looks.append((threadCPUSeconds() - look) * 1000)
            let cpu = threadCPUSeconds()
            _ = app.render()
            found.append((threadCPUSeconds() - cpu) * 1000)
        }
        report("find: Enter to the next match", looks, changed: nil)
        report("find: the frame after, matches highlighted", found, changed: nil)
        app.send(.key(.escape))
    }

    private static func report(_ what: String, _ frames: [Double], changed: [Int]?) {
        let sorted = frames.sorted()
        let median = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        let verdict = p99 < 2 ? "met" : "NOT met"
        var line = "  \(what): median \(String(format: "%.3f", median)) ms, p99 \(String(format: "%.3f", p99)) ms"
        if let changed {
            let cells = changed.sorted()[changed.count / 2]
            line += ", \(cells) cells changed a frame (median)"
        }
        print(line + " — budget 2 ms \(verdict)")
    }

    private static func cellsChanged(_ before: Frame, _ after: Frame) -> Int {
        zip(before.cells, after.cells).count { $0 != $1 }
    }

    private static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.2f ms", duration.fractionalSeconds * 1000)
    }

    /// The app as the run loop drives it: events in, frames out, one layout cache.
    struct Driver {
        var state: AppState
        let layout = TranscriptLayout()
        var clock: Int64 = 10_000_000

        init(size: Size = FrameBenchmark.size) {
            state = AppState(
                size: size, defaults: AppState.Defaults(provider: "demo", model: "demo"), now: Sample.time(0), seed: 7)
        }

        mutating func later(_ milliseconds: Int64) -> Timestamp {
            clock += milliseconds
            return Timestamp(millisecondsSince1970: clock)
        }

        mutating func send(_ event: AppEvent) {
            _ = state.reduce(event, now: later(1), layout: layout)
        }

        mutating func type(_ text: String) {
            for character in text { send(.key(.character(character))) }
        }

        func render() -> Frame { ScreenView.render(state, layout: layout) }
    }
}

/// A long conversation like real ones: questions, and replies of about 4 KB with paragraphs,
/// lists and code blocks.
enum Sample {
    static func time(_ offset: Int64) -> Timestamp { Timestamp(millisecondsSince1970: 1_700_000_000_000 + offset) }

    static func messages(_ count: Int, in id: ConversationID) -> [Message] {
        let reply = """
            ## A heading for this part

            Lifetimes describe how long a reference stays valid. The **borrow checker** compares them, \
            and *elision* fills most of them in for you, so `fn first(x: &str) -> &str` needs none written.

            - a reference may not outlive what it points at;
            - a struct holding a reference names its lifetime;
            - `'static` lives for the whole program.

            ```rust
            fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {
                if x.len() > y.len() { x } else { y }
            }
            ```

            > Quoted advice: start with owned values and borrow where it helps.

            """
        let padded =
            reply
            + String(repeating: "More words to bring the reply to four kilobytes, as real answers are. ", count: 48)
        return (0..<count).map { index in
            let isUser = index % 2 == 0
            return Message(
                id: MessageID("m\(index)"), conversationID: id, role: isUser ? .user : .assistant,
                status: isUser ? .sent : .complete,
                text: isUser ? "Question number \(index): how do lifetimes work?" : padded,
                createdAt: time(Int64(index)), provider: isUser ? nil : "demo", model: isUser ? nil : "demo",
                usage: isUser ? nil : Usage(inputTokens: 100, outputTokens: 500),
                parentID: index == 0 ? nil : MessageID("m\(index - 1)"))
        }
    }
}

extension FrameBenchmark {
    /// What a huge reply is made of.
    enum HugeShape: String {
        case markdown = ""
        /// Lines of a kilobyte with no blank line between them (what a hostile server's flood is).
        case lines = ", lines with no blank line"
        /// One table of 300,000 rows.
        case table = ", one table"
        /// One block of Swift (whose lines may carry a comment or a string to the next).
        case code = ", one block of Swift"
        /// One block of plain code (a log).
        case log = ", one block of plain code"
        /// A single line (minified JSON).
        case oneLine = ", one line"
    }

    /// A function of Swift with what a line may carry to the next: a block comment, a string of lines.
    static let swiftSample = #"""
            /// Returns the value for a key, computing it once.
            func value(for key: String, in table: [String: Int]) -> Int? {
                guard let found = table[key] else { return nil }  // not there
                /* Cached: the table
                   is read once. */
                let message = """
                    found \(found) for "\(key)"
                    """
                return found * 12345 + message.count
            }

        """#

    /// A saved reply as long as the default reply limit (4 MB of Markdown), opened, scrolled
    /// through and resized: what a flood that was stopped leaves behind (and one of 32 MB, saved
    /// under a higher limit). The first frame shows its end; the text above is counted between
    /// frames, a slice at a time, as the run loop does.
    static func hugeReply(megabytes: Int, shape: HugeShape = .markdown) {
        var app = Driver()
        let id = ConversationID("huge")
        let paragraph =
            switch shape {
            case .markdown: Sample.messages(2, in: id)[1].text
            case .lines: String(repeating: "flood ", count: 170) + "\n"
            case .table: "| a | b | c |\n"
            case .code: swiftSample
            case .log: "2026-12-05 01:00:00.123 worker 7: request served in 12 ms\n"
            case .oneLine: String(repeating: "{\"key\":\"value\",\"n\":12345}, ", count: 40)
            }
        var text =
            switch shape {
            case .table: "| A | B | C |\n|---|---|---|\n"
            case .code: "```swift\n"
            case .log: "```\n"
            default: ""
            }
        while text.utf8.count < megabytes * 1_000_000 { text += paragraph }
        let messages = [
            Message(
                id: MessageID("q"), conversationID: id, role: .user, status: .sent, text: "Everything, please",
                createdAt: Sample.time(0)),
            Message(
                id: MessageID("r"), conversationID: id, role: .assistant, status: .complete, text: text,
                createdAt: Sample.time(1), provider: "demo", model: "demo", parentID: MessageID("q")),
        ]
        app.send(
            .chat(
                .listLoaded(
                    [Conversation(id: id, title: "Huge", createdAt: Sample.time(0), provider: "demo", model: "demo")],
                    statuses: [:])))
        app.send(.chat(.transcriptLoaded(id, messages: messages)))
        let before = residentMegabytes()
        var cpu = threadCPUSeconds()
        app.send(.key(.tab))
        app.send(.key(.enter))
        _ = app.render()
        let open = (threadCPUSeconds() - cpu) * 1000
        let size = String(format: "%.1f", Double(text.utf8.count) / 1_000_000)
        print("one reply of \(size) MB\(shape.rawValue):")
        print("  first frame after opening: \(String(format: "%.1f", open)) ms")
        countBetweenFrames(app)
        print("  memory once counted: \(String(format: "%+.0f", residentMegabytes() - before)) MB")
        var paging: [Double] = []
        for _ in 0..<200 {
            app.send(.key(.pageUp))
            cpu = threadCPUSeconds()
            _ = app.render()
            paging.append((threadCPUSeconds() - cpu) * 1000)
        }
        report("paging up through it", paging, changed: nil)
        app.send(.resized(Size(width: 160, height: 48)))
        cpu = threadCPUSeconds()
        _ = app.render()
        print("  first frame after a resize: \(String(format: "%.1f", (threadCPUSeconds() - cpu) * 1000)) ms")
        countBetweenFrames(app)
    }

    /// Counts what is left of the text above, in the run loop's slices, reporting their time.
    private static func countBetweenFrames(_ app: Driver) {
        var slices: [Double] = []
        while app.layout.isCatchingUp {
            let cpu = threadCPUSeconds()
            _ = app.layout.catchUp(bytes: TranscriptLayout.catchUpSlice)
            slices.append((threadCPUSeconds() - cpu) * 1000)
        }
        print(
            "  the rest counted between frames: \(slices.count) slices, longest "
                + "\(String(format: "%.1f", slices.max() ?? 0)) ms, \(String(format: "%.0f", slices.reduce(0, +))) ms in all"
        )
    }

    /// A reply that is one long line (minified JSON, say): each batch lays out its unfinished line again.
    static func longLine() {
        var app = Driver()
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.type("JSON please")
        app.send(.key(.enter))
        guard let session = app.state.chat.sessions.keys.first else { return }
        let piece = String(repeating: "{\"key\":\"value\",\"n\":12345}, ", count: 40)
        // Each batch's cost in two parts: taking it into the state, and drawing the frame.
        var batches: [(size: Int, taken: Double, frame: Double)] = []
        var size = 0
        // Up to the default reply limit, where a flooding server's one line is stopped.
        while size < 4_050_000 {
            let start = threadCPUSeconds()
            app.send(.chat(.batchArrived(session, Batch(events: [.text(piece)]), now: app.later(50))))
            size += piece.utf8.count
            let taken = threadCPUSeconds()
            _ = app.render()
            batches.append((size, (taken - start) * 1000, (threadCPUSeconds() - taken) * 1000))
        }
        for kilobytes in [10, 100, 1_000, 4_000] {
            // The medians over the next 40 KB.
            let near = batches.filter { $0.size >= kilobytes * 1000 && $0.size < kilobytes * 1000 + 40_000 }
            guard !near.isEmpty else { continue }
            func median(_ values: [Double]) -> String { String(format: "%.2f", values.sorted()[values.count / 2]) }
            print(
                "  one-line reply at \(kilobytes) KB: batch taken in \(median(near.map(\.taken))) ms, "
                    + "frame \(median(near.map(\.frame))) ms")
        }
    }
}
