import ParleyCore
import Testing

@testable import ParleyTUI

/// The model picker (Ctrl-P) and the preset picker (Ctrl-O), told through the reducer.
@Suite("Pickers: choosing the provider, model and system prompt")
struct PickerStoryTests {
    /// The demo (listed already), OpenAI (a key is set) and Ollama (configured), as at start-up.
    static let choices = ModelChoices(
        providers: [
            .init(name: "demo", model: "demo"), .init(name: "openai", model: "gpt-4o-mini"),
            .init(name: "ollama", model: "llama3.2"),
        ],
        listings: ["demo": .listed(["demo"])],
        presets: [
            .init(name: "reviewer", system: "You review code. Point out bugs first."),
            .init(name: "translator", system: "Translate the user's text into English."),
        ])

    static func app(conversation: Bool = true) -> App {
        var app = App(choices: choices)
        app.send(.chat(.listLoaded([], statuses: [:])))
        if conversation { app.press(.control("n")) }
        return app
    }

    static func picker(_ app: App) -> Picker? {
        if case .picking(let picker) = app.state.mode { return picker }
        return nil
    }

    static func items(_ app: App) -> [Picker.Item] {
        guard let picker = picker(app) else { return [] }
        return Picker.items(app.state.rows(for: picker))
    }

    @Test("Ctrl-P opens the picker on the model in use and asks for the lists not known yet; they show loading…")
    func opening() throws {
        var app = Self.app()
        let effects = app.send(.key(.control("p")))
        #expect(effects == [.listModels(provider: "openai"), .listModels(provider: "ollama")])
        let picker = try #require(Self.picker(app))
        #expect(picker.kind == .model)
        #expect(picker.selection == .model(provider: "demo", model: "demo"))
        #expect(picker.conversation == app.state.chat.selectedConversationID)
        let screen = app.screen
        #expect(screen.contains("Model for “Untitled”"))
        #expect(screen.contains("loading…"))
        #expect(screen.contains("● demo"))
        #expect(screen.contains("↑/↓ move · Enter chooses · Esc closes · type to filter"))
        // Until its list arrives, a provider's usual model can be chosen.
        #expect(
            Self.items(app) == [
                .model(provider: "demo", model: "demo"), .model(provider: "openai", model: "gpt-4o-mini"),
                .model(provider: "ollama", model: "llama3.2"),
            ])
    }

    @Test(
        "lists arrive; typing filters; ↑/↓ move; Enter changes the open conversation's model (written with its first message), shown at once"
    )
    func choosingForTheConversation() throws {
        var app = Self.app()
        let id = try #require(app.state.chat.selectedConversationID)
        app.press(.control("p"))
        app.send(.modelsListed(provider: "ollama", models: ["llama3.2:latest", "qwen3:8b", "qwen3:32b"]))
        app.send(.modelsListed(provider: "openai", models: ["gpt-4o", "gpt-4o-mini"]))
        #expect(!app.screen.contains("loading…"))
        app.type("qwen")
        #expect(
            Self.items(app) == [
                .model(provider: "ollama", model: "qwen3:8b"), .model(provider: "ollama", model: "qwen3:32b"),
            ])
        #expect(
            Self.picker(app)?.cursor(in: app.state.rows(for: Self.picker(app)!))
                == .model(provider: "ollama", model: "qwen3:8b"))
        app.press(.down, .down, .up)
        #expect(Self.picker(app)?.selection == .model(provider: "ollama", model: "qwen3:8b"))
        app.press(.down)
        let effects = app.send(.key(.enter))
        #expect(app.state.mode == .normal)
        let conversation = try #require(app.state.chat.conversations[id])
        #expect(conversation.provider == "ollama")
        #expect(conversation.model == "qwen3:32b")
        #expect(
            effects == [.learnContextWindow(ModelAddress(provider: "ollama", model: "qwen3:32b", baseURL: nil))],
            "a conversation nothing was sent in is written with its first message; the new model's window is asked for")
        #expect(app.frame.rows[0].contains("qwen3:32b · Ollama ┐"))
        #expect(app.state.hint == "Replies here now come from qwen3:32b · Ollama.")
        // The next reply goes there.
        let start = try app.asking("hello")
        #expect(start.provider == "ollama")
        #expect(start.model == "qwen3:32b")
        // Reopened, the lists are not asked for again and the cursor is on the model in use.
        #expect(app.send(.key(.control("p"))).isEmpty)
        #expect(Self.picker(app)?.selection == .model(provider: "ollama", model: "qwen3:32b"))
    }

    @Test("a provider's name filters to its models; words match in any order; no match says so")
    func filtering() {
        var app = Self.app()
        app.press(.control("p"))
        app.send(.modelsListed(provider: "ollama", models: ["llama3.2:latest", "qwen3:8b"]))
        app.send(.modelsListed(provider: "openai", models: ["gpt-4o", "gpt-4o-mini"]))
        app.type("openai mini")
        #expect(Self.items(app) == [.model(provider: "openai", model: "gpt-4o-mini")])
        app.press(.control("u"))
        app.type("zzz")
        #expect(app.screen.contains("No listed model matches “zzz”."))
        #expect(Self.items(app) == [.model(provider: "demo", model: "zzz")], "offered as typed")
        app.type(" top")
        #expect(Self.items(app).isEmpty, "words with spaces are no model name")
        #expect(app.send(.key(.enter)).isEmpty)
        #expect(Self.picker(app) != nil)
    }

    @Test("with no conversation open, Enter sets the model new conversations use; nothing is saved")
    func choosingTheDefaults() throws {
        var app = Self.app(conversation: false)
        app.press(.control("p"))
        #expect(app.screen.contains("Model for new conversations"))
        app.send(.modelsListed(provider: "openai", models: ["gpt-4o", "gpt-4o-mini"]))
        app.press(.down)
        #expect(Self.picker(app)?.selection == .model(provider: "openai", model: "gpt-4o"))
        let effects = app.send(.key(.enter))
        #expect(effects.isEmpty)
        #expect(app.state.defaults.provider == "openai")
        #expect(app.state.defaults.model == "gpt-4o")
        #expect(app.frame.rows[0].contains("gpt-4o · OpenAI ┐"))
        let start = try app.asking("hi")
        #expect(start.provider == "openai")
        #expect(start.model == "gpt-4o")
    }

    @Test("Esc closes the picker and changes nothing")
    func escape() throws {
        var app = Self.app()
        let before = try #require(app.state.selectedConversation)
        app.press(.control("p"))
        app.type("llama")
        #expect(app.send(.key(.escape)).isEmpty)
        #expect(app.state.mode == .normal)
        #expect(app.state.selectedConversation == before)
        #expect(app.state.defaults.provider == "demo")
        #expect(!app.screen.contains("Model for"))
    }

    @Test("a list that cannot be had shows why in plain words; the usual model stays choosable; reopening asks again")
    func listingFails() throws {
        var app = Self.app()
        app.press(.control("p"))
        app.send(.modelsListed(provider: "ollama", models: ["llama3.2:latest"]))
        app.send(
            .modelsListingFailed(
                provider: "openai", reason: "401 from OpenAI: Incorrect API key provided. Check OPENAI_API_KEY."))
        let screen = app.screen
        #expect(screen.contains("401 from OpenAI: Incorrect API key provided."))
        #expect(screen.contains("OPENAI_API_KEY."))
        #expect(Self.items(app).contains(.model(provider: "openai", model: "gpt-4o-mini")))
        app.press(.escape)
        #expect(app.send(.key(.control("p"))) == [.listModels(provider: "openai")])
        #expect(app.screen.contains("loading…"))
    }

    @Test("an open conversation whose provider is not usable now is still listed, first, with its model")
    func conversationsOwnProvider() throws {
        var app = App(choices: Self.choices)
        let saved = Conversation(
            id: ConversationID("old"), title: "Old chat", createdAt: at(500), provider: "lmstudio", model: "qwen-7b")
        app.send(.chat(.listLoaded([saved], statuses: [:])))
        app.press(.tab, .enter)
        app.send(.chat(.transcriptLoaded(saved.id, messages: [])))
        let effects = app.send(.key(.control("p")))
        #expect(effects.first == .listModels(provider: "lmstudio"))
        #expect(Self.items(app).first == .model(provider: "lmstudio", model: "qwen-7b"))
        #expect(app.screen.contains("LM Studio"))
    }

    @Test("Ctrl-O lists the presets and no system prompt; Enter sets the conversation's prompt, saved, sent next")
    func presetPicker() throws {
        var app = Self.app()
        let id = try #require(app.state.chat.selectedConversationID)
        #expect(app.send(.key(.control("o"))).isEmpty)
        let picker = try #require(Self.picker(app))
        #expect(picker.kind == .preset)
        #expect(picker.selection == .preset(name: nil))
        #expect(Self.items(app) == [.preset(name: nil), .preset(name: "reviewer"), .preset(name: "translator")])
        let screen = app.screen
        #expect(screen.contains("System prompt for “Untitled”"))
        #expect(screen.contains("● No system prompt"))
        #expect(screen.contains("reviewer  You review code. Point out bugs first."))
        app.type("trans")
        let effects = app.send(.key(.enter))
        let conversation = try #require(app.state.chat.conversations[id])
        #expect(conversation.systemPrompt == "Translate the user's text into English.")
        #expect(effects.isEmpty, "a conversation nothing was sent in is written with its first message")
        #expect(app.state.hint == "Replies here now use the “translator” system prompt.")
        let start = try app.asking("Bonjour")
        #expect(start.request.system == "Translate the user's text into English.")
        // Reopened, the cursor is on the one in use; choosing none removes it.
        app.press(.control("o"))
        #expect(Self.picker(app)?.selection == .preset(name: "translator"))
        app.press(.up, .up, .enter)
        #expect(app.state.chat.conversations[id]?.systemPrompt == nil)
    }

    @Test("with no conversation open, the preset becomes the default for new conversations")
    func presetDefault() throws {
        var app = Self.app(conversation: false)
        app.press(.control("o"), .down, .enter)
        #expect(app.state.defaults.systemPrompt == "You review code. Point out bugs first.")
        let start = try app.asking("review this")
        #expect(start.request.system == "You review code. Point out bugs first.")
    }

    @Test("with no presets, the preset picker says how to add one")
    func noPresets() {
        var app = App()
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.press(.control("o"))
        let screen = app.screen
        #expect(screen.contains("No presets yet. Add one to config.toml (`parley config edit`):"))
        #expect(screen.contains("[presets.NAME]"))
        #expect(screen.contains("system = \"…\""))
        #expect(Self.items(app) == [.preset(name: nil)])
    }

    @Test("Ctrl-P and Ctrl-O work while typing a message, which stays; the config can rebind them")
    func keys() throws {
        var app = Self.app()
        app.type("half a thought")
        app.press(.control("p"))
        #expect(Self.picker(app)?.kind == .model)
        app.press(.escape, .control("o"))
        #expect(Self.picker(app)?.kind == .preset)
        app.press(.escape)
        #expect(app.state.editor.text == "half a thought")
        let rebound = try KeyBindings.standard.overriding(["pick-model": ["f3"], "pick-preset": ["alt-o"]]).get()
        #expect(rebound.global[.function(3)] == .pickModel)
        #expect(rebound.global[.alt("o")] == .pickPreset)
        #expect(rebound.global[.control("p")] == nil)
    }

    @Test("a model no list offers can be typed: it is offered as typed, with the provider in use")
    func typedModel() throws {
        var app = Self.app()
        let id = try #require(app.state.chat.selectedConversationID)
        app.press(.control("p"))
        app.type("o4-mini-2026")
        #expect(Self.items(app) == [.model(provider: "demo", model: "o4-mini-2026")])
        #expect(app.screen.contains("As typed"))
        app.press(.enter)
        #expect(app.state.chat.conversations[id]?.model == "o4-mini-2026")
        // A listed model typed in full is that one, not offered twice.
        app.press(.control("p"))
        app.type("demo")
        #expect(Self.items(app).filter { $0 == .model(provider: "demo", model: "demo") }.count == 1)
        #expect(!app.screen.contains("As typed"), "a listed model is not offered twice")
    }

    @Test("a system prompt typed into the preset picker is this conversation's; the title says which is in use")
    func typedSystemPrompt() throws {
        var app = Self.app()
        let id = try #require(app.state.chat.selectedConversationID)
        app.press(.control("o"))
        app.type("Answer like a sailor.")
        #expect(Self.items(app) == [.typedPrompt("Answer like a sailor.")])
        app.press(.enter)
        #expect(app.state.chat.conversations[id]?.systemPrompt == "Answer like a sailor.")
        #expect(app.screen.contains("· system prompt ┐"))
        app.press(.control("o"))
        app.type("reviewer")
        app.press(.enter)
        #expect(app.screen.contains("· preset reviewer ┐"))
    }

    @Test("pasting into a picker types into its query")
    func pasting() {
        var app = Self.app()
        app.press(.control("o"))
        app.send(.pasted("review\n"))
        #expect(Self.picker(app)?.query.text == "review ")
        #expect(Self.items(app) == [.preset(name: "reviewer")])
        #expect(app.state.editor.isEmpty)
    }
}

