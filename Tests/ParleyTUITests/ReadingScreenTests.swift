import ParleyCore
import Testing

@testable import ParleyTUI

/// Replies as a reader sees them on screen: tables, highlighted code, lists and quotes, at the
/// smallest usual terminal and a large one, with the theme's colours and with none.
@Suite("Screens: tables, code, lists and quotes in a reply")
struct ReadingScreenTests {
    init() { Glyphs.useUTF8Locale() }

    /// The app at `width`×`height` after `reply` streamed in, in pieces, and finished.
    static func replied(_ reply: String, width: Int, height: Int) throws -> App {
        var app = App(width: width, height: height, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("Show me")
        var rest = reply[...]
        while !rest.isEmpty {
            app.stream(start, [.text(String(rest.prefix(40)))])
            rest = rest.dropFirst(40)
        }
        app.stream(start, [.stop(StopReason(.endTurn))])
        app.finish(start)
        return app
    }

    /// The transcript pane's rows as text (inside its border and margins), trailing spaces dropped.
    static func transcript(_ frame: Frame) -> [String] {
        let corners = (0..<frame.size.width).filter { frame[0, $0].text == "┌" }
        let left = corners.count > 1 ? corners[1] + 2 : 2
        let right = (0..<frame.size.width).last { frame[0, $0].text == "┐" } ?? frame.size.width - 1
        return (1..<frame.size.height).map { row in
            let text = (left..<(right - 1)).map { frame[row, $0].text }.joined()
            return String(text.reversed().drop { $0 == " " }.reversed())
        }
    }

    /// `count` transcript rows from the first that starts with `first`.
    static func rows(_ app: App, from first: String, count: Int) -> [String] {
        let rows = transcript(app.frame)
        guard let start = rows.firstIndex(where: { $0.hasPrefix(first) }) else { return [] }
        return Array(rows[start..<min(rows.count, start + count)])
    }

    /// Each cell of a transcript row as a letter for its code role: k keyword, s string, n number
    /// or constant, c comment, t type, + added, - removed, @ hunk; a space for anything else.
    static func roles(_ app: App, row text: String) -> String {
        let frame = app.frame
        let rows = transcript(frame)
        guard let row = rows.firstIndex(of: text) else { return "no such row" }
        let corners = (0..<frame.size.width).filter { frame[0, $0].text == "┌" }
        let left = corners.count > 1 ? corners[1] + 2 : 2
        let letters: [Style.Role: Character] = [
            .keyword: "k", .string: "s", .number: "n", .comment: "c", .typeName: "t", .added: "+", .removed: "-",
            .hunk: "@",
        ]
        let cells = (left..<(left + Glyphs.width(of: text))).map { frame[row + 1, $0].style.role }
        return String(String(cells.map { letters[$0] ?? " " }).reversed().drop { $0 == " " }.reversed())
    }

    static let tableReply = """
        Here is the comparison:

        | Provider | Streams | Notes |
        |:--|:-:|:--|
        | OpenAI | yes | the reference for the chat completions wire format |
        | Anthropic | yes | messages with **thinking** blocks |
        | Ollama | yes | local models at `localhost:11434` |
        | 日本のモデル | — | two columns a character |

        Pick one.
        """

    @Test("80×24: a table wider than the pane wraps its widest column; the others keep their width")
    func tableAt80() throws {
        let app = try Self.replied(Self.tableReply, width: 80, height: 24)
        expectScreen(
            app.screen,
            """
            ┌ Conversations ─────┐┌ Show me ──────────────────────── demo · demo (offline) ┐
            │  Show me           ││ you · sending…                                         │
            │                    ││ Show me                                                │
            │                    ││                                                        │
            │                    ││ demo · demo (offline) · 1.2 s                          │
            │                    ││ Here is the comparison:                                │
            │                    ││                                                        │
            │                    ││ Provider     │ Streams │ Notes                         │
            │                    ││ ─────────────┼─────────┼────────────────────────────── │
            │                    ││ OpenAI       │   yes   │ the reference for the chat    │
            │                    ││              │         │ completions wire format       │
            │                    ││ Anthropic    │   yes   │ messages with thinking blocks │
            │                    ││ Ollama       │   yes   │ local models at               │
            │                    ││              │         │ localhost:11434               │
            │                    ││ 日本のモデル │    —    │ two columns a character       │
            │                    ││                                                        │
            │                    ││ Pick one.                                              │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    │├────────────────────────────────────────────────────────┤
            │                    ││> type here; Enter sends, Alt-Enter/Ctrl-J new line     │
            └────────────────────┘└────────────────────────────────────────────────────────┘
             demo · TTFT 300 ms · 88 tok/s                             F1 help  Ctrl-Q quit
            """)
    }

    @Test("200×60: the same table at its natural widths, a row a line")
    func tableAt200() throws {
        let app = try Self.replied(Self.tableReply, width: 200, height: 60)
        #expect(
            Self.rows(app, from: "Provider", count: 8) == [
                "Provider     │ Streams │ Notes",
                "─────────────┼─────────┼───────────────────────────────────────────────────",
                "OpenAI       │   yes   │ the reference for the chat completions wire format",
                "Anthropic    │   yes   │ messages with thinking blocks",
                "Ollama       │   yes   │ local models at localhost:11434",
                "日本のモデル │    —    │ two columns a character",
                "",
                "Pick one.",
            ])
    }

