import ParleyCore
import Testing

@testable import ParleyTUI

@Suite("Compare: models marked in the picker take one message together, their replies in columns")
struct CompareStoryTests {
    /// A conversation open at `width`×`height`, with demo and OpenAI's gpt-4o marked in the picker.
    static func marked(width: Int = 120, height: Int = 30) -> App {
        var app = App(width: width, height: height, choices: PickerStoryTests.choices)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.press(.control("n"))
        app.press(.control("p"))
        app.send(.modelsListed(provider: "openai", models: ["gpt-4o", "gpt-4o-mini"]))
        app.press(.control(" "), .down, .control(" "), .enter)
        return app
    }

    /// `marked`, then "Which is faster?" sent: the two streams it asked for, in the columns' order.
    static func asked(width: Int = 120, height: Int = 30) -> (App, [StreamStart]) {
        var app = marked(width: width, height: height)
        app.type("Which is faster?")
        app.press(.enter)
        let starts = app.effects.compactMap { effect -> StreamStart? in
            if case .chat(.startStream(let start)) = effect { start } else { nil }
        }
        return (app, starts)
    }

    @Test("Ctrl-Space marks models in the picker, numbered; Enter makes them the next message's, said")
    func marking() {
        let app = Self.marked()
        #expect(app.state.comparingHere?.map(\.model) == ["demo", "gpt-4o"])
        #expect(app.state.hint == "Your next message goes to 2 models at once: demo, gpt-4o.")
        var later = app
        later.send(.ticked, after: 10_000)
        #expect(later.screen.contains("Next message to 2 models: demo, gpt-4o (Esc: one model)"))
        var picking = App(width: 120, height: 30, choices: PickerStoryTests.choices)
        picking.press(.control("n"), .control("p"), .control(" "))
        #expect(picking.screen.contains("[1] demo"))
        #expect(picking.screen.contains("1 marked · Enter compares them"))
        picking.press(.enter)
        #expect(picking.state.hint == "Mark at least two models to compare (Ctrl-Space), or unmark it to choose one.")
    }

    @Test("sent: one stream per model, the same question; both columns grow at once, each under its model")
    func columnsGrow() throws {
        var (app, starts) = Self.asked(width: 100, height: 12)
        #expect(starts.map(\.provider) == ["demo", "openai"])
        #expect(starts.map(\.model) == ["demo", "gpt-4o"])
        #expect(starts[0].request.messages == starts[1].request.messages)
        #expect(app.state.comparing == nil)

        app.stream(starts[0], [.text("Demo says: the demo, of course.")])
        app.stream(starts[1], [.thinking("Let me weigh it."), .text("GPT says: it depends.")])
        app.stream(starts[0], [.text(" Always.")])

        expectScreen(
            app.screen,
            """
            ┌ Conversations ────────┐┌ Which is faster? ──────────────────────────────── demo · demo (offline) ┐
            │⠋ Which is faster?     ││ you Which is faster?                                                    │
            │                       ││▌demo · demo (offline) · streaming… │gpt-4o · OpenAI · streaming ⠋       │
            │                       ││▌TTFT 50 ms · out ~10 tok           │TTFT 50 ms · out ~10 tok            │
            │                       ││▌Demo says: the demo, of course.    │▸ Thought for 0.1 s (~4 tokens)     │
            │                       ││▌Always.                            │GPT says: it depends.               │
            │                       ││▌                                   │                                    │
            │                       ││ Shift-Tab, then [ ] column · p go on with it · s stop it · Enter its r… │
            │                       │├─────────────────────────────────────────────────────────────────────────┤
            │                       ││> type here; Enter sends, Alt-Enter/Ctrl-J new line                      │
            └───────────────────────┘└─────────────────────────────────────────────────────────────────────────┘
             streaming · TTFT 50 ms · out ~10 tok                                          F1 help  Ctrl-Q quit
            """)
    }

