import ParleyCore
import Testing

@testable import ParleyTUI

/// The screen as a user sees it, rendered into a grid at fixed sizes and compared as text.
@Suite("Screens: what the user sees for a state and a size")
struct SnapshotTests {
    /// A conversation with one question and a reply streaming its code block, thinking done.
    static func streamingReply(width: Int, height: Int) throws -> App {
        var app = App(width: width, height: height)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("How do lifetimes work?")
        app.stream(start, [.start(model: "gpt-4o"), .thinking("The user asks about lifetimes; start with borrowing.")])
        app.stream(
            start,
            [
                .text(
                    "A lifetime is the scope for which a reference is valid.\n```rust\n"
                        + "fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {\n    if x.len() > y.len() { x } else { y }\n}\n```\n"
                )
            ])
        return app
    }

    @Test(
        "80×24: sidebar with a spinner, the reply growing with its code block set apart, thinking in a pane as tall as it"
    )
    func standard() throws {
        let app = try Self.streamingReply(width: 80, height: 24)
        expectScreen(
            app.screen,
            """
            ┌ Conversations ─────┐┌ How do lifetimes work? ───────── demo · demo (offline) ┐
            │⠋ How do lifetimes …││ you · sending…                                         │
            │                    ││ How do lifetimes work?                                 │
            │                    ││                                                        │
            │                    ││ gpt-4o · demo (offline) · streaming ⠋                  │
            │                    ││ ▸ Thought for 0.1 s (~13 tokens)                       │
            │                    ││ A lifetime is the scope for which a reference is       │
            │                    ││ valid.                                                 │
            │                    ││ ┌─ rust ────────────────────────────────────────────── │
            │                    ││ │ fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {  │
            │                    ││ │     if x.len() > y.len() { x } else { y }            │
            │                    ││ │ }                                                    │
            │                    ││ └───────────────────────────────────────────────────── │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    │├ Thinking ── 0.1 s · ~13 tok ───────────────────────────┤
            │                    ││ The user asks about lifetimes; start with borrowing.   │
            │                    │├────────────────────────────────────────────────────────┤
            │                    ││> type here; Enter sends, Alt-Enter/Ctrl-J new line     │
            └────────────────────┘└────────────────────────────────────────────────────────┘
             streaming · TTFT 50 ms · out ~54 tok                      F1 help  Ctrl-Q quit
            """)
        #expect(app.frame.cursor == Frame.Position(row: 21, column: 25))
    }

    @Test("20×6, the smallest: sidebar and thinking pane collapse, the tail of the reply and the input stay")
    func smallest() throws {
        let app = try Self.streamingReply(width: 20, height: 6)
        expectScreen(
            app.screen,
            """
            ┌ How do lifetim…──┐
            │ └─────────────── │
            ├──────────────────┤
            │> type here; Ente…│
            └──────────────────┘
             streaming · TTFT 5…
            """)
    }

    @Test("below 20×6 there is only a notice")
    func tooSmall() throws {
        var app = try Self.streamingReply(width: 19, height: 6)
        #expect(app.screen == "Needs 20×6\n\n\n\n\n")
        app.send(.resized(Size(width: 60, height: 5)))
        #expect(app.screen.hasPrefix("Terminal too small: Parley needs at least 20×6."))
        app.send(.resized(Size(width: 30, height: 4)))
        #expect(app.screen.hasPrefix("Too small: needs 20×6\n"))
        app.send(.resized(Size(width: 6, height: 2)))
        #expect(app.screen == "Needs…\n")
    }

    @Test("200×60: everything fits on one screen, nothing is cut")
    func large() throws {
        let app = try Self.streamingReply(width: 200, height: 60)
        let rows = app.frame.rows
        #expect(rows.count == 60)
        #expect(rows.allSatisfy { Glyphs.width(of: $0) == 200 })
        #expect(rows[0].hasPrefix("┌ Conversations ───"))
        #expect(rows[0].hasSuffix("─ demo · demo (offline) ┐"))
        #expect(rows.contains { $0.contains("│ A lifetime is the scope for which a reference is valid.") })
        #expect(rows.contains { $0.contains("├ Thinking ── 0.1 s · ~13 tok ─") })
        #expect(rows[59].hasSuffix("F1 help  Ctrl-Q quit "))
    }

    @Test(
        "CJK and emoji are two columns wide and wrap whole; combining marks add nothing; every row is exactly the width"
    )
    func wideText() throws {
        var app = App(width: 40, height: 12)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("日本語で説明して 🎉")
        app.stream(start, [.text("東京は日本の首都です。絵文字👩‍👩‍👧も、café も正しく表示されます。")])
        expectScreen(
            app.screen,
            """
            ┌ 日本語で説明して 🎉 ─── demo · demo …┐
            │ you · sending…                       │
            │ 日本語で説明して 🎉                  │
            │                                      │
            │ demo · demo (offline) · streaming ⠋  │
            │ 東京は日本の首都です。絵文字👩👩👧も │
            │ 、café も正しく表示されます。        │
            │                                      │
            ├──────────────────────────────────────┤
            │> type here; Enter sends, Alt-Enter/C…│
            └──────────────────────────────────────┘
             streaming · TTFT… F1 help  Ctrl-Q quit
            """)
        #expect(app.frame.rows.allSatisfy { Glyphs.width(of: $0) == 40 })
    }

    @Test("model text is data: escape sequences and bidi overrides are drawn as visible placeholders")
    func controlsAreShown() throws {
        var app = App(width: 120, height: 10)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("hi")
        app.stream(start, [.text("red \u{1B}[31mtext\u{1B}[0m and \u{202E}reversed")])
        let text = app.screen
        #expect(text.contains("red ␛[31mtext␛[0m and <U+202E>reversed"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test("a long code block scrolls with the transcript and keeps its frame on every line")
    func longCodeBlock() throws {
        var app = App(width: 59, height: 16, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("code please")
        let code = (1...40).map { "let value\($0) = compute(\($0)) // a comment long enough to wrap around the pane" }
        app.stream(
            start,
            [.text("```swift\n" + code.joined(separator: "\n") + "\n```\nThat is all."), .stop(StopReason(.endTurn))])
        app.finish(start)
        let rows = app.frame.rows
        #expect(rows[rows.count - 5].contains("│ That is all."))
        #expect(rows[rows.count - 6].contains("└────"))
        #expect(rows[1..<(rows.count - 6)].allSatisfy { $0.hasPrefix("│ │ ") })
    }
}
