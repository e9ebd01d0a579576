import Foundation
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyTestSupport
import Synchronization
import Testing

/// The full-screen app as a person uses it: in a real terminal (tmux), typing, watching replies
/// stream, switching, stopping, resizing and quitting.
@Suite("The full-screen app in a terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct AppInTmuxTests {
    /// The shell line that runs the app, then shows how it exited and whether the terminal is back
    /// in its normal mode (canonical input and echo), as the user's shell would find it.
    static func command(
        _ arguments: [String], home: String, extra: [String: String] = [:], launcher: [String] = []
    ) -> String {
        var environment = ["PARLEY_HOME": home, "LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": home]
        environment.merge(extra) { _, new in new }
        let variables = environment.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let binary = (launcher + [ParleyProcess.binary.path]).joined(separator: " ")
        let args = arguments.map { "'\($0)'" }.joined(separator: " ")
        return "env -i PATH=/usr/bin:/bin \(variables) \(binary) \(args); "
            + "echo \"EXITED $?\"; stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; echo CHECKED; sleep 60"
    }

    @Test("with the demo provider and no network: type, see it at once, see the reply and its thinking, quit cleanly")
    func demo() async throws {
        let home = ParleyProcess.dataFolder()
        // Named, so a local server on this machine (found at start-up) does not stand in for the demo.
        // Tall enough for the whole exchange: on a busy machine the first capture after Enter may
        // come when the reply is already done, and the message must not have scrolled away by then.
        let tmux = try Tmux(width: 100, height: 60, command: Self.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") && $0.contains("demo (offline)") }
        try tmux.type("Hello from tmux")
        try tmux.press("Enter")
        try await tmux.waitFor("the message at once") { $0.contains("│ Hello from tmux") && $0.contains("│ you") }
        let done = try await tmux.waitFor("the whole reply") {
            $0.contains("To talk to a real model") && $0.contains(" · in ~")
        }
        // How long it thought depends on the machine's load; what it thought does not.
        #expect(done.contains(/├ Thinking ── \d+\.\d s · 74 tok/))
        #expect(done.contains("I am Parley's built-in demo"))
        try tmux.press("C-q")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
        #expect(after.contains("icanon echo"))
        #expect(!after.contains("┌ Conversations"))
        let listed = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        #expect(listed.stdout.contains("2 msgs"))
        #expect(listed.stdout.contains("Hello from tmux"))
    }

    @Test(
        "against a slow local server: the reply grows, thinking streams, switching mid-stream keeps it going, Esc stops it, resize re-lays out"
    )
    func slowServer() async throws {
        let bytes = try Fixtures.stream("deepseek/deepseek-reasoner-reasoning-content-emoji.sse")
        // Each reply streams on its own up to a gate and waits there for the test, so how far it
        // has got when the screen is read is the story's to say, not the machine's speed. The
        // first ninety-odd percent of this recording is reasoning.
        let growth = [Gate(), Gate(), Gate()]
        let firstRest = Gate()
        let secondRest = Gate()
        let first = ScriptedResponse.replay(bytes, pieces: 60...160, pause: .milliseconds(30), seed: 5)
            .held(at: [0.1, 0.2, 0.3, 0.4], by: growth + [firstRest])
        let second = ScriptedResponse.replay(bytes, pieces: 60...160, pause: .milliseconds(30), seed: 6)
            .held(at: [0.1], by: [secondRest])
        let server = try await TestServer.start { request in
            String(decoding: request.body, as: UTF8.self).contains("Second question") ? second : first
        }
        defer {
            for gate in growth + [firstRest, secondRest] { gate.open() }
            Task { try await server.shutdown() }
        }
        let home = ParleyProcess.dataFolder()
        try ConfigHome.patient(home)
        let tmux = try Tmux(
            width: 120, height: 40,
            command: Self.command(["--provider", "deepseek", "--base-url", server.baseURL], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("deepseek-") && $0.contains("┌ Conversations") }

        try tmux.type("Tell me about emoji")
        try tmux.press("Enter")
        try await tmux.waitFor("the message at once") { $0.contains("│ Tell me about emoji") }
        let thinking = try await tmux.waitFor("thinking in its pane") { $0.contains("├ Thinking") }
        #expect(thinking.contains("Thinking…"))
        // The reply grows in place over several captures.
        var seen = Self.inked(thinking)
        for (capture, gate) in growth.enumerated() {
            gate.open()
            let grown = try await tmux.waitFor("the reply to grow (capture \(capture + 1))") { Self.inked($0) > seen }
            seen = Self.inked(grown)
        }

        // A second conversation while the first streams.
        try tmux.press("C-n")
        try tmux.type("Second question")
        try tmux.press("Enter")
        let both = try await tmux.waitFor("both conversations in the sidebar") { screen in
            screen.contains("│ Second question") && screen.contains("Tell me about emoji")
        }
        #expect(
            both.split(separator: "\n").contains {
                $0.contains("Tell me about emoji") && $0.hasPrefix("│⠋") || $0.hasPrefix("│⠙") || $0.hasPrefix("│⠹")
                    || $0.hasPrefix("│⠸") || $0.hasPrefix("│⠼") || $0.hasPrefix("│⠴") || $0.hasPrefix("│⠦")
                    || $0.hasPrefix("│⠧") || $0.hasPrefix("│⠇") || $0.hasPrefix("│⠏") || $0.hasPrefix("│●")
            })

        // Resize mid-stream: everything is laid out again at the new width at once.
        try tmux.resize(width: 90, height: 30)
        try await tmux.waitFor("the new width") { screen in
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return rows.first?.hasSuffix("┐") == true && rows.first.map { $0.count <= 90 } == true
        }

        // Esc stops the second conversation's reply: kept, marked cancelled, connection closed.
        try await tmux.waitFor("the second reply's thinking") {
            $0.contains("Thinking…") && $0.contains("│ Second question")
        }
        try tmux.press("Escape")
        try await tmux.waitFor("the reply marked cancelled") { $0.contains("· cancelled") }
        #expect(await server.waitForConnectionsClosed(1, within: .seconds(120)))

        // Back to the first conversation: it goes on streaming, and finishes.
        firstRest.open()
        try tmux.press("Tab", "Down", "Enter")
        try await tmux.waitFor("the first reply, whole") { screen in
            screen.contains("Tell me about emoji") && screen.contains("· in ") && screen.contains(" tok ·")
        }

        try tmux.press("C-c")
        try tmux.press("C-c")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
        #expect(after.contains("icanon echo"))
        #expect(
            FileManager.default.fileExists(atPath: home + "/parley.sqlite-checked"),
            "quitting leaves the mark that spares the next start a check of every page")

        // The database holds both turns: the finished reply and the cancelled one with its partial text.
        let store = try ConversationStore.open(at: home + "/parley.sqlite")
        let conversations = try await store.conversations()
        #expect(conversations.count == 2)
        var statuses: [Message.Status] = []
        for summary in conversations {
            let transcript = try await store.transcript(of: summary.conversation.id)
            #expect(transcript.messages.count == 2)
            statuses += transcript.messages.map(\.status)
            #expect(transcript.messages.last.map { !$0.text.isEmpty || !$0.thinking.isEmpty } == true)
        }
        #expect(statuses.sorted { $0.rawValue < $1.rawValue } == [.cancelled, .complete, .sent, .sent])
    }

    @Test("a local server too busy to answer at once is still found, and becomes the default while nothing is started")
    func busyLocalServer() async throws {
        let probes = Mutex(0)
        let llamacpp = try await TestServer.start { request in
            guard request.target == "/v1/models" else { return .whole("{}", status: 404) }
            let probe = probes.withLock { probes in
                probes += 1
                return probes
            }
            // The first probe gets no answer in time: the machine is busy.
            return probe == 1 ? ScriptedResponse(body: [.stall]) : .whole(#"{"data":[{"id":"qwen3-8b"}]}"#)
        }
        defer { Task { try await llamacpp.shutdown() } }
        let closed = try ClosedPort()
        defer { closed.close() }
        let home = try ConfigHome(
            """
            [providers.llamacpp]
            base_url = "\(llamacpp.baseURL)/v1"
            [providers.lmstudio]
            base_url = "\(closed.baseURL)/v1"
            """)
        let tmux = try Tmux(
            width: 120, height: 40,
            command: Self.command([], home: home.folder, extra: ["OLLAMA_HOST": "127.0.0.1:\(closed.port)"]))
        try await tmux.waitFor("the first frame, on the demo") { $0.contains("demo · demo (offline) ┐") }
        try await tmux.waitFor("the server found late, as the default") {
            $0.contains("qwen3-8b · llama.cpp ┐") && $0.contains("Found llama.cpp")
        }
        #expect(probes.withLock { $0 } >= 2)
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test("a provider of one's own as the default: its server's model, its name in the title and the picker")
    func ownProvider() async throws {
        let work = try await TestServer.start { request in
            switch request.target {
            case "/v1/models": .whole(#"{"data":[{"id":"house-model-7b"}]}"#)
            case "/v1/chat/completions": .replay(StreamBodies.openAIChat(["Hello from work."]))
            default: .whole("{}", status: 404)
            }
        }
        defer { Task { try await work.shutdown() } }
        let closed = try ClosedPort()
        defer { closed.close() }
        let home = try ConfigHome(
            """
            provider = "work"
            [providers.work]
            kind = "openai"
            base_url = "\(work.baseURL)/v1"
            key_env = "WORK_LLM_KEY"
            [providers.lmstudio]
            base_url = "\(closed.baseURL)/v1"
            [providers.llamacpp]
            base_url = "\(closed.baseURL)/v1"
            """ + "\n" + ConfigHome.patientTimeouts)
        let tmux = try Tmux(
            width: 120, height: 40,
            command: Self.command(
                [], home: home.folder,
                extra: ["OLLAMA_HOST": "127.0.0.1:\(closed.port)", "WORK_LLM_KEY": "wk-123"]))
        try await tmux.waitFor("the server's own model, by the provider's name") {
            $0.contains("house-model-7b · work ┐") && $0.contains("work offers house-model-7b")
        }
        try tmux.type("hi")
        try tmux.press("Enter")
        try await tmux.waitFor("its reply") { $0.contains("Hello from work.") }
        let chat = try #require(work.requests.first { $0.method == "POST" })
        #expect(chat.header("Authorization") == "Bearer wk-123")
        #expect(String(decoding: chat.body, as: UTF8.self).contains(#""model":"house-model-7b""#))
        try tmux.press("C-p")
        try await tmux.waitFor("the picker offering it") {
            $0.contains("Model for “hi”") && $0.contains("house-model-7b") && $0.contains("work")
        }
        try tmux.press("Escape", "C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test(
        "nothing configured, a local server found at start-up: it becomes the default; Ctrl-P and Ctrl-O choose the model and system prompt, saved"
    )
    func pickers() async throws {
        let lmstudio = try await TestServer.start { request in
            switch request.target {
            case "/v1/models": .whole(#"{"data":[{"id":"qwen2.5-7b-instruct"},{"id":"gemma-3-4b"}]}"#)
            case "/v1/chat/completions": .replay(StreamBodies.openAIChat(["Arr, ", "ahoy from the local server."]))
            default: .whole("{}", status: 404)
            }
        }
        defer { Task { try await lmstudio.shutdown() } }
        // Nothing listens here: the other local servers are looked for where none runs.
        let closed = try ClosedPort()
        defer { closed.close() }
        let home = try ConfigHome(
            """
            [providers.lmstudio]
            base_url = "\(lmstudio.baseURL)/v1"

            [providers.llamacpp]
            base_url = "\(closed.baseURL)/v1"

            [presets.pirate]
            system = "Talk like a pirate."
            """ + "\n" + ConfigHome.patientTimeouts)
        let tmux = try Tmux(
            width: 120, height: 40,
            command: Self.command([], home: home.folder, extra: ["OLLAMA_HOST": "127.0.0.1:\(closed.port)"]))
        try await tmux.waitFor("the found server as the default") {
            $0.contains("gemma-3-4b · LM Studio ┐") && $0.contains("Found LM Studio")
        }

        try tmux.press("C-p")
        let picker = try await tmux.waitFor("the model picker with the server's models") {
            $0.contains("Model for new conversations") && $0.contains("qwen2.5-7b-instruct")
        }
        #expect(picker.contains("demo (offline)"))
        #expect(picker.contains("● gemma-3-4b"))
        try tmux.type("qwen")
        try await tmux.waitFor("the list filtered") { !$0.contains("gemma-3-4b  ") && $0.contains("> qwen") }
        try tmux.press("Enter")
        try await tmux.waitFor("the choice in the title") { $0.contains("qwen2.5-7b-instruct · LM Studio ┐") }

        try tmux.press("C-o")
        try await tmux.waitFor("the preset picker") {
            $0.contains("System prompt for new conversations") && $0.contains("pirate  Talk like a pirate.")
        }
        try tmux.press("Down", "Enter")
        try await tmux.waitFor("the preset chosen") { $0.contains("New conversations use the “pirate” system prompt.") }

        try tmux.type("Ahoy")
        try tmux.press("Enter")
        try await tmux.waitFor("the local server's reply") { $0.contains("Arr, ahoy from the local server.") }
        let chat = try #require(lmstudio.requests.first { $0.method == "POST" })
        let body = String(decoding: chat.body, as: UTF8.self)
        #expect(body.contains(#""model":"qwen2.5-7b-instruct""#))
        #expect(body.contains("Talk like a pirate."))

        // With the conversation open, the picker changes it.
        try tmux.press("C-p")
        try await tmux.waitFor("the picker for the conversation") { $0.contains("Model for “Ahoy”") }
        try tmux.type("demo")
        try tmux.press("Enter")
        try await tmux.waitFor("the conversation's new model") {
            $0.contains("demo · demo (offline) · preset pirate · Σ ") && $0.contains(" tok · local ┐")
        }

        try tmux.press("C-q")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
        let store = try ConversationStore.open(at: home.folder + "/parley.sqlite")
        let saved = try #require(try await store.conversations().first?.conversation)
        #expect(saved.provider == "demo")
        #expect(saved.model == "demo")
        #expect(saved.systemPrompt == "Talk like a pirate.")
    }

    /// How much of the screen is drawn on: it grows as a reply streams in.
    static func inked(_ screen: String) -> Int {
        screen.unicodeScalars.count { $0 != " " && $0 != "\n" && !(0x2500...0x257F).contains($0.value) }
    }

    @Test("a paste that holds an end-of-paste marker and a CR sends nothing: it is all text in the editor")
    func pasteWithEndMarker() async throws {
        let home = ParleyProcess.dataFolder()
        let tmux = try Tmux(width: 80, height: 24, command: Self.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try tmux.paste("look here\u{1B}[201~echo owned\rtail")
        let pasted = try await tmux.waitFor("the paste in the editor") { $0.contains("tail") }
        #expect(pasted.contains("│> look here␛[201~echo owned"))
        #expect(!pasted.contains("│ you"), "nothing was sent")
        // Quitting with it unsent says so first; asked again, it quits.
        try tmux.press("C-q")
        try await tmux.waitFor("the warning") { $0.contains("A message is not sent: press Ctrl-Q again") }
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test("TERM=dumb cannot move the cursor: parley refuses with a hint instead of an unusable screen, exit 2")
    func dumbTerminal() async throws {
        let home = ParleyProcess.dataFolder()
        let tmux = try Tmux(
            width: 100, height: 24, command: Self.command(["--provider", "demo"], home: home, extra: ["TERM": "dumb"]))
        let after = try await tmux.waitFor("parley to refuse") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 2"))
        #expect(after.contains("the terminal \"dumb\" cannot move its cursor"))
        #expect(after.contains("parley ask"))
    }

    @Test("NO_COLOR: the app draws no colour, only attributes, code included; without it, the theme's colours")
    func noColour() async throws {
        /// SGR colour parameters: 30–37, 39, 90–97 and 38;5;N as tmux writes them.
        func hasColour(_ screen: String) -> Bool {
            screen.range(of: "\u{1B}\\[[0-9;]*(3[0-8]|9[0-7])[;m]", options: .regularExpression) != nil
        }
        for noColour in [true, false] {
            let home = ParleyProcess.dataFolder()
            let extra = noColour ? ["NO_COLOR": "1"] : [:]
            let tmux = try Tmux(
                width: 100, height: 30, command: Self.command(["--provider", "demo"], home: home, extra: extra))
            try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
            try tmux.type("Hello")
            try tmux.press("Enter")
            try await tmux.waitFor("the whole reply") {
                $0.contains("To talk to a real model") && $0.contains(" · in ~")
            }
            let styled = try tmux.styledScreen()
            #expect(hasColour(styled) == !noColour)
            // The reply's Swift block: `let` in the keyword colour (magenta), its strings in green.
            let keyword =
                styled.range(
                    of: "\u{1B}\\[35m(\u{1B}\\[[0-9;]*m)*let(\u{1B}\\[[0-9;]*m)* reply", options: .regularExpression)
                != nil
            let string =
                styled.range(of: "\u{1B}\\[32m(\u{1B}\\[[0-9;]*m)*\"Hello\"", options: .regularExpression) != nil
            #expect(keyword == !noColour && string == !noColour)
            try tmux.press("C-q")
            try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        }
    }

    @Test("key_command runs when the first reply needs the key, not before the first frame, and once for all replies")
    func keyCommandWhenNeeded() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Keyed reply."])) }
        defer { Task { try await server.shutdown() } }
        let home = ParleyProcess.dataFolder()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let runs = home + "/runs"
        try """
        provider = "openai"
        [providers.openai]
        base_url = "\(server.baseURL)/v1"
        key_command = "echo ran >> '\(runs)'; echo sk-from-command"
        """.write(toFile: home + "/config.toml", atomically: true, encoding: .utf8)
        let tmux = try Tmux(width: 100, height: 30, command: Self.command([], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        #expect(!FileManager.default.fileExists(atPath: runs), "not run at start-up")
        for question in ["First", "Second"] {
            try tmux.type(question)
            try tmux.press("Enter")
            try await tmux.waitFor("the reply to \(question)") {
                $0.components(separatedBy: "Keyed reply.").count > (question == "First" ? 1 : 2)
            }
        }
        #expect(try String(contentsOfFile: runs, encoding: .utf8) == "ran\n", "run once")
        // The replies' requests; the app may also have asked the server for the model's context window.
        let replies = server.requests.filter { $0.target.hasSuffix("/chat/completions") }
        #expect(replies.map { $0.header("Authorization") } == ["Bearer sk-from-command", "Bearer sk-from-command"])
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test("a bracketed paste keeps its lines and sends nothing; Enter then sends all of it")
    func paste() async throws {
        let home = ParleyProcess.dataFolder()
        // Tall enough that the sent message is still in view when the demo's whole reply is in.
        let tmux = try Tmux(width: 80, height: 60, command: Self.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try tmux.paste("first line\nsecond line\nd")
        let pasted = try await tmux.waitFor("the paste in the editor") { $0.contains("│  d ") }
        #expect(pasted.contains("│> first line"))
        #expect(pasted.contains("│  second line"))
        #expect(!pasted.contains("│ you"))
        try tmux.press("Enter")
        try await tmux.waitFor("the message sent whole") { $0.contains("│ you") && $0.contains("│ second line") }
        // The demo's reply may still be streaming: the second press quits all the same.
        try tmux.press("C-q", "C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test("SIGTERM mid-reply: the reply stops and is kept, the terminal is restored")
    func terminated() async throws {
        // The reply waits at the gate, so it is still streaming when the signal comes, however busy the machine.
        let gate = Gate()
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(StreamBodies.openAIChatDelta("Halfway there. ")), .wait(gate)])
        }
        defer {
            gate.open()
            Task { try await server.shutdown() }
        }
        let home = ParleyProcess.dataFolder()
        try ConfigHome.patient(home)
        let tmux = try Tmux(
            width: 100, height: 30,
            command: Self.command(
                ["--provider", "openai", "--base-url", server.baseURL + "/v1"], home: home,
                extra: ["OPENAI_API_KEY": "sk-test-key"]))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try tmux.type("Stop me")
        try tmux.press("Enter")
        try await tmux.waitFor("the reply streaming") { $0.contains("Halfway there.") }
        let app = try #require(try tmux.paneChildren().first)
        kill(app, SIGTERM)
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
        #expect(after.contains("icanon echo"))
        let store = try ConversationStore.open(at: home + "/parley.sqlite")
        let conversation = try #require(try await store.conversations().first)
        let reply = try #require(try await store.transcript(of: conversation.conversation.id).messages.last)
        #expect(reply.status == .cancelled)
        #expect(reply.text == "Halfway there. ")
    }

    @Test(
        "a default provider without its key: the app opens, says what is missing, Ctrl-P picks another; sending with it says so"
    )
    func keylessDefault() async throws {
        let home = ParleyProcess.dataFolder()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try "provider = \"anthropic\"\n".write(toFile: home + "/config.toml", atomically: true, encoding: .utf8)
        let tmux = try Tmux(width: 140, height: 30, command: Self.command([], home: home))
        try await tmux.waitFor("the app open, saying what is missing") {
            $0.contains("┌ Conversations")
                && $0.contains(
                    "Anthropic needs an API key: set ANTHROPIC_API_KEY and restart, or Ctrl-P picks another provider.")
        }
        try tmux.type("Hello")
        try tmux.press("Enter")
        try await tmux.waitFor("the reply's failure") { $0.contains("✗ Anthropic needs an API key") }
        try tmux.press("C-p")
        try await tmux.waitFor("the model picker") { $0.contains("demo (offline)") && $0.contains("Model for") }
        try tmux.press("Escape")
        try tmux.press("C-q")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
    }

    @Test("a saved reply of megabytes opens at its end at once; Home then shows its start, counted with no key pressed")
    func longSavedReply() async throws {
        let home = ParleyProcess.dataFolder()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let store = try ConversationStore.open(at: home + "/parley.sqlite")
        let id = ConversationID("long")
        let now = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        let question = Message(
            id: MessageID("q"), conversationID: id, role: .user, status: .sent, text: "Everything, please",
            createdAt: now)
        let text = (1...12_000).map { "Paragraph \($0): " + String(repeating: "words ", count: 20) }
            .joined(separator: "\n\n")
        let answer = Message(
            id: MessageID("a"), conversationID: id, role: .assistant, status: .complete, text: text, createdAt: now,
            provider: "demo", model: "demo", parentID: question.id)
        try await store.createConversation(
            Conversation(id: id, title: "Long reply", createdAt: now, provider: "demo", model: "demo"),
            messages: [question, answer])
        let tmux = try Tmux(width: 100, height: 30, command: Self.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("Long reply") }
        try tmux.press("Tab")
        try tmux.press("Enter")
        try await tmux.waitFor("the reply's end") { $0.contains("Paragraph 12000: words") }
        try tmux.press("Tab")
        try tmux.press("Home")
        try await tmux.waitFor("its start, once the text above the end is counted") {
            $0.contains("Everything, please") && $0.contains("Paragraph 1: words")
        }
        try tmux.press("C-q")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
    }

    @Test("not a terminal: parley refuses with a hint to use parley ask, exit 2")
    func notATerminal() async throws {
        let result = try await ParleyProcess.run([])
        #expect(result.status == 2)
        #expect(result.stderr.contains("parley ask"))
    }
}
