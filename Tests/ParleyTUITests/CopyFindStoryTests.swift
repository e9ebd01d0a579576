import ParleyCore
import Testing

@testable import ParleyTUI

/// Copying out of a conversation and finding in it: copy mode's moves and the exact text each copy
/// gives, the one way every copy goes, find's next, previous, going round and finding nothing, and
/// a sidebar search's result opened at its match.
@Suite("Copy mode and find")
struct CopyFindStoryTests {
    static let reply = """
        Two ways:

        ```swift
        let a = 1
        print(a)
        ```

        and **then**:

        ```
        echo hi
        ```
        """

    /// A conversation of a question and `reply`, finished.
    static func answered(_ reply: String = reply, clipboard: Clipboard = .osc52(.none), height: Int = 24) throws -> App
    {
        var app = App(width: 80, height: height, showThinking: false)
        app.state.defaults.clipboard = clipboard
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("How?")
        app.stream(start, [.text(reply), .stop(StopReason(.endTurn))])
        app.finish(start)
        return app
    }

    @Test("V chooses the last reply; Tab and Shift-Tab go between its code blocks; Enter copies the code alone")
    func copyCodeBlocks() throws {
        var app = try Self.answered()
        app.press(.tab, .tab, .character("v"))
        #expect(app.state.mode == .copying(CopySelection(message: 1)))
        app.press(.tab)
        #expect(app.frame.rows[23].contains("Copy: code block 1 of 2, swift in message 2 of 2"))
        app.press(.tab)
        #expect(app.frame.rows[23].contains("Copy: code block 2 of 2 in message 2 of 2"))
        app.press(.backTab)
        let effects = app.send(.key(.enter))
        #expect(effects == [.copy("let a = 1\nprint(a)", via: .osc52(.none))])
        #expect(app.state.hint == "Copied 18 characters (code block, swift).")
        #expect(app.state.mode == .normal)

        app.press(.character("v"), .tab, .tab)
        #expect(app.send(.key(.character("y"))) == [.copy("echo hi", via: .osc52(.none))])
        app.press(.character("v"), .tab, .tab, .tab)
        #expect(app.state.hint == "No code block further down.")
    }

    @Test("in copy mode j/k choose whole messages, which copy as written: the Markdown, not the screen's lines")
    func copyMessages() throws {
        var app = try Self.answered()
        app.press(.tab, .tab, .character("v"), .character("k"))
        #expect(app.state.mode == .copying(CopySelection(message: 0)))
        #expect(app.send(.key(.enter)) == [.copy("How?", via: .osc52(.none))])
        #expect(app.state.hint == "Copied 4 characters (your message).")
        app.press(.character("v"), .character("k"), .character("j"))
        #expect(app.send(.key(.enter)) == [.copy(Self.reply, via: .osc52(.none))])
        // Esc leaves without copying.
        app.press(.character("v"))
        #expect(app.send(.key(.escape)) == [])
        #expect(app.state.mode == .normal)
    }

    @Test("y goes the same one way as copy mode; with no way to copy it says so and copies nothing")
    func noWay() throws {
        var app = try Self.answered(
            clipboard: .command(path: "/usr/bin/xclip", arguments: ["-selection", "clipboard"]))
        app.press(.tab, .tab)
        #expect(
            app.send(.key(.character("y")))
                == [.copy(Self.reply, via: .command(path: "/usr/bin/xclip", arguments: ["-selection", "clipboard"]))])
        #expect(app.state.hint == "Copied \(Self.reply.count) characters.")
        app.send(.copyFailed("xclip failed (exited(1))."))
        #expect(app.state.hint == "Not copied: xclip failed (exited(1)).")

