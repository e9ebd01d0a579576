import ParleyCore
import Testing

@testable import ParleyTUI

/// A saved reply of megabytes (what a stopped flood leaves) opens at once: it is laid out from a
/// paragraph near its end, and what is above it is counted between frames, one line standing for
/// it until then. Once counted, every line is what a layout from the start makes.
@Suite("A long saved reply opens at once")
struct LongReplyTests {
    init() { Glyphs.useUTF8Locale() }

    /// A reply like real ones, repeated past the size laid out later: a heading, prose, a list, a
    /// table and a code block with blank lines in it.
    static let reply: String = {
        let part = """
            ## Part

            Lifetimes describe how long a reference stays valid. The **borrow checker** compares them, \
            and *elision* fills most of them in, so `fn first(x: &str) -> &str` needs none.

            - a reference may not outlive what it points at;
            - `'static` lives for the whole program.

            | Name | Kind |
            |------|------|
            | x | a borrowed string slice, named |

            ```rust
            fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {

                /* a comment
                   over lines */
                if x.len() > y.len() { x } else { y }
            }
            ```

            """
        return String(repeating: part, count: MessageBody.countedLater / part.utf8.count + 40)
    }()

    /// The body laid out as a streaming reply is: its start first, then the rest (never later).
    static func grown(_ text: String, width: Int, styled: Bool = true) -> MessageBody {
        var body = MessageBody(width: width, styled: styled, appendOnly: true)
        body.update(String(text.prefix(100)))
        body.update(text, final: true)
        return body
    }

    /// Counts the text above in slices, as the loop does between frames; returns how far the lines moved.
    static func caughtUp(_ body: inout MessageBody) -> Int? {
        for _ in 0..<1_000 {
            if let moved = body.catchUp(bytes: 64 * 1024) { return moved }
        }
        return nil
    }

    @Test("its end is laid out first as it will be; counted in slices, every line is the whole layout's")
    func laidOutFromTheEnd() {
        for (text, styled) in [(Self.reply, true), (Self.reply, false)] {
            let whole = Self.grown(text, width: 50, styled: styled)
            var body = MessageBody(width: 50, styled: styled, appendOnly: true)
            body.update(text, final: true)
            #expect(body.isCatchingUp)
            let first = body.lines
            #expect(first[0].text.hasPrefix("⋯ laying out the "))
            #expect(first.count > 1_000 && first.count < whole.lineCount / 4, "screens of the end, not all of it")
            #expect(Array(first.dropFirst()) == Array(whole.lines.suffix(first.count - 1)))
            let moved = Self.caughtUp(&body)
            #expect(!body.isCatchingUp)
            #expect(moved == whole.lineCount - first.count)
            #expect(body.lines == whole.lines)
        }
    }

    @Test("a long code block at its end opens from inside it, its lines shown as code")
    func fromInsideCode() {
        let code = (0..<4_000).map { "    let value\($0) = \"\($0)\"\n\n" }.joined()
        let text = Self.reply + "\n```swift\n" + code + "```\nDone.\n"
        var body = MessageBody(width: 60, styled: true, appendOnly: true)
        body.update(text, final: true)
        let whole = Self.grown(text, width: 60)
        let first = body.lines
        #expect(Array(first.dropFirst()) == Array(whole.lines.suffix(first.count - 1)))
        #expect(first[1].text.hasPrefix("│     let value"), "a line of the block, in its frame")
        _ = Self.caughtUp(&body)
        #expect(body.lines == whole.lines)
    }

    @Test(
        "a long block of plain code (a log in a fence) opens at once, from inside it", arguments: ["", "log", "diff"])
    func plainCode(language: String) {
        let log = (0..<20_000).map { "2026-12-05 01:00:\($0 % 60) worker \($0): /* done\n" }.joined()
        let text = "Here it is:\n\n```\(language)\n" + log + "```\nThat is all."
        var body = MessageBody(width: 70, styled: true, appendOnly: true)
        body.update(text, final: true)
        #expect(body.isCatchingUp)
        let first = body.lines
        #expect(first[1].text.hasPrefix("│ 2026-12-05"), "a line of the block")
        let whole = Self.grown(text, width: 70)
        #expect(Array(first.dropFirst()) == Array(whole.lines.suffix(first.count - 1)))
    }