    @Test("] highlights the next column; p goes on with it: its model is the conversation's, the other a branch")
    func pickColumn() throws {
        var (app, starts) = Self.asked(width: 100, height: 12)
        app.stream(starts[0], [.text("Demo answer."), .stop(StopReason(.endTurn))])
        app.finish(starts[0])
        app.stream(starts[1], [.text("GPT answer."), .stop(StopReason(.endTurn))])
        app.finish(starts[1])

        app.press(.backTab, .character("]"))
        #expect(app.state.chat.selectedTranscript.last?.text == "GPT answer.")
        #expect(app.screen.contains("▌gpt-4o · OpenAI"))
        app.press(.character("p"))

        let id = try #require(app.state.chat.selectedConversationID)
        #expect(app.state.chat.comparisons[id] == nil)
        #expect(app.state.selectedConversation?.provider == "openai")
        #expect(app.state.selectedConversation?.model == "gpt-4o")
        #expect(app.state.hint == "Going on with gpt-4o; the others stay as branches.")
        #expect(app.state.focus == .input)
        #expect(app.screen.contains("gpt-4o · OpenAI · 1.2 s · ◀ "), "the transcript again, the reply with its sibling")
        let next = try app.asking("And why?")
        #expect(next.provider == "openai")
        #expect(
            next.request.messages.suffix(2) == [ChatMessage(.assistant, "GPT answer."), ChatMessage(.user, "And why?")])
    }

    @Test("Enter unfolds the highlighted column's reasoning in place; the other column's stays folded")
    func reasoningPerColumn() throws {
        var (app, starts) = Self.asked(width: 100, height: 14)
        app.stream(starts[0], [.thinking("Demo weighs it."), .text("Demo answer.")])
        app.stream(starts[1], [.thinking("GPT weighs it."), .text("GPT answer.")])
        app.press(.backTab, .enter)
        #expect(app.screen.contains("Demo weighs it."))
        #expect(!app.screen.contains("GPT weighs it."))
        app.press(.character("]"), .enter)
        #expect(app.screen.contains("GPT weighs it."))
    }

    @Test("s stops the highlighted column alone; Esc stops every column")
    func stopping() throws {
        var (app, starts) = Self.asked()
        app.press(.backTab, .character("s"))
        #expect(app.effects.first == .chat(.cancelStream(starts[0].sessionID)))
        #expect(app.state.chat.sessions[starts[1].sessionID]?.cancelRequested == false)

        var (all, both) = Self.asked()
        all.press(.escape)
        let cancelled = all.effects.compactMap { effect -> SessionID? in
            if case .chat(.cancelStream(let session)) = effect { session } else { nil }
        }
        #expect(Set(cancelled) == Set(both.map(\.sessionID)))
    }

    @Test("on a narrow screen the columns are stacked, each under its model")
    func stacked() throws {
        var (app, starts) = Self.asked(width: 60, height: 16)
        app.stream(starts[0], [.text("Demo answer.")])
        app.stream(starts[1], [.text("GPT answer.")])
        expectScreen(
            app.screen,
            """
            ┌ Conversations ─────┐┌ Which is faster? ─── demo · demo (…┐
            │⠋ Which is faster?  ││ you Which is faster?               │
            │                    ││▌demo · demo (offline) · streaming… │
            │                    ││▌TTFT 50 ms · out ~3 tok            │
            │                    ││▌Demo answer.                       │
            │                    ││▌                                   │
            │                    │││gpt-4o · OpenAI · streaming ⠋      │
            │                    │││TTFT 50 ms · out ~3 tok            │
            │                    │││GPT answer.                        │
            │                    │││                                   │
            │                    │││                                   │
            │                    ││ Shift-Tab, then [ ] column · p go… │
            │                    │├────────────────────────────────────┤
            │                    ││> type here; Enter sends, Alt-Enter…│
            └────────────────────┘└────────────────────────────────────┘
             streaming · TTFT 50 ms · out ~3 tok   F1 help  Ctrl-Q quit
            """)
    }

    @Test("PgUp moves every column to earlier lines at once; PgDn past the end follows again")
    func paging() throws {
        var (app, starts) = Self.asked(width: 100, height: 12)
        let long = (1...20).map { "line \($0)" }.joined(separator: "\n\n")
        app.stream(starts[0], [.text(long)])
        app.stream(starts[1], [.text("short")])
        #expect(app.screen.contains("line 20"))
        app.press(.pageUp)
        #expect(app.state.compareTop != nil)
        #expect(!app.screen.contains("line 20"))
        app.press(.pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown)
        #expect(app.state.compareTop == nil)
        #expect(app.screen.contains("line 20"))
    }

    @Test("with the mouse on, the wheel over the columns moves every column, as the page keys do")
    func wheelOverColumns() throws {
        var (app, starts) = Self.asked(width: 100, height: 12)
        app.state.defaults.mouse = true
        let long = (1...20).map { "line \($0)" }.joined(separator: "\n\n")
        app.stream(starts[0], [.text(long)])
        app.stream(starts[1], [.text("short")])
        app.send(.mouse(MouseEvent(.wheelUp, row: 5, column: 40)))
        #expect(app.state.compareTop != nil)
        #expect(!app.screen.contains("line 20"))
        for _ in 0..<20 { app.send(.mouse(MouseEvent(.wheelDown, row: 5, column: 40))) }
        #expect(app.state.compareTop == nil)
        #expect(app.screen.contains("line 20"))
    }

    @Test("Esc before sending goes back to one model; choosing one model in the picker does too")
    func backToOne() {
        var app = Self.marked()
        app.press(.escape)
        #expect(app.state.comparingHere == nil)
        var picked = Self.marked()
        picked.press(.control("p"), .enter)
        #expect(picked.state.comparingHere == nil)
    }
}
