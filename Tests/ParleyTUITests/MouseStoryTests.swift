import ParleyCore
import Testing

@testable import ParleyTUI

/// The mouse, with `[app] mouse` on, told through the reducer: where the pointer is decides what
/// the wheel scrolls and what a click chooses, by the same layout the screen is drawn with.
@Suite("Using the app with the mouse")
struct MouseStoryTests {
    /// Thirty saved conversations (the newest, "Chat 30", first in the list) and a new one holding a
    /// reply of sixty lines, open, at 80×24: the sidebar is columns 0–21, the transcript from 23 on.
    static func busy(mouse: Bool = true) throws -> App {
        var app = App(width: 80, height: 24, showThinking: false)
        app.state.defaults.mouse = mouse
        let saved = (1...30).map {
            Conversation(
                id: ConversationID("c\($0)"), title: "Chat \($0)", createdAt: at(Int64($0) * 10), provider: "demo",
                model: "demo")
        }
        app.send(.chat(.listLoaded(saved, statuses: [:])))
        let start = try app.asking("count")
        for number in 1...60 { app.stream(start, [.text("line \(number)\n")]) }
        app.finish(start)
        return app
    }

    static func click(row: Int, column: Int) -> AppEvent { .mouse(MouseEvent(.click, row: row, column: column)) }
    static func wheel(up: Bool, row: Int, column: Int) -> AppEvent {
        .mouse(MouseEvent(up ? .wheelUp : .wheelDown, row: row, column: column))
    }

    @Test("a click on the list's third row opens that conversation, as Enter there would, focus in the list")
    func clickOpensConversation() throws {
        var app = try Self.busy()
        let third = app.state.chat.order[2]
        let effects = app.send(Self.click(row: 3, column: 6))
        #expect(app.state.chat.selectedConversationID == third)
        #expect(app.state.sidebarCursor == third)
        #expect(app.state.focus == .sidebar)
        #expect(effects.contains(.loadTranscript(third)))
        let title = try #require(app.state.chat.conversations[third]?.title)
        #expect(app.frame.rows[0].contains("┌ \(title) "), "the conversation's box is titled with it")
    }

    @Test("scrolled down the list, a click counts from the row shown first")
    func clickAfterScrollingTheList() throws {
        var app = try Self.busy()
        app.send(Self.wheel(up: false, row: 10, column: 6))
        #expect(app.state.sidebarTop == AppState.wheelStep)
        app.send(Self.click(row: 1, column: 6))
        #expect(app.state.chat.selectedConversationID == app.state.chat.order[AppState.wheelStep])
    }

    @Test("the wheel scrolls the pane under the pointer: over the transcript the reply, over the list the list")
    func wheelScrollsThePaneUnderIt() throws {
        var app = try Self.busy()
        let pane = app.state.screenLayout(app.layout).transcript
        /// The transcript's rows as drawn, the list left out.
        func transcript(_ app: App) -> [Substring] {
            app.frame.rows[pane.y..<pane.maxY].map { $0.dropFirst(pane.x) }
        }
        let following = transcript(app)
        #expect(app.state.transcriptScroll == .tail)
        app.send(Self.wheel(up: true, row: 10, column: 40))
        let scrolled = transcript(app)
        #expect(
            Array(scrolled.dropFirst(AppState.wheelStep)) == Array(following.dropLast(AppState.wheelStep)),
            "the reply moved down by a notch's lines")
        #expect(app.state.sidebarTop == 0, "the list did not move")

        app.send(Self.wheel(up: false, row: 10, column: 6))
        app.send(Self.wheel(up: false, row: 10, column: 6))
        #expect(app.state.sidebarTop == 2 * AppState.wheelStep)
        #expect(transcript(app) == scrolled, "the reply did not move")
        let first = try #require(app.state.chat.conversations[app.state.chat.order[2 * AppState.wheelStep]]?.title)
        #expect(app.frame.rows[1].contains(first), "the list's first row")
        #expect(app.state.focus == .input, "the wheel moves no focus")

