import ParleyCore
import Testing

@testable import ParleyTUI

/// How much the model reasons, per conversation: Ctrl-G, a preset that brings a setting, the
/// title and the reply header saying what is in use.
@Suite("Reasoning in the app")
struct ReasoningStoryTests {
    @Test("Ctrl-G steps the open conversation's setting; the title shows it, the next reply asks for it and keeps it")
    func cycling() throws {
        var app = App(width: 100, height: 30)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.press(.control("n"))
        let id = try #require(app.state.chat.selectedConversationID)
        #expect(!app.screen.contains("reasoning"), "auto is not worth a word")

        app.press(.control("g"))
        #expect(app.state.chat.conversations[id]?.reasoning == .off)
        #expect(app.state.hint == "Reasoning here: off (as little as the model allows).")
        app.press(.control("g"), .control("g"), .control("g"))
        #expect(app.state.chat.conversations[id]?.reasoning == .effort(.high))
        #expect(app.screen.contains("demo · demo (offline) · reasoning high ┐"))

        let start = try app.asking("Think it through")
        #expect(start.request.reasoning == .effort(.high))
        app.stream(start, [.text("Done."), .stop(StopReason(.endTurn))])
        app.finish(start)
        #expect(app.screen.contains("demo · demo (offline) · reasoning high · "))

        // Round again to auto: the next press after high.
        app.press(.control("g"))
        #expect(app.state.chat.conversations[id]?.reasoning == .standard)
        #expect(app.state.hint?.hasPrefix("Reasoning here: auto") == true)
    }

    @Test("with no conversation open, Ctrl-G sets what new conversations use")
    func defaultForNew() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.press(.control("g"), .control("g"))
        #expect(app.state.defaults.reasoning == .effort(.low))
        #expect(
            app.state.hint
                == "New conversations: reasoning low (may be billed on top, as Anthropic's extended thinking is).")
        let start = try app.asking("Hello")
        #expect(start.request.reasoning == .effort(.low))
    }

    @Test("the model picker chooses the reasoning with the model: Tab steps it, Enter keeps both, Esc neither")
    func inThePicker() throws {
        var app = App(
            width: 100, height: 30,
            choices: ModelChoices(
                providers: [.init(name: "demo", model: "demo")], listings: ["demo": .listed(["demo"])]))
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.press(.control("n"))
        let id = try #require(app.state.chat.selectedConversationID)
        app.press(.control("p"))
        #expect(app.screen.contains("reasoning auto (Tab)"))
        #expect(app.frame.rows[29].contains("· Tab reasoning"))
        app.press(.tab, .tab, .tab, .backTab)
        #expect(app.screen.contains("reasoning low (Tab)"))
        #expect(app.state.chat.conversations[id]?.reasoning == .standard, "nothing changes before Enter")
        app.press(.escape)
        #expect(app.state.chat.conversations[id]?.reasoning == .standard)

        app.press(.control("p"), .tab, .tab, .tab, .tab, .enter)
        #expect(app.state.chat.conversations[id]?.reasoning == .effort(.high))
        #expect(
            app.state.hint
                == "Replies here now come from demo · demo (offline). Reasoning here: high (may be billed on top, as Anthropic's extended thinking is)."
        )
        let start = try app.asking("Think")
        #expect(start.request.reasoning == .effort(.high))
    }

    @Test("a preset that names a reasoning setting brings it; one that does not leaves the setting be")
    func presetBringsIt() throws {
        let choices = ModelChoices(
            providers: [.init(name: "demo", model: "demo")], listings: ["demo": .listed(["demo"])],
            presets: [
                .init(name: "deep", system: "Take your time.", reasoning: .budget(16000)),
                .init(name: "plain", system: "Be brief."),
            ])
        var app = App(choices: choices)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.press(.control("n"))
        let id = try #require(app.state.chat.selectedConversationID)
        app.press(.control("o"))
        app.type("deep")
        app.press(.enter)
        #expect(app.state.chat.conversations[id]?.reasoning == .budget(16000))
        #expect(app.state.hint == "Replies here now use the “deep” system prompt and reasoning 16000.")
        app.press(.control("o"))
        app.type("plain")
        app.press(.enter)
        #expect(app.state.chat.conversations[id]?.systemPrompt == "Be brief.")
        #expect(app.state.chat.conversations[id]?.reasoning == .budget(16000))
    }

    @Test("the model refuses it: the status line says so, and the conversation is back on auto")
    func refused() throws {
        var app = App(width: 120, height: 30)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.press(.control("n"), .control("g"), .control("g"), .control("g"), .control("g"))
        let start = try app.asking("Hello")
        let refusal = ProviderError(.invalidRequest, "400 from Demo: demo does not support thinking.", status: 400)
        app.stream(start, [.reasoningRefused(refusal), .start(model: nil), .text("Hi."), .stop(StopReason(.endTurn))])
        app.finish(start)
        let id = try #require(app.state.chat.selectedConversationID)
        #expect(app.state.chat.conversations[id]?.reasoning == .standard)
        #expect(
            app.screen.contains("demo refused reasoning “high”, so it was asked again without"),
            "the status bar says so")
    }
}