    static let codeReply = """
        ```swift
        // Ask any provider the same way.
        let reply = try await parley.ask("hi", tokens: 42)
        ```
        ```py
        def ask(prompt: str) -> None:  # prints
        ```
        ```json
        {"model": "gpt-4o", "stream": true}
        ```
        ```diff
        @@ -1 +1 @@
        -old line
        +new line
        ```
        """

    @Test("80×24: code blocks in their languages, each token in its role")
    func codeAt80() throws {
        let app = try Self.replied(Self.codeReply, width: 80, height: 24)
        expectScreen(
            app.screen,
            """
            ┌ Conversations ─────┐┌ Show me ──────────────────────── demo · demo (offline) ┐
            │  Show me           ││ you · sending…                                         │
            │                    ││ Show me                                                │
            │                    ││                                                        │
            │                    ││ demo · demo (offline) · 1.2 s                          │
            │                    ││ ┌─ swift ───────────────────────────────────────────── │
            │                    ││ │ // Ask any provider the same way.                    │
            │                    ││ │ let reply = try await parley.ask("hi", tokens: 42)   │
            │                    ││ └───────────────────────────────────────────────────── │
            │                    ││ ┌─ py ──────────────────────────────────────────────── │
            │                    ││ │ def ask(prompt: str) -> None:  # prints              │
            │                    ││ └───────────────────────────────────────────────────── │
            │                    ││ ┌─ json ────────────────────────────────────────────── │
            │                    ││ │ {"model": "gpt-4o", "stream": true}                  │
            │                    ││ └───────────────────────────────────────────────────── │
            │                    ││ ┌─ diff ────────────────────────────────────────────── │
            │                    ││ │ @@ -1 +1 @@                                          │
            │                    ││ │ -old line                                            │
            │                    ││ │ +new line                                            │
            │                    ││ └───────────────────────────────────────────────────── │
            │                    │├────────────────────────────────────────────────────────┤
            │                    ││> type here; Enter sends, Alt-Enter/Ctrl-J new line     │
            └────────────────────┘└────────────────────────────────────────────────────────┘
             demo · TTFT 300 ms · 67 tok/s                             F1 help  Ctrl-Q quit
            """)
    }

