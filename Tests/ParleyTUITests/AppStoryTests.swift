import ParleyCore
import Testing

@testable import ParleyTUI

/// Stories of using the app, told through the reducer: keys in, state and effects out.
@Suite("Using the app: sending, streaming, switching, stopping")
struct AppStoryTests {
    static func saved(_ id: String, _ title: String, at time: Int64) -> Conversation {
        Conversation(id: ConversationID(id), title: title, createdAt: at(time), provider: "demo", model: "demo")
    }

    @Test("a sent message appears at once with a pending reply under it, and the stream is asked for")
    func sendIsOptimistic() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("Hello there")
        let transcript = app.state.chat.selectedTranscript
        #expect(transcript.map(\.role) == [.user, .assistant])
        #expect(transcript[0].text == "Hello there")
        #expect(transcript[0].status == .sending)
        #expect(transcript[1].status == .pending)
        #expect(app.state.editor.isEmpty)
        #expect(start.request.messages.last?.content == "Hello there")
        #expect(app.screen.contains("demo · demo (offline) · waiting"))
    }

    @Test("batches grow the reply in place; the view follows the tail")
    func streamGrows() throws {
        var app = App(width: 60, height: 12, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("count")
        for number in 1...30 { app.stream(start, [.text("line \(number)\n")]) }
        #expect(app.state.transcriptScroll == .tail)
        #expect(app.frame.rows.contains { $0.contains("line 30") })
        #expect(!app.frame.rows.contains { $0.contains("line 20 ") })
    }

    @Test("scrolled up, new text does not move the view; End follows the tail again")
    func scrolledViewStays() throws {
        var app = App(width: 60, height: 12, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("count")
        for number in 1...30 { app.stream(start, [.text("line \(number)\n")]) }
        app.press(.pageUp)
        guard case .anchored = app.state.transcriptScroll else {
            Issue.record("PgUp should anchor the view, got \(app.state.transcriptScroll)")
            return
        }
        let before = app.frame.rows
        for number in 31...40 { app.stream(start, [.text("line \(number)\n")]) }
        #expect(app.frame.rows[1..<6] == before[1..<6])
        app.press(.pageDown, .pageDown, .pageDown)
        #expect(app.state.transcriptScroll == .tail)
        #expect(app.frame.rows.contains { $0.contains("line 40") })
    }

    @Test("from the editor, End at the end of the line follows the reply again; elsewhere in the line it moves there")
    func endFromTheEditor() throws {
        var app = App(width: 60, height: 12, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("count")
        for number in 1...30 { app.stream(start, [.text("line \(number)\n")]) }
        app.press(.pageUp)
        app.type("draft")
        app.press(.home, .end)
        #expect(app.state.transcriptScroll != .tail, "the first End moved to the end of the draft")
        app.press(.end)
        #expect(app.state.transcriptScroll == .tail)
        #expect(app.state.editor.text == "draft")
    }

    @Test("quitting with an unsent draft or a streaming reply says so first; asked again, it quits")
    func quittingWarns() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.type("not sent yet")
        #expect(app.send(.key(.control("q"))).isEmpty)
        #expect(app.state.hint == "A message is not sent: press Ctrl-Q again to quit all the same.")
        #expect(app.send(.key(.control("q")), after: 300).contains(.quit))

        var streaming = App()
        streaming.send(.chat(.listLoaded([], statuses: [:])))
        _ = try streaming.asking("hi")
        #expect(!streaming.send(.key(.control("q"))).contains(.quit))
        #expect(streaming.state.hint?.hasPrefix("A reply is still streaming") == true)
        // Long after, it asks again rather than quitting.
        #expect(!streaming.send(.key(.control("q")), after: 5_000).contains(.quit))

        var idle = App()
        #expect(idle.send(.key(.control("q"))) == [.quit], "nothing to lose: at once")
    }

    @Test("the welcome reflows at any width and says which key picks the model")
    func welcome() {
        for width in [60, 120] {
            var app = App(width: width, height: 30)
            app.send(.chat(.listLoaded([], statuses: [:])))
            let words = app.frame.rows.map { $0.replacing("│", with: " ") }.joined(separator: " ")
                .split(separator: " ").joined(separator: " ")
            #expect(words.contains("Ctrl-P picks the provider and model."), "at \(width) columns")
            #expect(words.contains("This is the offline demo: no key or network needed."))
        }
    }

    @Test("a long model name is shortened in the reply's header and the title")
    func longModelName() throws {
        var app = App(width: 100, height: 20)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("hi")
        app.stream(
            start, [.start(model: "accounts/fireworks/models/llama-v3p1-405b-instruct-long-context"), .text("ok")])
        #expect(app.screen.contains("llama-v3p1-405b-instruct-long-c… · demo (offline)"))
        #expect(!app.screen.contains("accounts/fireworks"))
    }

    @Test("a notice goes after a while; one that lasts (nothing can be saved) stays")
    func noticesExpire() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.send(.chat(.deleteFailed(ConversationID("c1"), reason: "the database is locked")))
        #expect(app.screen.contains("Not deleted: the database is locked"))
        app.send(.ticked, after: 5_000)
        #expect(app.state.chat.notice != nil)
        app.send(.ticked, after: 4_000)
        #expect(app.state.chat.notice == nil)
        app.send(.chat(.savingUnavailable(reason: "the disk is full")))
        app.send(.ticked, after: 60_000)
        #expect(app.state.chat.notice == .savingUnavailable(reason: "the disk is full"))
    }

    @Test("Esc stops the focused reply: the connection is closed, the partial text kept, marked cancelled")
    func escapeCancels() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("long answer please")
        app.stream(start, [.text("The first part")])
        let effects = app.send(.key(.escape))
        #expect(effects.contains(.chat(.cancelStream(start.sessionID))))
        #expect(app.state.chat.selectedTranscript.last?.status == .cancelled)
        app.send(.chat(.streamCancelled(start.sessionID, ReplyTiming(), now: at(9_000))))
        #expect(app.state.chat.selectedTranscript.last?.text == "The first part")
        #expect(app.screen.contains("· cancelled"))
    }

    @Test("switching conversations mid-stream never stops the stream; the sidebar shows it live, then unread")
    func switchingKeepsStreaming() throws {
        var app = App()
        app.send(.chat(.listLoaded([Self.saved("old", "Older chat", at: 500)], statuses: [:])))
        let start = try app.asking("stream in the background")
        app.stream(start, [.text("part one ")])
        // To the sidebar, down to the older conversation, open it.
        app.press(.tab, .down, .enter)
        #expect(app.effects.contains(.loadTranscript(ConversationID("old"))))
        #expect(app.state.chat.selectedConversationID == ConversationID("old"))
        #expect(!app.effects.contains { if case .chat(.cancelStream) = $0 { true } else { false } })
        app.send(.chat(.transcriptLoaded(ConversationID("old"), messages: [])))
        app.stream(start, [.text("part two"), .stop(StopReason(.endTurn))])
        let other = start.conversationID
        #expect(app.state.chat.transcripts[other]?.last?.text == "part one part two")
        #expect(app.frame.rows[1].hasPrefix("│⠋ stream in the bac…│"))
        app.finish(start)
        #expect(app.state.chat.unread.contains(other))
        #expect(app.frame.rows[1].hasPrefix("│● stream in the bac…│"))
    }

    @Test("Ctrl-C stops a reply and only that; with nothing to stop, once says how to quit and twice quits")
    func interruptAndQuit() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("hi")
        let first = app.send(.key(.control("c")))
        #expect(first.contains(.chat(.cancelStream(start.sessionID))))
        #expect(app.state.hint == "Stopped; what arrived is kept.")
        app.finish(start)
        let second = app.send(.key(.control("c")), after: 300)
        #expect(!second.contains(.quit), "the Ctrl-C that stopped the reply did not arm quitting")
        #expect(app.state.hint?.contains("Ctrl-C again") == true)
        #expect(!app.state.isQuitting)
        let third = app.send(.key(.control("c")), after: 500)
        #expect(third.contains(.quit))
        #expect(app.state.isQuitting)

        var other = App()
        #expect(other.send(.key(.control("q"))) == [.quit])
    }

    @Test("a second Ctrl-C long after the first does not quit")
    func lateSecondInterrupt() {
        var app = App()
        app.press(.control("c"))
        app.send(.ticked, after: 2_500)
        #expect(!app.send(.key(.control("c")), after: 10).contains(.quit))
    }

    @Test("SIGTERM stops every stream and quits, so partial replies are saved as cancelled")
    func termination() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("hi")
        let effects = app.send(.terminationRequested)
        #expect(effects.contains(.chat(.cancelStream(start.sessionID))))
        #expect(effects.last == .quit)
    }

    @Test("Ctrl-T hides the thinking pane and remembers the choice; the header still says how long it thought")
    func toggleThinking() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("think")
        app.stream(start, [.thinking("Pondering…")], after: 1_200)
        app.stream(start, [.text("Answer."), .stop(StopReason(.endTurn))], after: 2_000)
        app.finish(start)
        #expect(app.screen.contains("├ Thinking"))
        #expect(app.send(.key(.control("t"))) == [.rememberThinkingPane(false)])
        #expect(!app.screen.contains("├ Thinking"))
        #expect(app.screen.contains("▸ Thought for 3.2 s"))
    }

    @Test("typing while another pane has focus starts a message; navigation letters do their job there")
    func typingAnywhere() {
        var app = App()
        app.press(.tab)
        #expect(app.state.focus == .sidebar)
        app.press(.character("j"))
        #expect(app.state.focus == .sidebar)
        app.type("Why")
        #expect(app.state.focus == .input)
        #expect(app.state.editor.text == "Why")
    }

    @Test("Alt-Enter and Ctrl-J add lines; Enter sends the whole message; ↑ on an empty line brings it back")
    func multiLineAndHistory() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.type("first")
        app.press(.altEnter)
        app.type("second")
        app.press(.control("j"))
        app.type("third")
        #expect(app.state.editor.text == "first\nsecond\nthird")
        app.press(.enter)
        #expect(app.state.chat.selectedTranscript.first?.text == "first\nsecond\nthird")
        app.press(.up)
        #expect(app.state.editor.text == "first\nsecond\nthird")
    }

    @Test("a paste keeps its newlines and is never taken for commands")
    func paste() {
        var app = App()
        app.press(.tab)
        app.send(.pasted("line one\r\nd\nq"))
        #expect(app.state.focus == .input)
        #expect(app.state.editor.text == "line one\nd\nq")
        #expect(app.state.mode == .normal)
    }

    @Test("sending while this conversation's reply streams is refused with the reason, the text kept")
    func sendWhileStreaming() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        try app.asking("first")
        app.type("second")
        app.press(.enter)
        #expect(app.state.editor.text == "second")
        #expect(app.state.chat.notice == .replyInProgress(app.state.chat.selectedConversationID!))
        #expect(app.frame.rows[23].contains("A reply is streaming here: wait for it, or Esc stops it."))
    }

    @Test("a failed reply shows the provider's words under it and in the status bar, with what to do")
    func failureIsExplained() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("hi")
        let error = ProviderError(
            .auth, "401 from OpenAI: Incorrect API key provided. Check OPENAI_API_KEY.", status: 401)
        app.send(.chat(.streamFailed(start.sessionID, error, ReplyTiming(), now: at(3_000))))
        let rows = app.frame.rows
        #expect(rows.contains { $0.contains("✗ 401 from OpenAI: Incorrect API key provided. Check") })
        #expect(rows[23].contains("✗ 401 from OpenAI"))
        #expect(rows[1].contains("✗"))
    }
}
