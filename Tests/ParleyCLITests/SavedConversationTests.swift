import Foundation
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyTestSupport
import Testing

@Suite("Conversations are saved and can be listed, shown, exported, searched, continued and deleted")
struct SavedConversationTests {
    let home = ParleyProcess.dataFolder()

    func parley(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> ParleyProcess.Result {
        try await ParleyProcess.run(arguments, environment: ["PARLEY_HOME": home].merging(environment) { $1 })
    }

    @Test("a reply from parley ask is saved, titled by the question, and shows up everywhere")
    func askIsSaved() async throws {
        let asked = try await parley(["ask", "  Why is the sky blue?\nexplain briefly"])
        #expect(asked.status == 0)
        let listed = try await parley(["list"])
        let line = try #require(listed.stdout.split(separator: "\n").first.map(String.init))
        let id = try #require(line.split(separator: " ").first.map(String.init))
        #expect(asked.stderr.contains("saved \(id)]"))
        #expect(line.hasSuffix("Why is the sky blue?"))
        #expect(line.contains("2 msgs"))

        let shown = try await parley(["show", String(id.prefix(4))])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("you\n  Why is the sky blue?\nexplain briefly\n"))
        #expect(shown.stdout.contains("This is **Parley's demo provider**"))

        let markdown = try await parley(["export", id, "--format", "md"])
        #expect(markdown.stdout.hasPrefix("# Why is the sky blue?\n"))
        #expect(markdown.stdout.contains("<details><summary>Thinking</summary>"))

        let json = try await parley(["export", id, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let messages = try #require(object["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant"])
        #expect(messages.map { $0["status"] as? String } == ["sent", "complete"])
        #expect((messages[1]["usage"] as? [String: Any])?["estimated"] as? Bool == true)

        let found = try await parley(["search", "sky"])
        #expect(found.stdout.contains(id))
        #expect(found.stdout.contains("[sky]"))

        let mark = home + "/parley.sqlite-checked"
        let markedByAsk = try String(contentsOfFile: mark, encoding: .utf8)
        let removed = try await parley(["rm", id])
        #expect(removed.status == 0)
        #expect(removed.stderr.contains("Deleted “Why is the sky blue?”"))
        #expect(
            try String(contentsOfFile: mark, encoding: .utf8) != markedByAsk,
            "rm leaves the mark of the files as it left them, so the next Parley need not check every page")
        #expect(try await parley(["list"]).stdout.isEmpty)
    }

    @Test("show includes the system prompt and the reply's tool calls; list marks a reply the user stopped")
    func showAndListSayAll() async throws {
        let bytes = try Fixtures.stream("openai-chat/gpt-4o-parallel-tool-calls-include-usage.sse")
        let server = try await TestServer.start { _ in .replay(bytes) }
        defer { Task { try await server.shutdown() } }
        let asked = try await parley(
            [
                "ask", "--provider", "openai", "--base-url", server.baseURL + "/v1", "--system", "Use the tools.",
                "Weather?",
            ],
            ["OPENAI_API_KEY": "sk-test"])
        #expect(asked.status == 0)
        let id = try #require(try await parley(["list"]).stdout.split(separator: " ").first.map(String.init))
        let shown = try await parley(["show", id])
        #expect(shown.stdout.contains("system prompt:\n  │ Use the tools.\n"))
        #expect(shown.stdout.contains("[tool call plus("))

        let store = try ConversationStore.open(at: home + "/parley.sqlite")
        let stopped = Conversation(
            id: ConversationID("stopped1"), title: "Stopped one", createdAt: Timestamp(millisecondsSince1970: 1_000),
            provider: "demo", model: "demo")
        try await store.createConversation(
            stopped,
            messages: [
                Message(
                    id: MessageID("s-u"), conversationID: stopped.id, role: .user, status: .sent, text: "Go",
                    createdAt: Timestamp(millisecondsSince1970: 1_000)),
                Message(
                    id: MessageID("s-r"), conversationID: stopped.id, role: .assistant, status: .cancelled, text: "Par",
                    createdAt: Timestamp(millisecondsSince1970: 2_000)),
            ])
        let listed = try await parley(["list"])
        #expect(
            listed.stdout.split(separator: "\n").contains { $0.contains("cancelled") && $0.hasSuffix("Stopped one") })
    }

