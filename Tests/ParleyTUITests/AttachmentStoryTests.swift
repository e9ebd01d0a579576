import ParleyCore
import Testing

@testable import ParleyTUI

/// Parley's attachments, not Swift Testing's (one name for the whole test module).
typealias Attachment = ParleyCore.Attachment

/// Files in the app, as the user meets them: the path prompt and its completion, the chips above
/// the editor, taking one back, sending them, the chips in the transcript, a pasted path offered
/// as a file, and the limits said before anything is sent.
@Suite("Attachments in the app")
struct AttachmentStoryTests {
    static let notes = Attachment(name: "notes.md", kind: .text, bytes: Array("# Plan\nship it\n".utf8))
    static let shot = Attachment(
        name: "shot.png", kind: .image(.png), bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

    static func app() -> App {
        var app = App(width: 100, height: 24, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        return app
    }

    @Test("Ctrl-X opens the path prompt; Tab asks for completions and fills in what they share; Enter reads the file")
    func pathPrompt() {
        var app = Self.app()
        app.press(.control("x"))
        app.type("no")
        #expect(app.screen.contains("Attach file: no   Tab completes · Enter attaches · Esc closes"))
        #expect(app.send(.key(.tab)) == [.completePath("no")])

        app.send(.pathsCompleted(prefix: "no", paths: ["notes.md", "notes-old.md", "nova/"]))
        #expect(app.screen.contains("Attach file: no   notes.md  notes-old.md  nova/"))
        app.type("t")
        app.send(.key(.tab))
        app.send(.pathsCompleted(prefix: "not", paths: ["notes.md", "notes-old.md"]))
        if case .attaching(let editor, _) = app.state.mode { #expect(editor.text == "notes") }
        app.type(".md")
        app.send(.key(.tab))
        app.send(.pathsCompleted(prefix: "notes.md", paths: ["notes.md"]))
        #expect(app.send(.key(.enter)) == [.readAttachment(path: "notes.md")])
        #expect(app.state.mode == .normal)
    }

    @Test("an answer for text no longer in the prompt is dropped; a prefix matching nothing is said")
    func staleCompletions() {
        var app = Self.app()
        app.press(.control("x"))
        app.type("ab")
        app.send(.pathsCompleted(prefix: "a", paths: ["alpha.txt"]))
        if case .attaching(let editor, _) = app.state.mode { #expect(editor.text == "ab") }
        app.send(.pathsCompleted(prefix: "ab", paths: []))
        #expect(app.state.hint == "No file or folder starts with “ab”.")
    }

    @Test("files read show as numbered chips above the editor; Backspace in an empty message takes the last back")
    func chips() {
        var app = Self.app()
        app.send(.attached(Self.notes))
        app.send(.attached(Self.shot))
        #expect(app.screen.contains("├ 📎1 notes.md · text · 15 B  📎2 shot.png · PNG · 8 B ─"))
        app.send(.attached(Self.shot))
        #expect(app.state.hint == "shot.png is attached already.")
        #expect(app.state.pendingAttachments.count == 2)

        app.press(.backspace)
        #expect(app.state.pendingAttachments == [Self.notes])
        #expect(app.state.hint == "Removed shot.png.")
        app.type("x")
        app.press(.backspace)
        #expect(app.state.editor.isEmpty)
        #expect(app.state.pendingAttachments == [Self.notes], "Backspace deletes typed text first")
    }

    @Test("sent, the files go with the text and show as chips in the message; the editor's chips are gone")
    func sendWithFiles() throws {
        var app = Self.app()
        app.send(.attached(Self.notes))
        app.send(.attached(Self.shot))
        let start = try app.asking("What are these?")
        #expect(start.request.messages.last?.attachments == [Self.notes, Self.shot])
        #expect(app.state.pendingAttachments.isEmpty)
        let screen = app.screen
        #expect(screen.contains("│ What are these?"))
        #expect(screen.contains("│ 📎 notes.md · text · 15 B"))
        #expect(screen.contains("│ 📎 shot.png · PNG · 8 B"))
        #expect(!screen.contains("📎1"))
    }

    @Test("files alone can be sent; o on the message unfolds its text files and opens the others")
    func filesAloneAndOpened() throws {
        var app = Self.app()
        app.send(.attached(Self.notes))
        app.send(.attached(Self.shot))
        app.press(.enter)
        let id = try #require(app.state.chat.selectedConversationID)
        #expect(app.state.chat.conversations[id]?.title == "notes.md, shot.png")
        app.press(.backTab)
        #expect(app.state.focus == .transcript)
        app.press(.up)
        #expect(app.send(.key(.character("o"))) == [.openAttachment(Self.shot)])
        #expect(app.screen.contains("│▌── notes.md"))
        #expect(app.screen.contains("│▌ship it"))
    }

    @Test("/attach PATH reads a file; /detach N and /detach take files back; none of them is sent")
    func slashCommands() {
        var app = Self.app()
        app.type("/attach ~/notes.md")
        #expect(app.send(.key(.enter)) == [.readAttachment(path: "~/notes.md")])
        #expect(app.state.editor.isEmpty)
        app.send(.attached(Self.notes))
        app.send(.attached(Self.shot))
        app.type("/detach 1")
        app.press(.enter)
        #expect(app.state.pendingAttachments == [Self.shot])
        app.type("/detach 7")
        app.press(.enter)
        #expect(app.state.hint == "/detach N: N is a file's number among the 1 attached.")
        app.type("/detach")
        app.press(.enter)
        #expect(app.state.pendingAttachments.isEmpty)
        #expect(app.state.chat.conversations.isEmpty, "nothing was sent")
        app.type("/attach")
        app.press(.enter)
        #expect(app.state.mode == .attaching(InputEditor(), choices: []))
    }

    @Test("a pasted path of a file is offered: Enter attaches it and takes the path out; another key keeps it as text")
    func pastedPath() {
        var app = Self.app()
        app.type("look at ")
        #expect(app.send(.pasted("'/tmp/shot.png'")) == [.checkPastedPath("/tmp/shot.png", pasted: "'/tmp/shot.png'")])
        app.send(.pastedFileFound(path: "/tmp/shot.png", pasted: "'/tmp/shot.png'"))
        #expect(app.screen.contains("Attach /tmp/shot.png? Enter attaches it · any other key keeps the path as text"))
        #expect(app.send(.key(.enter)) == [.readAttachment(path: "/tmp/shot.png")])
        #expect(app.state.editor.text == "look at ")

        app.send(.pasted("/tmp/notes.md"))
        app.send(.pastedFileFound(path: "/tmp/notes.md", pasted: "/tmp/notes.md"))
        app.type("!")
        #expect(app.state.mode == .normal)
        #expect(app.state.editor.text == "look at /tmp/notes.md!")
        #expect(app.send(.pasted("just words")) == [])
    }

    @Test("a file that could not be attached is said until the next key, with no ticks meanwhile")
    func failureLasts() {
        var app = Self.app()
        app.send(.attachingFailed("Not attached: a.out is neither text, an image (PNG, JPEG, GIF, WebP) nor a PDF."))
        #expect(!app.state.needsTicks, "an idle app does not wake for it")
        app.send(.ticked, after: 60_000)
        #expect(app.screen.contains("Not attached: a.out is neither text"))
        app.type("x")
        #expect(app.state.hint == nil)
    }

    @Test("over the message's limit, a file is not attached and the status bar says why")
    func messageLimit() {
        var app = App(width: 100, height: 24)
        app.state.defaults.attachmentLimits = AttachmentLimits(fileBytes: 20, messageBytes: 20)
        app.send(.attached(Self.notes))
        app.send(.attached(Self.shot))
        #expect(app.state.pendingAttachments == [Self.notes])
        #expect(
            app.state.hint?.hasPrefix("Not attached: the attachments come to 23 B, over the 20 B a message") == true)
    }

    @Test("each conversation keeps its own files until they are sent; quitting with some says a message is not sent")
    func filesStayWithTheirConversation() throws {
        var app = Self.app()
        try app.asking("first")
        let first = try #require(app.state.chat.selectedConversationID)
        app.send(.attached(Self.notes))
        app.press(.control("n"))
        #expect(app.state.pendingAttachments.isEmpty)
        app.send(.chat(.selected(first)))
        #expect(app.state.pendingAttachments == [Self.notes])
        app.press(.control("q"))
        #expect(app.state.hint?.contains("a message is not sent") == true)
    }
}

/// What a reply cost, in its header: the table's price for a provider's own service, nothing
/// said when it is unknown, "local" for a model on the user's machine.
@Suite("Costs in the app")
struct CostStoryTests {
    static let rules = PricingRules(
        prices: .bundled, local: ["ollama"], services: ["openai": "https://api.openai.com/v1"])

    @Test("a gpt-4o reply shows its cost; the same usage from a model the table does not know shows none")
    func priced() throws {
        var app = App(width: 120, height: 20, provider: "openai")
        app.state.defaults.pricing = Self.rules
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("Hi")
        app.stream(
            start, [.text("Hello"), .usage(Usage(inputTokens: 1_000, outputTokens: 100)), .stop(StopReason(.endTurn))])
        app.finish(start)
        #expect(app.screen.contains("gpt-4o · OpenAI · in 1,000 / out 100 tok · $0.0035 · 1.2 s"))

        app.send(.chat(.modelChosen(start.conversationID, provider: "openai", model: "gpt-9", baseURL: nil)))
        let second = try app.asking("Again")
        app.stream(
            second, [.text("Hi"), .usage(Usage(inputTokens: 1_000, outputTokens: 100)), .stop(StopReason(.endTurn))])
        app.finish(second)
        #expect(app.screen.contains("gpt-9 · OpenAI · in 1,000 / out 100 tok · 1.2 s"))
    }
}

/// How full the conversation's context is, in the status bar once a reply has said what it took.
@Suite("The context meter")
struct ContextMeterStoryTests {
    @Test(
        "after a reply the status bar says how much of the model's window the conversation fills, and warns near the end"
    )
    func meter() throws {
        var app = App(width: 140, height: 20, provider: "openai")
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("Hi")
        app.stream(
            start, [.text("Hello"), .usage(Usage(inputTokens: 12_000, outputTokens: 400)), .stop(StopReason(.endTurn))])
        app.finish(start)
        #expect(app.screen.contains("in 12,000 / out 400 tok · ctx 12.4k/128k"))

        let second = try app.asking("More")
        app.stream(
            second, [.text("…"), .usage(Usage(inputTokens: 120_000, outputTokens: 10)), .stop(StopReason(.endTurn))])
        app.finish(second)
        #expect(app.screen.contains("ctx 120k/128k, nearly full: the next message may not fit"))
    }
}

extension ContextMeterStoryTests {
    @Test("a local model's meter counts against the window its server told, once it is learnt")
    func learntWindow() throws {
        var app = App(width: 140, height: 20, provider: "ollama")
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("Hi")
        let ollama = ModelAddress(provider: "ollama", model: "gpt-4o", baseURL: nil)
        #expect(app.state.contextWindows.keys.contains(ollama), "the window was asked for with the conversation")
        app.stream(
            start, [.text("Hello"), .usage(Usage(inputTokens: 1_000, outputTokens: 100)), .stop(StopReason(.endTurn))])
        app.finish(start)
        app.send(.contextWindowLearned(ollama, ContextWindow(tokens: 32_768, source: .provider, overflow: .truncated)))
        #expect(app.screen.contains("in 1,000 / out 100 tok · ctx 1.1k/32.8k"))
    }

    @Test("a message that would not fit is held back with what the provider will do; Enter again sends it")
    func overflowWarning() throws {
        var app = App(width: 200, height: 20, provider: "openai")
        app.send(.chat(.listLoaded([], statuses: [:])))
        let start = try app.asking("Hi")
        app.stream(
            start, [.text("…"), .usage(Usage(inputTokens: 120_000, outputTokens: 1_000)), .stop(StopReason(.endTurn))])
        app.finish(start)
        app.send(.pasted(String(repeating: "long text ", count: 4_000)))  // about 10,000 tokens
        app.press(.enter)
        #expect(!app.effects.contains { if case .chat(.startStream) = $0 { true } else { false } })
        #expect(
            app.state.hint
                == "This message may not fit: ~131k tokens with the conversation, and the model's window is 128k; "
                + "OpenAI will refuse it. Enter again sends it anyway; /compact summarizes the conversation first.")
        #expect(app.screen.contains("This message may not fit: ~131k tokens with the conversation"))
        #expect(!app.state.editor.isEmpty, "nothing typed is lost")
        app.press(.enter)
        #expect(app.effects.contains { if case .chat(.startStream) = $0 { true } else { false } })
    }

    @Test("before any reply counted, the whole conversation and the attached files are estimated")
    func firstMessageOverflows() throws {
        var app = App(width: 200, height: 20, provider: "openai")
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.send(.attached(Attachment(name: "dump.log", kind: .text, bytes: Array(repeating: 0x61, count: 600_000))))
        app.type("summarize")
        app.press(.enter)
        #expect(app.state.hint?.hasPrefix("This message may not fit: ~150k tokens with the conversation") == true)
    }
}

extension ContextMeterStoryTests {
    @Test("the conversation's header adds up its replies' tokens and cost, regenerated ones included")
    func totals() throws {
        var app = App(width: 160, height: 20, provider: "openai")
        app.state.defaults.pricing = CostStoryTests.rules
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("Hi")
        #expect(!app.frame.rows[0].contains("Σ"), "nothing is counted before a reply ends")
        app.stream(
            first, [.text("Hello"), .usage(Usage(inputTokens: 1_000, outputTokens: 100)), .stop(StopReason(.endTurn))])
        app.finish(first)
        #expect(app.frame.rows[0].contains("gpt-4o · OpenAI · Σ 1.1k tok · $0.0035 ┐"))
        let second = try app.asking("Again")
        app.stream(
            second, [.text("Hi"), .usage(Usage(inputTokens: 1_200, outputTokens: 100)), .stop(StopReason(.endTurn))])
        app.finish(second)
        app.send(.chat(.modelChosen(second.conversationID, provider: "openai", model: "gpt-9", baseURL: nil)))
        let third = try app.asking("And an unknown model")
        app.stream(
            third, [.text("Hi"), .usage(Usage(inputTokens: 1_300, outputTokens: 100)), .stop(StopReason(.endTurn))])
        app.finish(third)
        #expect(app.frame.rows[0].contains("Σ 3.8k tok · $0.0075 + 1 reply without a price ┐"))
        app.press(.control("r"))
        let again = try #require(
            app.effects.lazy.compactMap { if case .chat(.startStream(let start)) = $0 { start } else { nil } }.first)
        app.stream(
            again, [.text("Hey"), .usage(Usage(inputTokens: 1_300, outputTokens: 100)), .stop(StopReason(.endTurn))])
        app.finish(again)
        #expect(app.frame.rows[0].contains("Σ 5.2k tok · $0.0075 + 2 replies without a price ┐"))
    }
}

/// Compacting in the app: `/compact` (or c) asks for a summary as a turn of its own; the turns
/// before it stay on screen, marked, and later replies are asked with the summary instead.
@Suite("Compacting a conversation in the app")
struct CompactionStoryTests {
    @Test("/compact streams a summary; the turns above are marked summarized; the next reply is sent the summary")
    func compact() throws {
        var app = App(width: 160, height: 30, provider: "openai")
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("Count to two")
        app.stream(first, [.text("One, two."), .stop(StopReason(.endTurn))])
        app.finish(first)

        let summary = try app.asking("/compact")
        #expect(summary.request.messages.last == ChatMessage(.user, Compaction.instruction))
        #expect(app.screen.contains("you · compacting the conversation"))
        app.stream(summary, [.text("The user asked to count to two; it was done."), .stop(StopReason(.endTurn))])
        app.finish(summary)
        let screen = app.screen
        #expect(screen.contains("you · sending… · summarized"))
        #expect(screen.contains("summary, sent in place of the above"))
        #expect(screen.contains("One, two."), "the summarized turns stay on screen")

        #expect(!screen.contains("compacting the conversation · sending… · summarized"))

        app.type("/compact")
        app.press(.enter)
        #expect(app.screen.contains("Nothing to compact: no reply since the last summary."))

        let next = try app.asking("And to three?")
        #expect(next.request.messages == [ChatMessage(.user, "And to three?")])
        #expect(next.request.system?.hasSuffix("The user asked to count to two; it was done.") == true)
    }
}

/// A reply that ends out of sight: the sidebar marks it, and, when the config asks, the bell or a
/// terminal notification tells it.
@Suite("Notifications of replies out of sight")
struct NotificationStoryTests {
    static func notified(_ effects: [AppEffect]) -> [AppEffect] {
        effects.filter { if case .notify = $0 { true } else { false } }
    }