        var off = try Self.answered(clipboard: .unavailable("Copying is off ([app] clipboard = \"off\")."))
        off.press(.tab, .tab)
        #expect(off.send(.key(.character("y"))) == [])
        #expect(off.state.hint == "Not copied: Copying is off ([app] clipboard = \"off\").")
        off.press(.character("v"), .tab)
        #expect(off.send(.key(.enter)) == [])
        #expect(off.frame.rows[23].contains("Not copied: Copying is off"))
    }

    @Test("the copy-mode selection on screen: the bar beside the chosen code block's lines only")
    func copySelectionSnapshot() throws {
        var app = try Self.answered()
        app.press(.tab, .tab, .character("v"), .tab)
        let rows = app.frame.rows
        let barred = rows.indices.filter { rows[$0].contains("││▌") || rows[$0].contains("│▌") }
        let text = barred.map { rows[$0] }
        #expect(text.count == 4, "the fences and two lines of code:\n\(app.screen)")
        #expect(text.first?.contains("┌") == true)
        #expect(text.contains { $0.contains("let a = 1") })
        #expect(text.contains { $0.contains("print(a)") })
        #expect(text.last?.contains("└") == true)
        #expect(!rows.contains { $0.contains("▌") && $0.contains("Two ways") })
    }

    /// Where `text` starts in a frame's row, in columns (the rows here hold no wide characters).
    static func column(of text: String, in row: String) -> Int? {
        row.firstRange(of: text).map { row.distance(from: row.startIndex, to: $0.lowerBound) }
    }

    /// Where `text` shows in the transcript: below the box's top (titled with the first message)
    /// and right of the sidebar (which lists it too).
    static func inTranscript(_ text: String, _ frame: Frame) -> (row: Int, column: Int)? {
        let sidebar = 22
        for (row, line) in frame.rows.enumerated().dropFirst() {
            if let column = column(of: text, in: String(line.dropFirst(sidebar))) { return (row, sidebar + column) }
        }
        return nil
    }

    /// A conversation whose messages speak of apples, in several places.
    static func orchard(height: Int = 40) throws -> App {
        var app = App(width: 80, height: height, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        for round in 1...3 {
            let start = try app.asking("Apple question \(round)?")
            app.stream(start, [.text("An apple a day, apple \(round).\nNothing else."), .stop(StopReason(.endTurn))])
            app.finish(start)
        }
        return app
    }

    @Test("f finds case-insensitively: Enter goes to the next match, Shift-Tab back, both go round the ends")
    func findNextPrevious() throws {
        var app = try Self.orchard()
        app.press(.tab, .tab, .character("f"))
        app.type("APPLE")
        #expect(app.frame.rows.last!.contains("Find: APPLE   Enter finds"))
        app.press(.enter)
        guard case .finding(let find) = app.state.mode else {
            Issue.record("find closed")
            return
        }
        // Three questions with one each and three replies with two each.
        #expect(find.matches?.count == 9)
        #expect(find.shown == Find.Match(message: 0, range: 0..<5))
        #expect(app.frame.rows.last!.contains("1/9 · Enter next · Shift-Tab previous · Esc closes"))
        app.press(.enter, .enter)
        guard case .finding(let third) = app.state.mode else { return }
        #expect(third.shown == Find.Match(message: 1, range: 16..<21))
        app.press(.backTab, .backTab, .backTab)
        guard case .finding(let wrapped) = app.state.mode else { return }
        #expect(wrapped.current == 8)
        #expect(app.frame.rows.last!.contains("9/9 (wrapped)"))
        app.press(.enter)
        #expect(app.frame.rows.last!.contains("1/9 (wrapped)"))
        app.press(.escape)
        #expect(app.state.mode == .normal)
    }

    @Test("a query that is nowhere says no match; editing it looks again on Enter")
    func findNothing() throws {
        var app = try Self.orchard()
        app.press(.tab, .tab, .character("f"))
        app.type("pear")
        app.press(.enter)
        #expect(app.frame.rows.last!.contains("Find: pear   no match"))
        app.press(.backspace, .backspace, .backspace, .backspace)
        app.type("nothing")
        #expect(app.frame.rows.last!.contains("Enter finds"))
        app.press(.enter)
        #expect(app.frame.rows.last!.contains("1/3"))
    }

    @Test("the view jumps to each match, which is highlighted; the one shown stands apart from the rest")
    func findHighlights() throws {
        var app = try Self.orchard(height: 12)
        // From the top: a new query starts from the top of the view.
        app.press(.tab, .tab, .character("g"), .character("f"))
        app.type("apple")
        app.press(.enter)
        let frame = app.frame
        let first = try #require(Self.inTranscript("Apple question 1?", frame))
        #expect(frame[first.row, first.column].style == FindHighlight.shown)
        #expect(frame[first.row, first.column + 4].style == FindHighlight.shown)
        #expect(frame[first.row, first.column + 5].style != FindHighlight.shown)
        let reply = try #require(Self.inTranscript("An apple a day, apple 1.", frame))
        #expect(frame[reply.row, reply.column + 3].style == FindHighlight.match)
        #expect(frame[reply.row, reply.column + 16].style == FindHighlight.match)
        #expect(frame[reply.row, reply.column].style != FindHighlight.match)
        // Far down the conversation, the view follows.
        app.press(.backTab)
        let last = app.frame
        #expect(Self.inTranscript("Apple question 1?", last) == nil)
        let shown = try #require(Self.inTranscript("apple 3.", last))
        #expect(last[shown.row, shown.column].style == FindHighlight.shown)
    }

    @Test("a sidebar search result opens its conversation at the match, highlighted by find")
    func openSearchHit() throws {
        var app = App(width: 80, height: 12, showThinking: false)
        let id = ConversationID("c1")
        app.send(
            .chat(
                .listLoaded(
                    [Conversation(id: id, title: "Fruit", createdAt: at(900), provider: "demo", model: "demo")],
                    statuses: [:])))
        app.press(.control("f"))
        app.type("pengu")
        let hit = SearchResult(
            conversationID: id, title: "Fruit",
            snippet: [.init("about ", isMatch: false), .init("penguins", isMatch: true)])
        app.send(.searchFinished(query: "pengu", results: [hit]))
        let effects = app.send(.key(.enter))
        #expect(effects.contains(.loadTranscript(id)))
        let messages = (0..<12).map { index in
            Message(
                id: MessageID("m\(index)"), conversationID: id, role: index % 2 == 0 ? .user : .assistant,
                status: index % 2 == 0 ? .sent : .complete,
                text: index == 3 ? "Line one.\nPenguins live in the south." : "Filler \(index).", createdAt: at(900),
                parentID: index == 0 ? nil : MessageID("m\(index - 1)"))
        }
        app.send(.chat(.transcriptLoaded(id, messages: messages)))
        guard case .finding(let find) = app.state.mode else {
            Issue.record("no find after opening the result")
            return
        }
        #expect(find.editor.text == "penguins")
        #expect(find.shown == Find.Match(message: 3, range: 10..<18))
        let frame = app.frame
        let match = try #require(Self.inTranscript("Penguins live in the south.", frame))
        #expect(frame[match.row, match.column].style == FindHighlight.shown)
        #expect(!app.screen.contains("Filler 11."), "scrolled up from the end to the match")
    }

    @Test("a match after wide characters is highlighted where it is drawn, and a reply still streaming is found on")
    func findWideAndStreaming() throws {
        var app = App(width: 80, height: 24, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("Hi")
        app.stream(start, [.text("日本語のapple です。\n")])
        app.press(.alt("/"))
        app.type("apple")
        app.press(.enter)
        let frame = app.frame
        let row = try #require(frame.rows.indices.first { frame.rows[$0].contains("apple です") })
        let column = try #require(
            (0..<79).first { frame[row, $0].text == "a" && frame[row, $0 + 1].text == "p" })
        #expect(frame[row, column - 2].text == "の", "two columns for the wide character before it")
        #expect((column..<(column + 5)).allSatisfy { frame[row, $0].style == FindHighlight.shown })
        #expect(frame[row, column + 5].style != FindHighlight.shown)

        // More arrives while the prompt is open: the next Enter looks again and finds it.
        app.stream(start, [.text("Another APPLE.")])
        app.press(.enter)
        guard case .finding(let find) = app.state.mode else {
            Issue.record("find closed")
            return
        }
        #expect(find.matches?.count == 2)
        #expect(find.current == 1)
        #expect(app.frame.rows.last!.contains("2/2"))
    }
}
