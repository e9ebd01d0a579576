import ParleyCore
import Testing

@testable import ParleyTUI

/// Stories about the conversation list and the messages in it: rename, delete, search, edit,
/// regenerate, copy, help.
@Suite("Managing conversations and messages")
struct ConversationStoryTests {
    static func listed(_ titles: [String]) -> App {
        var app = App()
        let conversations = titles.enumerated().map { index, title in
            Conversation(
                id: ConversationID("c\(index)"), title: title, createdAt: at(Int64(900 - index)), provider: "demo",
                model: "demo")
        }
        app.send(.chat(.listLoaded(conversations, statuses: [ConversationID("c1"): .failed])))
        return app
    }

    @Test("each conversation keeps its own draft; a new one starts empty")
    func drafts() throws {
        var app = Self.listed(["One", "Two"])
        app.press(.tab, .enter)  // opens "One"
        #expect(app.state.chat.selectedConversationID == ConversationID("c0"))
        app.type("half a thought")
        app.press(.tab, .down, .enter)  // the sidebar again, then "Two"
        #expect(app.state.chat.selectedConversationID == ConversationID("c1"))
        #expect(app.state.editor.isEmpty)
        app.type("another")
        app.press(.tab, .up, .enter)
        #expect(app.state.editor.text == "half a thought")
        app.press(.control("n"))
        #expect(app.state.editor.isEmpty, "a new conversation starts with an empty editor")
        app.press(.tab, .down, .down, .enter)
        #expect(app.state.chat.selectedConversationID == ConversationID("c1"))
        #expect(app.state.editor.text == "another")
    }