    /// A block whose lines above the end leave a comment or a string open: its language, the
    /// line that opens it, the one that closes it and the lines in between.
    struct LeftOpen: Sendable, CustomTestStringConvertible {
        var language, open, close, inside: String
        var testDescription: String { "\(language): \(open)" }
    }

    @Test(
        "a long block of code opens at once even inside a comment or a string its lines above left open",
        arguments: [
            LeftOpen(
                language: "swift", open: "/* a comment over lines", close: "   the comment ends */",
                inside: "   the comment goes on"),
            LeftOpen(
                language: "swift", open: #"let text = """"#, close: #"    """"#,
                inside: #"    a "line" of /* the string"#),
            LeftOpen(language: "python", open: "s = '''", close: "'''", inside: "  # not a comment: the string"),
            LeftOpen(
                language: "html", open: #"<div class="note""#, close: "  hidden>", inside: #"  id="x" data-a='1'"#),
        ])
    func insideAComment(_ block: LeftOpen) {
        // The comment or string opens early and closes only near the end: the layout starts in it.
        let lines = (0..<40_000).map {
            $0 == 10 ? block.open : $0 == 39_990 ? block.close : $0 % 7 == 0 ? "" : block.inside
        }
        let text = "```\(block.language)\n" + lines.joined(separator: "\n") + "\n```\nThat is all."
        var body = MessageBody(width: 50, styled: true, appendOnly: true)
        body.update(text, final: true)
        #expect(body.isCatchingUp)
        let first = body.lines
        let whole = Self.grown(text, width: 50)
        #expect(Array(first.dropFirst()) == Array(whole.lines.suffix(first.count - 1)))
        // Its opening line is above the start, so the lines shown first are inside it, as styled there.
        #expect(!first.contains { $0.text.hasSuffix(block.open) })
    }

    @Test("a flood of lines with no blank line between them opens at once too, from near its end")
    func floodWithoutParagraphs() {
        let line = String(repeating: "flood ", count: 170) + "\n"
        let text = "| a | b |\n|---|---|\n| 1 | 2 |\n\n" + String(repeating: line, count: 600)
        var body = MessageBody(width: 80, styled: true, appendOnly: true)
        body.update(text, final: true)
        let whole = Self.grown(text, width: 80)
        #expect(body.isCatchingUp)
        let first = body.lines
        #expect(first.count < whole.lineCount / 4)
        #expect(Array(first.dropFirst()) == Array(whole.lines.suffix(first.count - 1)))
    }

    @Test(
        "a table whose rows run on past where the end starts: its rows there are laid out in its columns",
        arguments: ["|---|---|", "- | -"])
    func tableRunningPastTheStart(delimiter: String) {
        // Any line that starts no other block is a row; "- | -" is a list item and a delimiter row.
        let rows = String(repeating: "a row with no pipe, which goes on with the table\n", count: 2_000)
        let text = Self.reply + "Name | Kind\n" + delimiter + "\n" + rows
        var body = MessageBody(width: 60, styled: true, appendOnly: true)
        body.update(text, final: true)
        let whole = Self.grown(text, width: 60)
        #expect(body.isCatchingUp)
        let first = body.lines
        #expect(first[1].text.contains(" │ "), "a row, not a paragraph")
        #expect(Array(first.dropFirst()) == Array(whole.lines.suffix(first.count - 1)))
    }

    @Test("a table of many thousands of rows opens at once: its columns are sized by its first rows")
    func longTable() {
        let rows = String(repeating: "| row | a cell | another |\n", count: 24_000)
        let text = "Counted:\n\n| N | What | More |\n|--:|---|---|\n" + rows + "| end | last | row |\n\nThe end."
        var body = MessageBody(width: 60, styled: true, appendOnly: true)
        body.update(text, final: true)
        #expect(body.isCatchingUp)
        let first = body.lines
        #expect(first.count < 5_000, "rows near the end, laid out with the columns the first rows sized")
        let whole = Self.grown(text, width: 60)
        #expect(Array(first.dropFirst()) == Array(whole.lines.suffix(first.count - 1)))
        #expect(first[first.count - 3].text == "end │ last   │ row    ")
    }

    @Test(
        "long tables of rows of every kind, wider ones after the sized rows, are laid out from inside as from the start"
    )
    func randomLongTables() {
        var random = SeededRandom(seed: 31)
        // Rows, and text that goes on with a table; rarely, lines that end one or start another.
        let rows = [
            "| 1 | 2 |", "| a much wider cell | 2 |", "a row with no pipe", "| 1 | 2 | 3 |", "x | y", "|---|---|",
            "`code` | **bold**",
        ]
        let rare = ["", "- | -", "# Heading", "| Name | Note |", "|:-:|:-:|", "> a | b"]
        var startsInATable = 0
        for _ in 0..<4 {
            var text = Self.reply + "| Name | Note |\n|---|---|\n"
            // The rare lines come early, so that a table they end or start may still be a long one.
            for row in 0..<TableLines.sizingRows + Int.random(in: 9_000...14_000, using: &random) {
                let kinds = row < 3_000 && Int.random(in: 0..<500, using: &random) == 0 ? rare : rows
                text += kinds.randomElement(using: &random)! + "\n"
            }
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                text += Self.kinds.randomElement(using: &random)! + "\n"
            }
            var body = MessageBody(width: Int.random(in: 20...90, using: &random), styled: true, appendOnly: true)
            body.update(text, final: true)
            guard body.isCatchingUp else { continue }
            if MessageBody.laterStart(in: text, styled: true)?.tableLines.open != nil { startsInATable += 1 }
            let first = body.lines.dropFirst()
            _ = Self.caughtUp(&body)
            let end = (body.lineCount - first.count..<body.lineCount).map(body.line)
            #expect(Array(first) == end)
        }
        #expect(startsInATable >= 3)
    }

    /// Lines that start, go on with or end tables, code blocks and the rest, each text made of a few.
    static let kinds = [
        "", "Some prose, and then some.", "x | y", "| 1 | 2 |", "a|b|c", "|---|---|", "- | -", "--- | ---",
        "|:-:|--:|", "---", "***", "# Heading", "## Heading | with a pipe", "> quoted", "> a | b",
        "- item", "1. item", "- item | with a pipe", "```", "```swift", "~~~", "  ```", "```diff", "~~~ text",
        "let x = a | b { /* open", "*/ closed",
        String(repeating: "long ", count: 450), String(repeating: "long | ", count: 300), "\r", "   ",
    ]

    @Test("any text of such lines, laid out from near its end, shows there what the layout from its start shows")
    func randomTexts() {
        var random = SeededRandom(seed: 12)
        var laidOutLater = 0
        for _ in 0..<10 {
            let chosen = Self.kinds.shuffled(using: &random).prefix(Int.random(in: 2...6, using: &random))
            var text = ""
            while text.utf8.count < MessageBody.countedLater + 80 * 1024 {
                // Runs of one kind, some long: tables, code blocks and paragraphs cross the limit.
                let line = chosen.randomElement(using: &random)!
                let run = [
                    1, Int.random(in: 1...60, using: &random), Int.random(in: 1...1_500, using: &random),
                    Int.random(in: 1...12_000, using: &random),
                ].randomElement(using: &random)!
                let room = (MessageBody.countedLater + 160 * 1024 - text.utf8.count) / (line.utf8.count + 1) + 1
                text += String(repeating: line + "\n", count: min(run, room))
            }
            var body = MessageBody(width: Int.random(in: 20...90, using: &random), styled: true, appendOnly: true)
            body.update(text, final: true)
            guard body.isCatchingUp else { continue }
            laidOutLater += 1
            let first = body.lines.dropFirst()
            // Counted, the body is the layout from the start (`laidOutFromTheEnd`).
            _ = Self.caughtUp(&body)
            let end = (body.lineCount - first.count..<body.lineCount).map(body.line)
            #expect(Array(first) == end, "made of \(chosen.map { String($0.prefix(12)) })")
        }
        #expect(laidOutLater >= 5)
    }

    @Test(
        "a stopped reply's last words, landing after it ended, go on from where it was: as the whole text's layout",
        arguments: [
            String(repeating: "flood ", count: 60_000),
            "| Name | Kind |\n|---|---|\n| x | a slice |\n| yy | a much longer cell, wider |",
        ])
    func wordsAfterTheEnd(text: String) {
        let utf8 = text.utf8
        func prefix(_ part: Int) -> String {
            String(text[..<utf8.index(utf8.startIndex, offsetBy: utf8.count * part / 4)])
        }
        var body = MessageBody(width: 50, styled: true, appendOnly: true)
        body.update(prefix(2))
        // Stopped: the reply is whole as far as it knows; then the text on its way lands.
        body.update(prefix(3), final: true)
        body.update(text, final: true)
        var whole = MessageBody(width: 50, styled: true, appendOnly: true)
        whole.update(text, final: true)
        #expect(body.lines == whole.lines)
    }

    @Test("a reply that grows while the text above is counted is laid out whole once it is")
    func growsMeanwhile() {
        var body = MessageBody(width: 50, styled: true, appendOnly: true)
        body.update(Self.reply)
        body.update(Self.reply + "More to say, **at length**.\n\n| a | b |\n")
        _ = Self.caughtUp(&body)
        let text = Self.reply + "More to say, **at length**.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
        body.update(text, final: true)
        #expect(body.lines == Self.grown(text, width: 50).lines)
    }

    /// A conversation with a question and `reply`, opened from the sidebar.
    static func opened(_ reply: String) -> App {
        var app = App(width: 80, height: 24)
        let id = ConversationID("long")
        app.send(
            .chat(
                .listLoaded(
                    [Conversation(id: id, title: "Long", createdAt: at(500), provider: "demo", model: "demo")],
                    statuses: [:])))
        app.press(.tab, .enter)
        let question = Message(
            id: MessageID("q"), conversationID: id, role: .user, status: .sent, text: "Everything, please",
            createdAt: at(600))
        let answer = Message(
            id: MessageID("a"), conversationID: id, role: .assistant, status: .complete, text: reply,
            createdAt: at(700), provider: "demo", model: "demo", parentID: question.id)
        app.send(.chat(.transcriptLoaded(id, messages: [question, answer])))
        app.press(.tab)  // to the transcript, which the page keys then scroll
        return app
    }

    /// What the runtime's loop does between frames while there is text to count.
    static func countBetweenFrames(_ app: inout App) {
        while app.layout.isCatchingUp {
            let moved = app.layout.catchUp(bytes: TranscriptLayout.catchUpSlice)
            if !moved.isEmpty { app.send(.laidOut(moved)) }
        }
    }

    @Test("opened, its end shows; paged up meanwhile, the same lines stay in view once the rest is counted")
    func placeKept() {
        var app = Self.opened(Self.reply + "The very last words.")
        #expect(app.screen.contains("The very last words."))
        #expect(app.layout.isCatchingUp)
        app.press(.pageUp, .pageUp, .pageUp)
        let paged = app.screen
        Self.countBetweenFrames(&app)
        #expect(app.screen == paged)
        app.press(.end)
        #expect(app.screen.contains("The very last words."))
    }

    @Test("at the top before the rest is counted, one line says so; then the reply's first lines show")
    func topWhileCounting() {
        var app = Self.opened(Self.reply)
        app.press(.home)
        let rows = app.frame.rows
        #expect(rows.contains { $0.contains("Everything, please") })
        #expect(rows.contains { $0.contains("⋯ laying out the ") && $0.contains(" KB above ⋯") })
        Self.countBetweenFrames(&app)
        #expect(!app.screen.contains("laying out"))
        #expect(app.frame.rows.contains { $0.contains("Part") })
    }
}
