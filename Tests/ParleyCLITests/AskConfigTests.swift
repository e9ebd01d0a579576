import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("parley ask with a config file")
struct AskConfigTests {
    /// A config whose default provider is OpenAI-compatible at `server`, with its key from a command.
    static func config(_ server: TestServer, _ extra: String = "") -> String {
        """
        provider = "openai"
        model = "from-config"

        [providers.openai]
        base_url = "\(server.baseURL)/v1"
        key_command = "echo sk-from-command"
        headers = { "X-Title" = "Parley" }

        [presets.pirate]
        system = "Talk like a pirate."
        \(extra)
        """
    }

    @Test("the default provider, model, base URL, key command and extra headers all come from the file")
    func everythingFromConfig() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Ahoy"])) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(Self.config(server))

        let result = try await ParleyProcess.run(["ask", "--no-save", "hi"], environment: home.environment())

        #expect(result.status == 0)
        #expect(result.stdout == "Ahoy\n")
        #expect(result.stderr.contains("[from-config · OpenAI |"))
        let request = try #require(server.requests.first)
        #expect(request.target == "/v1/chat/completions")
        #expect(request.header("Authorization") == "Bearer sk-from-command")
        #expect(request.header("X-Title") == "Parley")
        #expect(try JSON.parse(request.body)["model"]?.string == "from-config")
    }

    @Test("flags beat the environment, which beats the file")
    func precedence() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["ok"])) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(
            """
            provider = "openai"
            [providers.openai]
            base_url = "http://127.0.0.1:1/v1"
            model = "section-model"
            key_command = "exit 1"
            """)

        // The variable's base URL beats the file's; the variable's key means the command never runs.
        let result = try await ParleyProcess.run(
            ["ask", "--no-save", "--model", "flag-model", "hi"],
            environment: home.environment(["OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "sk-env"]))

        #expect(result.status == 0)
        let request = try #require(server.requests.first)
        #expect(request.header("Authorization") == "Bearer sk-env")
        #expect(try JSON.parse(request.body)["model"]?.string == "flag-model")
    }

    @Test("a provider of one's own: --provider NAME reaches its address with its key, and its server's model")
    func ownProvider() async throws {
        let server = try await TestServer.start { request in
            request.target == "/v1/models"
                ? .whole(#"{"data":[{"id":"house-model-7b"}]}"#) : .replay(StreamBodies.openAIChat(["Hello from work"]))
        }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(
            """
            [providers.work]
            kind = "openai"
            base_url = "\(server.baseURL)/v1"
            key_env = "WORK_LLM_KEY"
            """)

        let result = try await ParleyProcess.run(
            ["ask", "--no-save", "--provider", "work", "hi"],
            environment: home.environment(["WORK_LLM_KEY": "wk-123", "OPENAI_API_KEY": "sk-not-this"]))

        #expect(result.status == 0)
        #expect(result.stdout == "Hello from work\n")
        #expect(result.stderr.contains("[house-model-7b · work |"))
        let chat = try #require(server.requests.first { $0.target == "/v1/chat/completions" })
        #expect(chat.header("Authorization") == "Bearer wk-123")
        #expect(try JSON.parse(chat.body)["model"]?.string == "house-model-7b")

        // Its key unset: refused before any request, naming the variable.
        let keyless = try await ParleyProcess.run(
            ["ask", "--no-save", "--provider", "work", "hi"], environment: home.environment())
        #expect(keyless.status == 1)
        #expect(keyless.stderr.contains("error: work needs an API key: set WORK_LLM_KEY"))
        // A mistyped name is answered with the nearest one, the user's own included.
        let typo = try await ParleyProcess.run(
            ["ask", "--no-save", "--provider", "wrok", "hi"], environment: home.environment())
        #expect(typo.stderr.contains("Did you mean \"work\"?"))
    }

    @Test("--preset NAME sends that preset's system prompt")
    func preset() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Arr"])) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(Self.config(server))

        let result = try await ParleyProcess.run(
            ["ask", "--no-save", "--preset", "pirate", "hi"], environment: home.environment())

        #expect(result.status == 0)
        let body = try JSON.parse(try #require(server.requests.first).body)
        #expect(body["messages"]?[0] == ["role": "system", "content": "Talk like a pirate."])
    }

    @Test("an unknown preset is a usage error naming the nearest one; --system with --preset too")
    func presetMistakes() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["x"])) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(Self.config(server))

        let typo = try await ParleyProcess.run(["ask", "--preset", "pirat", "hi"], environment: home.environment())
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("no preset 'pirat' in the config file (did you mean 'pirate'?)"))

        let both = try await ParleyProcess.run(
            ["ask", "--preset", "pirate", "--system", "x", "hi"], environment: home.environment())
        #expect(both.status == 2)
        #expect(both.stderr.contains("give --system or --preset, not both"))
        #expect(server.requests.isEmpty)
    }

    @Test("a table header without a name ([.providers]) is a located error, exit 2 — not a crash of the TOML parser")
    func headerWithoutName() async throws {
        let home = try ConfigHome("[.providers.openai]\nmodel = \"x\"\n")
        let result = try await ParleyProcess.run(["ask", "--provider", "demo", "hi"], environment: home.environment())
        #expect(result.status == 2)
        #expect(result.stderr.contains("config.toml:1:2: not valid TOML: a table header must begin with a name"))
    }

    @Test("a key command that fails is named, and nothing is sent; exit 1")
    func keyCommandFails() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["x"])) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(
            """
            provider = "mistral"
            [providers.mistral]
            key_command = "echo 'mistral: not in the password store' >&2; exit 1"
            """)

        let result = try await ParleyProcess.run(["ask", "hi"], environment: home.environment())

        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "the key command `echo 'mistral: not in the password store' >&2; exit 1` exited with status 1: "
                    + "mistral: not in the password store"))
        #expect(server.requests.isEmpty)
    }

    @Test("a key command that hangs is stopped at [timeouts] key_command, with what it started; exit 1, nothing sent")
    func keyCommandTimesOut() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["x"])) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome()
        try home.write(
            """
            provider = "openai"
            [providers.openai]
            base_url = "\(server.baseURL)/v1"
            key_command = "sleep 1000 & echo $! > '\(home.folder)/child'; wait"
            [timeouts]
            key_command = 1
            """)

        let result = try await ParleyProcess.run(["ask", "hi"], environment: home.environment())

        #expect(result.status == 1)
        #expect(result.stderr.contains("did not finish within 1 s; it was stopped"))
        #expect(server.requests.isEmpty)
        let child = try #require(
            pid_t(
                try String(contentsOfFile: home.folder + "/child", encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)))
        #expect(await Processes.ends(child))
    }

    @Test("Ctrl-C while the key command runs stops it and what it started; exit 130, nothing sent")
    func keyCommandInterrupted() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["x"])) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome()
        let childFile = home.folder + "/child"
        // The command's time limit is set far off: with the default 30 s, a suite that starved this
        // test of turns for longer (the whole suite starting its processes at once on two cores)
        // saw the limit stop the command before the Ctrl-C came (exit 1, not 130).
        try home.write(
            """
            provider = "openai"
            [providers.openai]
            base_url = "\(server.baseURL)/v1"
            key_command = "sleep 1000 & echo $! > '\(childFile)'; wait"
            [timeouts]
            key_command = 600
            """)

        let ask = try ParleyProcess(["ask", "hi"], environment: home.environment())
        let child = await Processes.written(to: childFile)
        ask.interrupt()
        let result = await ask.result()

        #expect(result.status == 130)
        #expect(result.stderr.contains("was stopped"))
        #expect(server.requests.isEmpty)
        #expect(await Processes.ends(try #require(child)))
    }

    @Test("a 401 for a key from a command names the command to check")
    func unauthorizedFromCommand() async throws {
        let server = try await TestServer.start { _ in .whole(#"{"error":{"message":"Invalid key"}}"#, status: 401) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(Self.config(server))
        let result = try await ParleyProcess.run(["ask", "--no-save", "hi"], environment: home.environment())
        #expect(result.status == 1)
        // The command holds the key itself here, and a key is never shown, so it is taken out.
        #expect(result.stderr.contains("401 from OpenAI: Invalid key. Check key_command `echo [redacted]`."))
    }

    /// What arrived before the limit is kept: `StreamingServiceTests.timeLimit` tells that with a
    /// test clock. Here, only that the file's limit reaches the reply: a race between the limit and
    /// the reply's first text is the machine's to decide (8 s was once not enough, with the suite
    /// starting its hundred processes at once).
    @Test("[timeouts] total applies: a reply that goes on too long is stopped at the file's limit")
    func total() async throws {
        let server = try await TestServer.start { _ in
            ScriptedResponse(headers: [HTTPHeader("Content-Type", "text/event-stream")], body: [.stall])
        }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(Self.config(server, "[timeouts]\ntotal = 0.3\n"))
        let result = try await ParleyProcess.run(
            ["ask", "--no-save", "--events", "hi"], environment: home.environment())
        #expect(result.status == 1)
        let error = try #require(result.eventLines.first { $0["type"] as? String == "error" })
        #expect(error["kind"] as? String == "timeout")
        #expect(error["message"] as? String == "the reply took longer than its limit of 0.3 seconds")
    }

    @Test("[timeouts] first_byte applies: a server that never answers is given up on in time")
    func timeouts() async throws {
        let server = try await TestServer.start { _ in ScriptedResponse(body: [.stall]) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(Self.config(server, "[timeouts]\nfirst_byte = 0.3\n"))
        let result = try await ParleyProcess.run(
            ["ask", "--no-save", "--events", "hi"], environment: home.environment())
        #expect(result.status == 1)
        let error = try #require(result.eventLines.first { $0["type"] as? String == "error" })
        #expect(error["kind"] as? String == "timeout")
        // The file's limit, not the default 30 s (how long it took is the machine's business).
        #expect((error["message"] as? String)?.hasSuffix("within 300 ms") == true)
    }
}

@Suite("parley ask --json")
struct AskJSONTests {
    func ask(_ server: TestServer, _ extra: [String] = []) async throws -> ParleyProcess.Result {
        try await ParleyProcess.run(
            ["ask", "--no-save", "--json", "--provider", "openai", "--base-url", server.baseURL + "/v1"] + extra
                + ["List three colours"],
            environment: ["OPENAI_API_KEY": "k"])
    }

    @Test("a reply that is JSON streams as it comes and passes the check; the request asks for JSON")
    func valid() async throws {
        let server = try await TestServer.start { _ in
            .replay(StreamBodies.openAIChat(["{\"colours\": [\"red\",", " \"green\", \"blue\"]}"]))
        }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server)
        #expect(result.status == 0)
        #expect(result.stdout == "{\"colours\": [\"red\", \"green\", \"blue\"]}\n")
        let body = try JSON.parse(try #require(server.requests.first).body)
        #expect(body["response_format"] == ["type": "json_object"])
        #expect(body["messages"]?[0]?["content"]?.string == ChatRequest.jsonInstruction)
    }

    @Test("a reply that is not JSON is shown, then a clear error; exit 1")
    func invalid() async throws {
        let server = try await TestServer.start { _ in
            .replay(StreamBodies.openAIChat(["Sure! Here are", " three colours."]))
        }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server)
        #expect(result.status == 1)
        #expect(result.stdout == "Sure! Here are three colours.\n")
        #expect(result.stderr.contains("error: the reply is not valid JSON"))
        #expect(result.stderr.contains(#""Sure! Here are three colours.""#))
    }

    @Test("with --events the events stay as they are and the check still decides the exit code")
    func events() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["not json"])) }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server, ["--events"])
        #expect(result.status == 1)
        #expect(result.eventTypes.suffix(2) == ["stop", "metrics"])
        #expect(result.stderr.contains("the reply is not valid JSON"))
    }

    @Test(
        "each provider's request carries its JSON switch",
        arguments: [
            ("anthropic", "", "ANTHROPIC_API_KEY", "system", ChatRequest.jsonInstruction),
            ("gemini", "", "GEMINI_API_KEY", "generationConfig.responseMimeType", "application/json"),
            ("ollama", "", "", "format", "json"),
            ("openai-responses", "/v1", "OPENAI_API_KEY", "text.format.type", "json_object"),
        ])
    func switches(provider: String, basePath: String, keyVariable: String, field: String, value: String) async throws {
        let server = try await TestServer.start { _ in .whole(#"{"error":{"message":"stop here"}}"#, status: 400) }
        defer { Task { try await server.shutdown() } }
        _ = try await ParleyProcess.run(
            ["ask", "--no-save", "--json", "--provider", provider, "--base-url", server.baseURL + basePath, "hi"],
            environment: keyVariable.isEmpty ? [:] : [keyVariable: "k"])
        // (Ollama is first asked what the model can do: /api/show, not the reply.)
        let reply = try #require(server.requests.first { $0.target != "/api/show" })
        var node: JSON? = try JSON.parse(reply.body)
        for part in field.split(separator: ".") { node = node?[String(part)] }
        #expect(node?.string == value)
    }

    @Test(
        "a server that never stops is stopped at [streaming] max_reply_mb: what came is printed, the reason said, exit 1"
    )
    func replySizeLimit() async throws {
        // 3 MB of text, then the stream neither ends nor errs: without a limit this would run on.
        let piece = String(repeating: "flood ", count: 170) + "\n"
        let body = (0..<3000).flatMap { _ in StreamBodies.openAIChatDelta(piece) }
        let server = try await TestServer.start { _ in
            ScriptedResponse(headers: [HTTPHeader("Content-Type", "text/event-stream")], body: [.bytes(body), .stall])
        }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(AskConfigTests.config(server, "[streaming]\nmax_reply_mb = 1"))

        let result = try await ParleyProcess.run(["ask", "--no-save", "--raw", "hi"], environment: home.environment())

        #expect(result.status == 1)
        #expect(result.stderr.contains("the reply passed its limit of 1 MB of text and was stopped there"))
        let printed = result.stdout.utf8.count
        #expect(printed > 1 << 20 && printed < 2 << 20, "\(printed) bytes printed")
        #expect(result.stdout.hasPrefix("flood flood"))
    }
}