    @Test("a conversation not on screen that finishes or fails is told as the config says; the open one is not")
    func toldWhenAway() throws {
        var app = App(width: 120, height: 24, provider: "openai")
        app.state.defaults.notify = .osc9
        app.send(.chat(.listLoaded([], statuses: [:])))
        let away = try app.asking("Write a long poem")
        app.press(.control("n"))
        let here = try app.asking("Quick one")
        app.stream(away, [.text("Roses…"), .stop(StopReason(.endTurn))])
        app.finish(away)
        #expect(Self.notified(app.effects) == [.notify(.osc9, title: "Parley", body: "Replied: Write a long poem")])
        app.stream(here, [.text("Done."), .stop(StopReason(.endTurn))])
        app.finish(here)
        #expect(Self.notified(app.effects).isEmpty, "the conversation on screen needs no notification")

        app.press(.control("n"))
        let failing = try app.asking("Fails later")
        app.press(.control("n"))
        app.send(.chat(.streamFailed(failing.sessionID, ProviderError(.server, "500"), ReplyTiming(), now: at(9_000))))
        #expect(Self.notified(app.effects) == [.notify(.osc9, title: "Parley", body: "Failed: Fails later")])
    }

    @Test("off by default")
    func offByDefault() throws {
        var app = App(width: 120, height: 24, provider: "openai")
        app.send(.chat(.listLoaded([], statuses: [:])))
        let away = try app.asking("Elsewhere")
        app.press(.control("n"))
        app.stream(away, [.text("…"), .stop(StopReason(.endTurn))])
        app.finish(away)
        #expect(Self.notified(app.effects).isEmpty)
    }

    @Test("the sequences: a bell, OSC 9, OSC 777; titles lose what would end or split them")
    func sequences() {
        let hostile = "evil\u{07}\u{1B}]52;c;AAAA\u{9C}; title"
        #expect(Screen.notification(.bell, title: "Parley", body: hostile) == "\u{07}")
        #expect(
            Screen.notification(.osc9, title: "Parley", body: hostile) == "\u{1B}]9;Parley: evil]52cAAAA title\u{07}")
        #expect(
            Screen.notification(.osc777, title: "Parley", body: hostile)
                == "\u{1B}]777;notify;Parley;evil]52cAAAA title\u{07}")
        #expect(Screen.notification(.off, title: "Parley", body: hostile).isEmpty)
    }
}