    @Test("200×60: the same code, nothing wrapped, the same roles")
    func codeAt200() throws {
        let app = try Self.replied(Self.codeReply, width: 200, height: 60)
        // The pane's 164 columns, a fence's rule across them all.
        func fence(_ label: String?) -> String {
            let start = label.map { "┌─ \($0) " } ?? "└"
            return start + String(repeating: "─", count: 164 - Glyphs.width(of: start))
        }
        let expected: [String] = [
            fence("swift"), "│ // Ask any provider the same way.",
            "│ let reply = try await parley.ask(\"hi\", tokens: 42)",
            fence(nil), fence("py"), "│ def ask(prompt: str) -> None:  # prints", fence(nil), fence("json"),
            "│ {\"model\": \"gpt-4o\", \"stream\": true}", fence(nil), fence("diff"), "│ @@ -1 +1 @@", "│ -old line",
            "│ +new line", fence(nil),
        ]
        #expect(Self.rows(app, from: "┌─ swift", count: 15) == expected)
        #expect(
            Self.roles(app, row: "│ let reply = try await parley.ask(\"hi\", tokens: 42)")
                == "  kkk         kkk kkkkk            ssss          nn")
    }

    @Test("NO_COLOR: the code's roles get no colour at all; with the standard theme each has its own")
    func noColour() throws {
        let app = try Self.replied(Self.codeReply, width: 80, height: 24)
        let expected = [
            "│ // Ask any provider the same way.": "  ccccccccccccccccccccccccccccccccc",
            "│ let reply = try await parley.ask(\"hi\", tokens: 42)":
                "  kkk         kkk kkkkk            ssss          nn",
            "│ def ask(prompt: str) -> None:  # prints": "  kkk             ttt     nnnn   cccccccc",
            "│ {\"model\": \"gpt-4o\", \"stream\": true}": "   kkkkkkk  ssssssss  kkkkkkkk  nnnn",
            "│ @@ -1 +1 @@": "  @@@@@@@@@@@", "│ -old line": "  ---------", "│ +new line": "  +++++++++",
        ]
        for (row, roles) in expected { #expect(Self.roles(app, row: row) == roles, "\(row)") }
        // The standard theme colours each role apart from plain code; NO_COLOR's theme colours none
        // of the cells on screen, so only the text and its attributes show.
        let code: [Style.Role] = [.keyword, .string, .number, .typeName, .added, .removed, .hunk]
        #expect(
            code.allSatisfy {
                Theme.standard.colours[$0] != nil && Theme.standard.colours[$0] != Theme.standard.colours[.code]
            })
        #expect(Set(app.frame.cells.map(\.style.role)).allSatisfy { Theme.noColour.colours[$0] == nil })
    }

    static let listReply = """
        ## Steps
        1. Install it:
           - from a release
             - checked with its **sha256**
           - or from source
        2. Configure it, see [the README](https://example.com/readme).
        - [x] installed
        - [ ] configured

        > Tip: keep the key out of the file.
        > > Quoted inside a quote.
        ---
        Done.
        """

    @Test("80×24: nested and numbered lists, tasks, nested quotes, a link with its address, a rule")
    func listsAt80() throws {
        let app = try Self.replied(Self.listReply, width: 80, height: 24)
        expectScreen(
            app.screen,
            """
            ┌ Conversations ─────┐┌ Show me ──────────────────────── demo · demo (offline) ┐
            │  Show me           ││ you · sending…                                         │
            │                    ││ Show me                                                │
            │                    ││                                                        │
            │                    ││ demo · demo (offline) · 1.2 s                          │
            │                    ││ Steps                                                  │
            │                    ││ 1. Install it:                                         │
            │                    ││    ◦ from a release                                    │
            │                    ││      ▪ checked with its sha256                         │
            │                    ││    ◦ or from source                                    │
            │                    ││ 2. Configure it, see the README                        │
            │                    ││    (https://example.com/readme).                       │
            │                    ││ ☑ installed                                            │
            │                    ││ ☐ configured                                           │
            │                    ││                                                        │
            │                    ││ ▎ Tip: keep the key out of the file.                   │
            │                    ││ ▎ ▎ Quoted inside a quote.                             │
            │                    ││ ────────────────────────────────────────────────────── │
            │                    ││ Done.                                                  │
            │                    ││                                                        │
            │                    │├────────────────────────────────────────────────────────┤
            │                    ││> type here; Enter sends, Alt-Enter/Ctrl-J new line     │
            └────────────────────┘└────────────────────────────────────────────────────────┘
             demo · TTFT 300 ms · 76 tok/s                             F1 help  Ctrl-Q quit
            """)
    }

    @Test("200×60: the same, nothing wrapped")
    func listsAt200() throws {
        let app = try Self.replied(Self.listReply, width: 200, height: 60)
        #expect(
            Self.rows(app, from: "Steps", count: 13) == [
                "Steps", "1. Install it:", "   ◦ from a release", "     ▪ checked with its sha256",
                "   ◦ or from source",
                "2. Configure it, see the README (https://example.com/readme).", "☑ installed", "☐ configured", "",
                "▎ Tip: keep the key out of the file.", "▎ ▎ Quoted inside a quote.",
                String(repeating: "─", count: 164),
                "Done.",
            ])
    }
}