@Suite("Local servers found at start-up")
struct LocalServerStoryTests {
    static let ollama = ModelChoices.Provider(name: "ollama", model: "llama3.2")

    @Test("a found server joins the picker with its models")
    func joinsThePicker() {
        var app = App(
            choices: ModelChoices(
                providers: [.init(name: "demo", model: "demo")], listings: ["demo": .listed(["demo"])]))
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.send(.localServerFound(Self.ollama, models: ["llama3.2:latest", "qwen3:8b"]))
        #expect(app.state.defaults.provider == "demo", "the launch named its provider: the defaults stay")
        #expect(app.send(.key(.control("p"))).isEmpty, "its list came with it")
        #expect(
            PickerStoryTests.items(app) == [
                .model(provider: "demo", model: "demo"), .model(provider: "ollama", model: "llama3.2:latest"),
                .model(provider: "ollama", model: "qwen3:8b"),
            ])
    }

    @Test("while nothing chose the provider, the first server found becomes the default, and says so")
    func becomesTheDefault() throws {
        var app = App(followsDiscovery: true)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.send(.localServerFound(Self.ollama, models: ["qwen3:8b", "llama3.2"]))
        #expect(app.state.defaults.provider == "ollama")
        #expect(app.state.defaults.model == "llama3.2", "the configured model, as it is listed")
        #expect(app.state.hint == "Found Ollama: new conversations use llama3.2 (Ctrl-P picks another).")
        #expect(app.frame.rows[0].contains("llama3.2 · Ollama ┐"))
        app.send(.localServerFound(.init(name: "lmstudio", model: "local-model"), models: ["qwen-7b"]))
        #expect(app.state.defaults.provider == "ollama", "the first found wins")
        let start = try app.asking("hi")
        #expect(start.provider == "ollama")
    }

    @Test("once the user has sent, started a conversation or picked, a server found later changes no default")
    func userFirst() throws {
        var sent = App(followsDiscovery: true)
        sent.send(.chat(.listLoaded([], statuses: [:])))
        try sent.asking("hi")
        sent.send(.localServerFound(Self.ollama, models: ["llama3.2"]))
        #expect(sent.state.defaults.provider == "demo")

        var started = App(followsDiscovery: true)
        started.press(.control("n"))
        started.send(.localServerFound(Self.ollama, models: ["llama3.2"]))
        #expect(started.state.defaults.provider == "demo")

        var picked = App(choices: ModelChoices(providers: [.init(name: "demo", model: "demo")]), followsDiscovery: true)
        picked.press(.control("p"), .enter)
        picked.send(.localServerFound(Self.ollama, models: ["llama3.2"]))
        #expect(picked.state.defaults.provider == "demo")
    }

    @Test("a server whose model nobody named: the first model its list offers is used, and that is said")
    func modelFromTheServersList() throws {
        var app = App(provider: "openai", modelIsAGuess: true)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.send(.modelsListed(provider: "openai", models: ["house-model-7b", "other"]))
        #expect(app.state.defaults.model == "house-model-7b")
        #expect(app.state.hint == "OpenAI offers house-model-7b: new conversations use it (Ctrl-P picks another).")
        #expect(try app.asking("hi").model == "house-model-7b")
        // Known now: a later listing changes nothing.
        app.send(.modelsListed(provider: "openai", models: ["other"]))
        #expect(app.state.defaults.model == "house-model-7b")
    }

    @Test("a server that lists no models is offered but never becomes the default")
    func noModels() {
        var app = App(followsDiscovery: true)
        app.send(.localServerFound(.init(name: "lmstudio", model: "local-model"), models: []))
        #expect(app.state.defaults.provider == "demo")
        app.press(.control("p"))
        #expect(app.screen.contains("lists no models"))
    }
}