        app.send(Self.wheel(up: false, row: 10, column: 40))
        #expect(app.state.transcriptScroll == .tail, "a notch down at the end follows the reply again")
        #expect(transcript(app) == following)
    }

    @Test("the list scrolls no further than its last row, nor above its first")
    func listScrollStops() throws {
        var app = try Self.busy()
        for _ in 0..<20 { app.send(Self.wheel(up: false, row: 5, column: 3)) }
        // 31 conversations, 21 rows shown.
        #expect(app.state.sidebarTop == 10)
        for _ in 0..<20 { app.send(Self.wheel(up: true, row: 5, column: 3)) }
        #expect(app.state.sidebarTop == 0)
    }

    @Test("a click in the transcript focuses it on the last message, in the editor the editor; borders do nothing")
    func clickFocuses() throws {
        var app = try Self.busy()
        app.send(Self.click(row: 5, column: 40))
        #expect(app.state.focus == .transcript)
        #expect(app.state.messageCursor == app.state.chat.selectedTranscript.count - 1)
        let screen = app.state.screenLayout(app.layout)
        app.send(Self.click(row: screen.input.y, column: 40))
        #expect(app.state.focus == .input)
        #expect(app.state.messageCursor == nil)
        app.send(Self.click(row: 0, column: 40))
        app.send(Self.click(row: screen.status.y, column: 40))
        #expect(app.state.focus == .input, "the box's border and the status bar are no pane")
        app.send(Self.click(row: 22, column: 6))
        #expect(app.state.focus == .sidebar, "the list's border is the list's")
        #expect(app.state.chat.selectedConversationID == app.state.chat.order[0], "and no other conversation opened")
    }

    @Test("a click on a message chooses it, as j/k would; below the last line it chooses none other")
    func clickChoosesMessage() throws {
        var app = App(width: 80, height: 24, showThinking: false)
        app.state.defaults.mouse = true
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("first question")
        app.stream(first, [.text("First answer.")])
        app.finish(first)
        let second = try app.asking("second question")
        app.stream(second, [.text("Second answer.")])
        app.finish(second)
        let pane = app.state.screenLayout(app.layout).transcript
        // The transcript's rows (the list, titled after the first question, left out).
        let rows = app.frame.rows[pane.y..<pane.maxY].map { $0.dropFirst(pane.x) }
        let question = try #require(rows.firstIndex { $0.contains("first question") })
        let answer = try #require(rows.firstIndex { $0.contains("Second answer.") })

        app.send(Self.click(row: pane.y + question, column: pane.x + 10))
        #expect(app.state.focus == .transcript)
        #expect(app.state.messageCursor == 0)
        #expect(app.frame.rows[pane.y + question].contains("▌"), "the chosen message is marked")

        app.send(Self.click(row: pane.y + answer, column: pane.x + 10))
        #expect(app.state.messageCursor == 3)
        #expect(!app.frame.rows[pane.y + question].contains("▌"))

        app.send(Self.click(row: pane.maxY - 1, column: pane.x + 10))
        #expect(app.state.messageCursor == 3, "the empty rows below the conversation choose nothing new")
    }

    @Test("with the thinking pane shown, a click there focuses it and the wheel scrolls the reasoning")
    func thinkingPane() throws {
        var app = App(width: 80, height: 30)
        app.state.defaults.mouse = true
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("think")
        app.stream(start, [.thinking((1...40).map { "thought \($0)" }.joined(separator: "\n")), .text("done")])
        app.finish(start)
        let pane = try #require(app.state.screenLayout(app.layout).thinking)
        app.send(Self.wheel(up: true, row: pane.y, column: pane.x + 5))
        #expect(app.state.thinkingTop != nil, "scrolled off the end of the reasoning")
        #expect(app.state.transcriptScroll == .tail)
        app.send(Self.click(row: pane.y, column: pane.x + 5))
        #expect(app.state.focus == .thinking)
    }

    @Test("with the mouse off (the default), clicks and the wheel change nothing")
    func mouseOff() throws {
        var app = try Self.busy(mouse: false)
        let before = app.state
        #expect(app.send(Self.click(row: 3, column: 6)).isEmpty)
        app.send(Self.wheel(up: true, row: 10, column: 40))
        app.send(Self.wheel(up: false, row: 10, column: 6))
        app.send(Self.click(row: 5, column: 40))
        #expect(app.state == before)
        app.send(.resized(Size(width: 120, height: 60)))
        app.press(.function(1))
        #expect(app.screen.contains("[app] mouse = true lets it scroll and click"))
    }

    @Test("over help the mouse does nothing: its keys close it")
    func overHelp() throws {
        var app = try Self.busy()
        app.press(.function(1))
        app.send(.mouse(MouseEvent(.wheelDown, row: 10, column: 40)))
        #expect(app.state.mode == .help(top: 0), "the wheel does not scroll help either")
        app.send(.resized(Size(width: 120, height: 60)))
        #expect(app.screen.contains("Mouse: the wheel scrolls the pane under it"))
        app.send(Self.click(row: 3, column: 6))
        app.send(Self.wheel(up: true, row: 10, column: 40))
        #expect(app.state.mode == .help(top: 0))
        #expect(app.state.chat.selectedConversationID == app.state.chat.order[0])
        #expect(app.state.transcriptScroll == .tail)
    }

    @Test("on a narrow screen the list shows only while it has focus, over the conversation: a click there opens")
    func narrowScreen() throws {
        var app = try Self.busy()
        app.send(.resized(Size(width: 50, height: 20)))
        app.send(Self.click(row: 3, column: 6))
        #expect(app.state.focus == .transcript, "no list shown: the transcript is there")
        app.press(.backTab)
        #expect(app.state.focus == .sidebar)
        app.send(Self.click(row: 3, column: 6))
        #expect(app.state.chat.selectedConversationID == app.state.chat.order[2])
    }

    /// Searching the thirty chats: a result for each of the first twelve, found in a message.
    static func searched(_ app: inout App) -> [SearchResult] {
        app.press(.control("f"))
        app.type("chat")
        let results = (1...12).map { number in
            SearchResult(
                conversationID: ConversationID("c\(number)"), title: "Chat \(number)",
                snippet: [.init("found in ", isMatch: false), .init("chat", isMatch: true)])
        }
        app.send(.searchFinished(query: "chat", results: results))
        return results
    }

    @Test("while searching, a click on a result (its title or its snippet) opens it, as Enter on it would")
    func clickOpensSearchResult() throws {
        var app = try Self.busy()
        let results = Self.searched(&app)
        let inside = try #require(app.state.screenLayout(app.layout).sidebar).inside
        #expect(app.frame.rows[inside.y + 3].contains("Chat 2"), "the second result's title")
        app.send(Self.wheel(up: false, row: inside.y + 4, column: inside.x + 2))
        app.send(Self.click(row: inside.y, column: inside.x + 2))
        #expect(app.state.isSearching, "the wheel and a click on the query line open nothing")
        app.send(Self.click(row: inside.y + 4, column: inside.x + 2))
        #expect(app.state.chat.selectedConversationID == results[1].conversationID)
        guard case .finding(let find) = app.state.mode else {
            Issue.record("no find for the match")
            return
        }
        #expect(find.editor.text == "chat")
    }

    @Test("results past the sidebar's foot scroll into view with the cursor, and a click opens the one shown")
    func clickOnScrolledResult() throws {
        var app = try Self.busy()
        let results = Self.searched(&app)
        let inside = try #require(app.state.screenLayout(app.layout).sidebar).inside
        let fit = (inside.height - 1) / 2
        #expect(!app.screen.contains("Chat 12"), "twelve results do not fit \(inside.height) rows")
        for _ in 0..<11 { app.press(.down) }
        let rows = app.frame.rows
        #expect(rows[inside.maxY - 2].contains("Chat 12"), "the cursor's result, last")
        #expect(!rows[inside.y + 1].contains("Chat 1 "), "the first has scrolled away")
        app.send(Self.click(row: inside.y + 1, column: inside.x + 2))
        #expect(app.state.chat.selectedConversationID == results[12 - fit].conversationID)
    }

    @Test("a sidebar with room for the query alone (or a title without its snippet) shows no result to click")
    func noRoomForResults() {
        for height in 0...2 {
            let inner = Rect(x: 1, y: 1, width: 20, height: height)
            #expect(SidebarView.shownResults(count: 12, cursor: 5, in: inner).isEmpty, "\(height) rows")
        }
        let three = Rect(x: 1, y: 1, width: 20, height: 3)
        #expect(SidebarView.shownResults(count: 12, cursor: 5, in: three) == 5..<6, "the cursor's, alone")
    }
}