    @Test("the list comes from the database newest first, with its failed mark, and opening one reads its messages")
    func listAndOpen() {
        var app = Self.listed(["Newest", "Broken one", "Oldest"])
        let rows = app.frame.rows
        #expect(rows[1].hasPrefix("│  Newest"))
        #expect(rows[2].hasPrefix("│  Broken one") && rows[2].contains("✗│"))
        app.press(.tab, .down, .down, .enter)
        #expect(
            app.effects == [
                .learnContextWindow(ModelAddress(provider: "demo", model: "demo", baseURL: nil)),
                .loadTranscript(ConversationID("c2")),
            ])
        let message = Message(
            id: MessageID("m1"), conversationID: ConversationID("c2"), role: .user, status: .sent, text: "Old words",
            createdAt: at(800))
        app.send(.chat(.transcriptLoaded(ConversationID("c2"), messages: [message])))
        #expect(app.screen.contains("Old words"))
        #expect(app.state.focus == .sidebar)
    }

    @Test("a search hit on another branch opens on that branch once the conversation's messages are read")
    func searchHitOnBranch() {
        var app = Self.listed(["One", "Two"])
        app.press(.tab, .character("/"))
        app.type("walrus")
        let hit = SearchResult(
            conversationID: ConversationID("c1"), title: "Two", snippet: [.init("walrus", isMatch: true)],
            messageID: MessageID("old"))
        app.send(.searchFinished(query: "walrus", results: [hit]))
        app.press(.enter)
        #expect(app.effects.contains(.loadTranscript(ConversationID("c1"))))
        let id = ConversationID("c1")
        let question = Message(
            id: MessageID("q"), conversationID: id, role: .user, status: .sent, text: "Facts?", createdAt: at(100))
        let old = Message(
            id: MessageID("old"), conversationID: id, role: .assistant, status: .complete, text: "Walrus tusks.",
            createdAt: at(200), parentID: question.id)
        let new = Message(
            id: MessageID("new"), conversationID: id, role: .assistant, status: .complete, text: "Penguins.",
            createdAt: at(300), parentID: question.id)
        app.send(.chat(.transcriptLoaded(id, messages: [question, old, new])))
        #expect(app.state.chat.selectedTranscript.map(\.id) == [question.id, old.id])
        #expect(app.screen.contains("◀ 1/2 ▶"))
        #expect(app.effects.contains { if case .chat(.persistMessage) = $0 { true } else { false } })
    }

    @Test("opening from the sidebar keeps browsing there: the next letters and Enter never become a message")
    func browsingNeverTypes() {
        var app = Self.listed(["Newest", "Broken one", "Oldest"])
        app.press(.tab, .enter, .character("j"), .enter, .character("j"), .enter)
        #expect(app.state.chat.selectedConversationID == ConversationID("c2"))
        #expect(app.state.editor.isEmpty)
        #expect(!app.effects.contains { if case .chat(.startStream) = $0 { true } else { false } })
        #expect(app.state.hint == "Shift-Tab (or typing) writes a reply.")
        // A letter the sidebar has no use for starts a message in the open conversation.
        app.type("thanks")
        #expect(app.state.focus == .input)
        #expect(app.state.editor.text == "thanks")
    }

    @Test("r renames the conversation under the cursor; Esc leaves it as it was")
    func rename() {
        var app = Self.listed(["Draft"])
        app.press(.tab, .character("r"))
        #expect(app.frame.rows[23].hasPrefix("Rename: Draft"))
        app.press(.control("u"))
        app.type("Trip to Kyoto")
        let effects = app.send(.key(.enter))
        #expect(app.state.chat.conversations[ConversationID("c0")]?.title == "Trip to Kyoto")
        #expect(effects.contains { if case .chat(.persistConversation) = $0 { true } else { false } })

        app.press(.character("r"))
        app.type(" extra")
        app.press(.escape)
        #expect(app.state.chat.conversations[ConversationID("c0")]?.title == "Trip to Kyoto")
    }

    @Test("d asks first; y deletes, any other key keeps it")
    func delete() {
        var app = Self.listed(["Keep me", "Remove me"])
        app.press(.tab, .down, .character("d"))
        #expect(app.frame.rows[23].contains("Delete “Remove me” and all its messages? y deletes"))
        app.press(.character("n"))
        #expect(app.state.chat.conversations[ConversationID("c1")] != nil)
        #expect(app.state.hint == "Not deleted.")
        app.press(.character("d"))
        let effects = app.send(.key(.character("y")))
        #expect(effects.contains(.chat(.deleteConversation(ConversationID("c1")))))
        #expect(app.state.chat.conversations[ConversationID("c1")] == nil)
        #expect(app.state.hint == "Deleted “Remove me”.", "the earlier “Not deleted.” does not stay")
        #expect(!app.frame.rows.dropLast().joined().contains("Remove me"), "gone from the list")
    }

    @Test("/ (Ctrl-F while typing) searches titles and messages as the user types; Enter opens the match")
    func search() {
        var app = Self.listed(["One", "Two"])
        app.press(.tab, .character("/"))
        app.type("pen")
        #expect(app.effects == [.search("pen")])
        let results = [
            SearchResult(
                conversationID: ConversationID("c1"), title: "Two",
                snippet: [.init("about ", isMatch: false), .init("penguins", isMatch: true)])
        ]
        app.send(.searchFinished(query: "pe", results: []))  // stale: ignored
        app.send(.searchFinished(query: "pen", results: results))
        let screen = app.screen
        #expect(screen.contains("│/ pen"))
        #expect(screen.contains("about penguins"))
        app.press(.enter)
        #expect(app.state.chat.selectedConversationID == ConversationID("c1"))
        // Opened with a find for what matched, which looks once the messages arrive.
        guard case .finding(let find) = app.state.mode else {
            Issue.record("no find for the match")
            return
        }
        #expect(find.editor.text == "penguins")
        app.press(.escape)

        app.press(.control("f"))
        #expect(app.state.mode == .searching(InputEditor(), results: nil, cursor: 0))
    }

    @Test("e puts the last message back in the editor; Enter sends it beside the old one, which keeps its reply")
    func editAndResend() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("Waht is Rust?")
        app.stream(first, [.text("A language."), .stop(StopReason(.endTurn))])
        app.finish(first)
        app.press(.tab, .character("e"))
        #expect(app.state.editor.text == "Waht is Rust?")
        #expect(app.screen.contains("Editing your last message"))
        app.press(.control("a"), .delete, .delete, .delete, .delete)
        app.type("What")
        app.press(.enter)
        let transcript = app.state.chat.selectedTranscript
        #expect(transcript.map(\.text) == ["What is Rust?", ""])
        #expect(app.state.chat.otherBranches.values.flatMap { $0 }.map(\.text) == ["Waht is Rust?", "A language."])
        #expect(app.screen.contains("◀ 2/2 ▶"))
        #expect(app.effects.contains { if case .chat(.startStream) = $0 { true } else { false } })
    }

    @Test(
        "e on an earlier message of yours edits that one: sent, it starts a branch there, and the old turns stay on theirs"
    )
    func editEarlierMessage() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("Name a fruit")
        app.stream(first, [.text("Apple."), .stop(StopReason(.endTurn))])
        app.finish(first)
        let second = try app.asking("Another")
        app.stream(second, [.text("Pear."), .stop(StopReason(.endTurn))])
        app.finish(second)
        app.press(.tab, .tab)
        #expect(app.state.focus == .transcript)
        for _ in 0..<6 where app.state.focusedMessage?.text != "Name a fruit" { app.press(.character("k")) }
        app.press(.character("e"))
        #expect(app.state.editor.text == "Name a fruit")
        #expect(app.screen.contains("Editing your earlier message"))
        app.press(.control("u"))
        app.type("Name a vegetable")
        app.press(.enter)
        #expect(app.state.chat.selectedTranscript.map(\.text) == ["Name a vegetable", ""])
        #expect(
            Set(app.state.chat.otherBranches.values.flatMap { $0 }.map(\.text))
                == ["Name a fruit", "Apple.", "Another", "Pear."])
        #expect(app.screen.contains("◀ 2/2 ▶"))
    }

    @Test("Ctrl-R regenerates the last reply, keeping the earlier one as its sibling")
    func regenerate() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("Tell a joke")
        app.stream(first, [.text("Knock knock."), .stop(StopReason(.endTurn))])
        app.finish(first)
        let effects = app.send(.key(.control("r")))
        #expect(effects.contains { if case .chat(.startStream) = $0 { true } else { false } })
        let reply = try #require(app.state.chat.selectedTranscript.last)
        #expect(app.state.chat.siblings(of: reply).map(\.text) == ["Knock knock.", ""])
    }

    @Test("[ and ] move between a reply's branches, and the header says where it stands: ◀ 2/2 ▶")
    func branches() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("Tell a joke")
        app.stream(first, [.text("Knock knock."), .stop(StopReason(.endTurn))])
        app.finish(first)
        app.press(.control("r"))
        let second = try #require(app.state.chat.sessions.keys.first)
        app.send(
            .chat(
                .batchArrived(second, Batch(events: [.text("Why did…"), .stop(StopReason(.endTurn))]), now: at(5_000))))
        app.send(.chat(.streamFinished(second, ReplyTiming(), now: at(5_100))))
        #expect(app.screen.contains("◀ 2/2 ▶"))
        app.press(.tab, .character("["))
        #expect(app.state.chat.selectedTranscript.last?.text == "Knock knock.")
        #expect(app.screen.contains("◀ 1/2 ▶"))
        app.press(.character("]"))
        #expect(app.state.chat.selectedTranscript.last?.text == "Why did…")

        // x asks before it deletes; any other key keeps the branch.
        app.press(.character("x"))
        #expect(app.screen.contains("Delete this branch"))
        app.press(.character("n"))
        #expect(app.state.chat.siblings(of: app.state.chat.selectedTranscript.last!).count == 2)
        app.press(.character("x"), .character("y"))
        #expect(app.state.chat.selectedTranscript.last?.text == "Knock knock.")
        #expect(app.effects.contains { if case .chat(.deleteBranch) = $0 { true } else { false } })
        #expect(!app.screen.contains("◀"))
    }

    @Test("f forks the conversation at the focused message into a new one, opened")
    func fork() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("Tell a joke")
        app.stream(first, [.text("Knock knock."), .stop(StopReason(.endTurn))])
        app.finish(first)
        let original = try #require(app.state.chat.selectedConversationID)
        app.press(.tab, .character("F"))
        let fork = try #require(app.state.chat.selectedConversationID)
        #expect(fork != original)
        #expect(app.state.chat.selectedTranscript.map(\.text) == ["Tell a joke", "Knock knock."])
        #expect(app.state.chat.conversationCount == 2)
        #expect(app.screen.contains("Forked"))
    }

    @Test(
        "y copies the focused message as written, the clipboard's one way (OSC 52 here); in the transcript ↑ picks an earlier one"
    )
    func copy() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("Question")
        app.stream(first, [.text("The answer."), .stop(StopReason(.endTurn))])
        app.finish(first)
        app.press(.tab, .tab)
        #expect(app.state.focus == .transcript)
        let copied = app.send(.key(.character("y")))
        #expect(copied == [.copy("The answer.", via: .osc52(.none))])
        app.press(.up)
        let copiedEarlier = app.send(.key(.character("y")))
        #expect(copiedEarlier == [.copy("Question", via: .osc52(.none))])
        #expect(app.state.hint == "Copied 8 characters.")
    }

    @Test("y copies control characters as pictures: pasted into a shell, they must not act as keys")
    func copyControls() throws {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        let reply = try app.asking("Question")
        app.stream(reply, [.text("rm -rf ~\u{1B}[2K\u{0D}\u{202E}ls\n\tdone"), .stop(StopReason(.endTurn))])
        app.finish(reply)
        app.press(.tab, .tab)
        #expect(app.send(.key(.character("y"))) == [.copy("rm -rf ~␛[2K␍<U+202E>ls\n\tdone", via: .osc52(.none))])
    }

    @Test("F1 lists every command with its keys, from the bindings table; any key closes it")
    func help() {
        var app = App(width: 100, height: 50)
        app.press(.function(1))
        let screen = app.screen
        for command in Command.allCases {
            #expect(screen.contains(command.summary), "help lacks \(command)")
        }
        #expect(screen.contains("ctrl-q"))
        app.press(.character("x"))
        #expect(app.state.mode == .normal)
        #expect(app.state.editor.isEmpty)
    }

    @Test("on a short screen help scrolls with ↓ and PgDn until its last line shows; other keys close it")
    func helpScrolls() {
        var app = App(width: 80, height: 24)
        app.press(.function(1))
        let first = app.screen
        #expect(first.contains(Command.quit.summary))
        #expect(!first.contains("any other key closes it"))
        app.press(.pageDown, .pageDown, .down)
        let last = app.screen
        #expect(last.contains("any other key closes it"))
        #expect(last.contains(" of "))
        app.press(.character("q"))
        #expect(app.state.mode == .normal)
    }

    @Test(
        "Ctrl-N starts a conversation with the default provider, in memory until something is sent; an empty one already open is reused"
    )
    func newConversation() throws {
        var app = App(provider: "openai")
        let effects = app.send(.key(.control("n")))
        #expect(
            effects == [.learnContextWindow(ModelAddress(provider: "openai", model: "gpt-4o", baseURL: nil))],
            "nothing is written for an empty conversation; its model's context window is asked for")
        let conversation = try #require(
            app.state.chat.selectedConversationID.flatMap { app.state.chat.conversations[$0] })
        #expect(conversation.provider == "openai")
        #expect(conversation.model == "gpt-4o")
        let again = app.send(.key(.control("n")))
        #expect(again.isEmpty, "the window is asked for once")
        #expect(app.state.chat.conversationCount == 1)
    }

    @Test("an app launched with a base URL: a new conversation keeps it, and its reply is asked for there")
    func launchBaseURL() throws {
        var app = App(provider: "openai", baseURLs: ["openai": "http://127.0.0.1:9/v1"])
        let start = try app.asking("hello")
        #expect(start.baseURL == "http://127.0.0.1:9/v1")
        let created = app.effects.first { if case .chat(.createConversation) = $0 { true } else { false } }
        guard case .chat(.createConversation(let saved, let messages)) = created else {
            Issue.record("expected the conversation to be created with its message, got \(app.effects)")
            return
        }
        #expect(saved.baseURL == "http://127.0.0.1:9/v1")
        #expect(messages.map(\.role) == [.user, .assistant])
    }

    @Test(
        "another Parley deleted the open conversation: its stream stops, it leaves the sidebar, the status bar says so")
    func deletedElsewhere() throws {
        var app = App(width: 120, provider: "openai")
        let start = try app.asking("hello")
        let effects = app.send(.chat(.conversationDeletedElsewhere(start.conversationID)))
        #expect(effects == [.chat(.cancelStream(start.sessionID))])
        #expect(app.state.chat.conversationCount == 0)
        #expect(app.state.sidebarCursor == nil)
        #expect(app.screen.contains("“hello” was deleted by another Parley; its reply was not saved."))
    }

    @Test("where nothing can be saved the conversations are still listed, and the status bar says why, once")
    func savingUnavailable() {
        var app = Self.listed(["Trip to Kyoto"])
        app.send(.chat(.savingUnavailable(reason: "the disk is full")))
        let screen = app.screen
        #expect(screen.contains("Trip to Kyoto"))
        #expect(screen.contains("New replies are not being saved: the disk is full"))
    }
}