    @Test("show and export print the current path; export --tree adds every branch; search finds a branch's text")
    func branches() async throws {
        let store = try ConversationStore.open(at: home + "/parley.sqlite")
        let id = ConversationID("tree1")
        func message(_ name: String, _ role: ChatMessage.Role, _ text: String, at time: Int64, after parent: String?)
            -> Message
        {
            Message(
                id: MessageID(name), conversationID: id, role: role, status: role == .user ? .sent : .complete,
                text: text, createdAt: Timestamp(millisecondsSince1970: time), parentID: parent.map(MessageID.init))
        }
        try await store.createConversation(
            Conversation(
                id: id, title: "Tree", createdAt: Timestamp(millisecondsSince1970: 1_000), provider: "demo",
                model: "demo"),
            messages: [
                message("q", .user, "Which animal?", at: 1_000, after: nil),
                message("old", .assistant, "The walrus.", at: 2_000, after: "q"),
                message("new", .assistant, "The penguin.", at: 3_000, after: "q"),
            ])

        let shown = try await parley(["show", "tree1"])
        #expect(shown.stdout.contains("The penguin."))
        #expect(!shown.stdout.contains("walrus"))
        let markdown = try await parley(["export", "tree1"])
        #expect(!markdown.stdout.contains("walrus"))

        let json = try JSON.parse(try await parley(["export", "tree1", "--format", "json", "--tree"]).stdout)
        #expect(json["messages"]?.array?.compactMap { $0["id"]?.string } == ["q", "new"])
        #expect(json["tree"]?.array?.compactMap { $0["id"]?.string } == ["q", "old", "new"])
        #expect(json["tree"]?.array?.compactMap { $0["parent_id"]?.string } == ["q", "q"])
        let plain = try JSON.parse(try await parley(["export", "tree1", "--format", "json"]).stdout)
        #expect(plain["tree"] == nil)
        #expect(try await parley(["export", "tree1", "--tree"]).status == 2)

        let found = try await parley(["search", "walrus"])
        #expect(found.stdout.contains("tree1"))
        #expect(found.stdout.contains("[walrus]"))
    }

    @Test("--no-save leaves nothing behind")
    func noSave() async throws {
        #expect(try await parley(["ask", "--no-save", "secret"]).status == 0)
        let listed = try await parley(["list"])
        #expect(listed.stdout.isEmpty)
        #expect(listed.stderr.contains("No conversations yet"))
    }

    @Test("--conversation continues a saved one: its earlier turn is sent as context, with its provider")
    func continuing() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Blue light ", "scatters."])) }
        defer { Task { try await server.shutdown() } }
        let local = ["--provider", "llamacpp", "--base-url", server.baseURL + "/v1"]
        #expect(try await parley(["ask"] + local + ["Why is the sky blue?"]).status == 0)
        let id = try #require(try await parley(["list"]).stdout.split(separator: " ").first.map(String.init))

        let second = try await parley([
            "ask", "--conversation", id, "--base-url", server.baseURL + "/v1", "And sunsets?",
        ])
        #expect(second.status == 0)
        let body = try JSON.parse(try #require(server.requests.last).body)
        let sent = body["messages"]?.array?.compactMap { $0["content"]?.string }
        #expect(sent == ["Why is the sky blue?", "Blue light scatters.", "And sunsets?"])
        #expect(try await parley(["list"]).stdout.contains("4 msgs"))
    }

    @Test("unknown and ambiguous ids are usage errors that say what was not found")
    func unknownIDs() async throws {
        for command in [
            ["show", "nope"], ["export", "nope"], ["rm", "nope"], ["ask", "--conversation", "nope", "x"],
        ] {
            let result = try await parley(command)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("\"nope\""), "\(command)")
        }
        #expect(try await parley(["ask", "one"]).status == 0)
        #expect(try await parley(["ask", "two"]).status == 0)
        let ambiguous = try await parley(["show", ""])
        #expect(ambiguous.status == 2)
    }

    @Test("a damaged database is reported and never overwritten; ask still answers, unsaved")
    func damagedDatabase() async throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let file = URL(fileURLWithPath: home).appendingPathComponent("parley.sqlite")
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: file)

        let listed = try await parley(["list"])
        #expect(listed.status == 1)
        #expect(listed.stderr.contains("left untouched"))

        let asked = try await parley(["ask", "still there?"])
        #expect(asked.status == 0)
        #expect(asked.stdout.contains("Parley's demo provider"))
        #expect(asked.stderr.contains("warning: this conversation will not be saved"))
        #expect(try Data(contentsOf: file) == garbage)
    }
}