@Suite("Screens: the pickers")
struct PickerSnapshotTests {
    @Test("80×24: the model picker over the conversation, its lists as they arrived, the cursor on the model in use")
    func modelPicker() {
        var app = App(choices: PickerStoryTests.choices)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.press(.control("n"))
        app.send(.key(.control("p")))
        app.send(.modelsListed(provider: "ollama", models: ["llama3.2:latest", "qwen3:8b", "qwen3:32b"]))
        app.send(
            .modelsListingFailed(
                provider: "openai", reason: "401 from OpenAI: Incorrect API key provided. Check OPENAI_API_KEY."))
        app.press(.down, .down)
        expectScreen(
            app.screen,
            """
            ┌ Conversations ─────┐┌ Untitled ─────────────────────── demo · demo (offline) ┐
            │  U┌ Model for “Untitled” ────────────────────────────────────────────────┐   │
            │   │ > type to filter                                reasoning auto (Tab) │   │
            │   │                                                                      │   │
            │   │ demo (offline)                                                       │r  │
            │   │   ● demo                                                             │   │
            │   │ OpenAI                                                               │To │
            │   │     401 from OpenAI: Incorrect API key provided. Check               │EY │
            │   │     OPENAI_API_KEY.                                                  │   │
            │   │     gpt-4o-mini                                                      │   │
            │   │ Ollama                                                               │   │
            │   │     llama3.2:latest                                                  │   │
            │   │     qwen3:8b                                                         │   │
            │   │     qwen3:32b                                                        │   │
            │   └─ Ctrl-Space marks models to compare ─────────────────────────────────┘   │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    ││                                                        │
            │                    │├────────────────────────────────────────────────────────┤
            │                    ││> type here; Enter sends, Alt-Enter/Ctrl-J new line     │
            └────────────────────┘└────────────────────────────────────────────────────────┘
             ↑/↓ move · Enter chooses · Esc closes · type to filter · Tab reasoning
            """)
        #expect(app.frame.cursor == Frame.Position(row: 2, column: 8))
        // The cursor's row is drawn reversed, and only that row.
        let reversed = (0..<24).filter { app.frame[$0, 10].style == Style(.selection, [.reverse]) }
        #expect(reversed == [11])
        #expect(PickerStoryTests.picker(app)?.selection == .model(provider: "ollama", model: "llama3.2:latest"))
    }
}