@Suite("Keys: one table, rebindable")
struct KeyBindingTests {
    @Test("a command's keys can be replaced from the config; unknown commands and keys are named")
    func overriding() throws {
        let rebound = try KeyBindings.standard.overriding(["toggle-thinking": ["ctrl-y", "f2"]]).get()
        #expect(rebound.global[.control("y")] == .toggleThinking)
        #expect(rebound.global[.function(2)] == .toggleThinking)
        #expect(rebound.global[.control("t")] == nil)
        #expect(
            KeyBindings.standard.overriding(["toggle-thinkin": ["ctrl-g"]])
                == .failure(.unknownCommand("toggle-thinkin")))
        #expect(
            KeyBindings.standard.overriding(["quit": ["ctrl-"]]) == .failure(.unknownKey("ctrl-", command: "quit")))
    }

    @Test("a new key replaces the command's keys everywhere: typing or not, letters where nothing is typed")
    func replacesEverywhere() throws {
        let rebound = try KeyBindings.standard.overriding(["new": ["ctrl-z", "a"], "search": ["f5"]]).get()
        #expect(rebound.global[.control("z")] == .newConversation)
        #expect(rebound.navigation[.character("a")] == .newConversation)
        #expect(rebound.global[.control("n")] == nil, "the default key is gone, not left beside the new one")
        #expect(rebound.navigation[.character("n")] == nil)
        #expect(rebound.global[.function(5)] == .search)
        #expect(rebound.global[.control("f")] == nil)
        #expect(rebound.navigation[.character("/")] == nil)
    }

    @Test("rebound keys work while typing, and the hints, the status bar and F1 name them")
    func reboundInUse() throws {
        let bindings = try KeyBindings.standard.overriding([
            "new": ["ctrl-z"], "send": ["ctrl-s"], "newline": ["enter"], "quit": ["ctrl-y"],
        ]).get()
        var app = App(width: 120, height: 40, bindings: bindings)
        app.send(.chat(.listLoaded([], statuses: [:])))
        var screen = app.screen
        #expect(screen.contains("type here; Ctrl-S sends, Enter new line"))
        #expect(screen.contains("F1 help  Ctrl-Y quit"))
        app.type("first")
        app.press(.enter)
        app.type("second")
        #expect(app.state.editor.text == "first\nsecond", "Enter is a new line now")
        app.press(.control("z"))
        #expect(app.state.chat.conversations.count == 1, "Ctrl-Z made a conversation while the editor had focus")
        app.press(.function(1))
        screen = app.screen
        #expect(screen.contains("[new]"))
        #expect(screen.contains("[toggle-thinking]"))
    }

    @Test("a key for two commands, or a letter for sending, is refused and said why")
    func clashes() {
        #expect(
            KeyBindings.standard.overriding(["regenerate": ["ctrl-t"]])
                == .failure(.clash("ctrl-t", commands: ["regenerate", "toggle-thinking"])))
        #expect(
            KeyBindings.standard.overriding(["quit": ["enter"]])
                == .failure(.clash("enter", commands: ["open", "quit"]))
                || KeyBindings.standard.overriding(["quit": ["enter"]])
                    == .failure(.clash("enter", commands: ["quit", "send"]))
        )
        #expect(KeyBindings.standard.overriding(["send": ["s"]]) == .failure(.untypeable("s", command: "send")))
        // Both moved at once is no clash.
        #expect(
            (try? KeyBindings.standard.overriding(["regenerate": ["ctrl-t"], "toggle-thinking": ["f2"]]).get()) != nil)
    }

    @Test("every key name reads back as the key it names")
    func names() {
        let keys: [Key] = [
            .character("j"), .character(" "), .control("t"), .alt("b"), .enter, .altEnter, .tab, .backTab, .escape,
            .pageUp, .pageDown, .home, .end, .function(1), .function(12), .up, .down, .left, .right, .backspace,
            .delete,
        ]
        for key in keys { #expect(Key(name: key.name) == key) }
    }

    @Test("every command has a key and a line in help")
    func everyCommandBound() {
        #expect(Set(KeyBindings.standard.listing.map(\.command)) == Set(Command.allCases))
    }
}