@Suite("Killed mid-reply")
struct KilledMidReplyTests {
    @Test("after kill -9 while a reply streams, the next start shows it up to the last checkpoint, interrupted")
    func killNine() async throws {
        // The stalled reply must not reach its idle limit before the kill, however long a busy
        // machine keeps this test from its next turn.
        let home = try ConfigHome("[timeouts]\nidle = 600\n").folder
        // A reply that trickles for a long time: a word every 50 ms, then nothing more.
        let words = (1...200).map { "word\($0) " }
        let steps: [ScriptedResponse.Step] = words.flatMap {
            [.bytes(StreamBodies.openAIChatDelta($0)), .pause(.milliseconds(50))]
        }
        let server = try await TestServer.start { _ in
            ScriptedResponse(headers: [HTTPHeader("Content-Type", "text/event-stream")], body: steps + [.stall])
        }
        defer { Task { try await server.shutdown() } }
        let process = try ParleyProcess(
            ["ask", "--provider", "llamacpp", "--base-url", server.baseURL + "/v1", "Count slowly"],
            environment: ["PARLEY_HOME": home])

        // Wait until a checkpoint of the streaming reply is on disk, then kill without warning.
        let path = home + "/parley.sqlite"
        let deadline = ContinuousClock.now + .seconds(600)  // only a fail-safe: a busy machine is slow
        var checkpointed = ""
        while checkpointed.isEmpty, ContinuousClock.now < deadline {
            checkpointed = (try? await Self.reply(at: path))?.text ?? ""
            if checkpointed.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(!checkpointed.isEmpty, "a checkpoint reached the disk")
        let meanwhile = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        #expect(meanwhile.stdout.contains("streaming"), "a reply still streaming elsewhere is not interrupted")
        process.kill()
        let killed = await process.result()
        #expect(killed.status == 9 || killed.status == 137 || killed.status == SIGKILL)

        let reply = try #require(try await Self.reply(at: path))
        #expect(reply.status == .interrupted)
        #expect(!reply.text.isEmpty)
        #expect(killed.stdout.hasPrefix(reply.text), "what was saved is what the user saw, up to the checkpoint")

        let listed = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        #expect(listed.stdout.contains("interrupted"))
    }

    /// The only reply in the database at `path`, read as the next start of Parley reads it.
    static func reply(at path: String) async throws -> Message? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let store = try ConversationStore.open(at: path)
        guard let summary = try await store.conversations().first else { return nil }
        return try await store.transcript(of: summary.conversation.id).messages.last { $0.role == .assistant }
    }
}

@Suite("PARLEY_TRACE")
struct TraceTests {
    @Test("a trace of the session's start, its batches and its end, with sizes and times but no text or key")
    func trace() async throws {
        let file = URL(fileURLWithPath: ScratchFolders.path("trace") + ".jsonl")
        let server = try await TestServer.start { _ in
            .replay(StreamBodies.openAIChat(["Secret ", "answer ", "text"]), pause: .milliseconds(30))
        }
        defer { Task { try await server.shutdown() } }
        let result = try await ParleyProcess.run(
            ["ask", "--provider", "openai", "--base-url", server.baseURL + "/v1", "Secret question"],
            environment: ["PARLEY_TRACE": file.path, "OPENAI_API_KEY": "sk-secret-key"])
        #expect(result.status == 0)

        let trace = try String(contentsOf: file, encoding: .utf8)
        let types = trace.split(separator: "\n").compactMap { try? JSON.parse(String($0))["type"]?.string }
        #expect(types.first == "session_start")
        #expect(types.last == "session_end")
        #expect(types.contains("batch"))
        for secret in ["Secret", "answer", "sk-secret-key"] { #expect(!trace.contains(secret)) }
    }
}