@Suite("The message editor: readline keys")
struct InputEditorTests {
    @Test("Ctrl-A/E, Ctrl-K/U, Ctrl-W and Alt-B/F act on words and the caret's line")
    func readline() {
        var editor = InputEditor("hello brave new world")
        editor.moveWordBackward()
        editor.deleteWordBackward()
        #expect(editor.text == "hello brave world")
        editor.moveToLineStart()
        editor.moveWordForward()
        editor.killToLineEnd()
        #expect(editor.text == "hello")
        editor.killToLineStart()
        #expect(editor.text.isEmpty)
    }

    @Test("in a multi-line message the line keys stay on the caret's line, and ↑/↓ move between lines")
    func lines() {
        var editor = InputEditor("first\nsecond")
        editor.moveToLineStart()
        #expect(editor.caret == (1, 0))
        let movedUp = editor.moveUp()
        #expect(movedUp)
        #expect(editor.caret == (0, 0))
        let movedPastTop = editor.moveUp()
        #expect(!movedPastTop)
        editor.moveToLineEnd()
        editor.killToLineEnd()
        #expect(editor.text == "firstsecond")
    }

    @Test("positions count characters, so an emoji or an accented letter is deleted whole")
    func characters() {
        var editor = InputEditor("cafe\u{301} 👩‍👩‍👧")
        editor.backspace()
        #expect(editor.text == "cafe\u{301} ")
        editor.backspace()
        editor.backspace()
        #expect(editor.text == "caf")
    }
}
