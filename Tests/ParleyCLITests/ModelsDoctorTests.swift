import Foundation
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("parley models")
struct ModelsCommandTests {
    @Test("the demo lists demo")
    func demo() async throws {
        let result = try await ParleyProcess.run(["models"])
        #expect(result.status == 0)
        #expect(result.stdout == "demo\n")
    }

    @Test("--provider P lists the models a local OpenAI-compatible server offers, one per line, sorted")
    func local() async throws {
        let server = try await TestServer.start { _ in .whole(#"{"data":[{"id":"qwen3-8b"},{"id":"llama-3.2-3b"}]}"#) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome("[providers.llamacpp]\nbase_url = \"\(server.baseURL)/v1\"\n")
        let result = try await ParleyProcess.run(["models", "--provider", "llamacpp"], environment: home.environment())
        #expect(result.status == 0)
        #expect(result.stdout == "llama-3.2-3b\nqwen3-8b\n")
        #expect(server.requests.first?.target == "/v1/models")
    }

    @Test("the config's default provider, with --base-url for the address")
    func defaultProvider() async throws {
        let server = try await TestServer.start { _ in .whole(#"{"models":[{"name":"llama3.2:latest"}]}"#) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome("provider = \"ollama\"\n")
        let result = try await ParleyProcess.run(
            ["models", "--provider", "ollama", "--base-url", server.baseURL], environment: home.environment())
        #expect(result.stdout == "llama3.2:latest\n")
        let fromDefault = try await ParleyProcess.run(
            ["models"], environment: home.environment(["OLLAMA_HOST": server.baseURL]))
        #expect(fromDefault.stdout == "llama3.2:latest\n")
        #expect(server.requests.map(\.target) == ["/api/tags", "/api/tags"])
    }

    @Test("401 names the key variable; exit 1")
    func unauthorized() async throws {
        let server = try await TestServer.start { _ in
            .whole(
                #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#, status: 401)
        }
        defer { Task { try await server.shutdown() } }
        let result = try await ParleyProcess.run(
            ["models", "--provider", "anthropic", "--base-url", server.baseURL],
            environment: ["ANTHROPIC_API_KEY": "sk-ant-wrong"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: 401 from Anthropic: invalid x-api-key. Check ANTHROPIC_API_KEY.\n")
        #expect(result.stdout.isEmpty)
    }

    @Test("a hosted provider without its key: exit 1 naming the variable; an unknown one: exit 2")
    func mistakes() async throws {
        let missing = try await ParleyProcess.run(["models", "--provider", "groq"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Groq needs an API key: set GROQ_API_KEY"))
        let unknown = try await ParleyProcess.run(["models", "--provider", "opneai"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown provider \"opneai\""))
    }

    @Test("nothing listening: a network error naming host and port; exit 1")
    func refused() async throws {
        let result = try await ParleyProcess.run([
            "models", "--provider", "vllm", "--base-url", "http://127.0.0.1:1/v1",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("could not connect to 127.0.0.1:1"))
    }
}

@Suite("parley doctor")
struct DoctorTests {
    /// The lines that start with `status` and mention `text`.
    func lines(_ result: ParleyProcess.Result, _ status: String, _ text: String) -> [Substring] {
        result.stdout.split(separator: "\n").filter { $0.hasPrefix(status + " ") && $0.contains(text) }
    }

    @Test("nothing configured: the defaults, nothing required missing, exit 0")
    func newUser() async throws {
        let result = try await ParleyProcess.run(["doctor"])
        #expect(result.status == 0)
        #expect(lines(result, "--", "does not exist: the defaults apply").count == 1)
        #expect(lines(result, "--", "OPENAI_API_KEY is missing").count == 1)
        #expect(lines(result, "ok", "is writable").count == 1)
        #expect(lines(result, "ok", "UTF-8 (LANG=C.UTF-8)").count == 1)
        #expect(!result.stdout.contains("FAIL"))
        #expect(result.stdout.hasSuffix("All required checks passed.\n"))
    }

    @Test("all ok: the file is valid, the key is set (never printed), the provider answers with its status")
    func allOK() async throws {
        let server = try await TestServer.start { _ in .whole(#"{"data":[{"id":"gpt-4o"},{"id":"o3"}]}"#) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome("provider = \"openai\"\n[providers.openai]\nbase_url = \"\(server.baseURL)/v1\"\n")
        // A server that answers is waited for as long as doctor allows: a busy machine is no failure.
        let result = try await ParleyProcess.run(
            ["doctor", "--timeout", "60"],
            environment: home.environment(["OPENAI_API_KEY": "sk-doctor-secret", "TERM": "xterm"]))
        #expect(result.status == 0)
        #expect(lines(result, "ok", "\(home.configPath) is valid").count == 1)
        #expect(lines(result, "ok", "OPENAI_API_KEY is set").count == 1)
        #expect(lines(result, "ok", "openai: \(server.baseURL)/v1 answered 200 (2 models)").count == 1)
        #expect(lines(result, "ok", "TERM=xterm").count == 1 || lines(result, "--", "TERM=xterm").count == 1)
        #expect(!result.stdout.contains("sk-doctor-secret"))
        #expect(server.requests.first?.header("Authorization") == "Bearer sk-doctor-secret")
    }

    @Test("a configured provider's key is missing: FAIL naming the variable, exit 1")
    func missingKey() async throws {
        let home = try ConfigHome("provider = \"anthropic\"\n")
        let result = try await ParleyProcess.run(["doctor"], environment: home.environment())
        #expect(result.status == 1)
        #expect(lines(result, "FAIL", "ANTHROPIC_API_KEY is missing (anthropic is configured and needs it)").count == 1)
        #expect(result.stdout.contains("required check"))
    }

    @Test("a configured provider that does not answer: FAIL with the error, exit 1")
    func unreachable() async throws {
        let home = try ConfigHome("[providers.openai]\nbase_url = \"http://127.0.0.1:1/v1\"\n")
        let result = try await ParleyProcess.run(["doctor"], environment: home.environment(["OPENAI_API_KEY": "k"]))
        #expect(result.status == 1)
        #expect(lines(result, "FAIL", "openai: http://127.0.0.1:1/v1: could not connect to 127.0.0.1:1").count == 1)
    }

    @Test("a configured provider that refuses the key: FAIL with the HTTP status")
    func refusedKey() async throws {
        let server = try await TestServer.start { _ in .whole(#"{"error":{"message":"Bad key"}}"#, status: 401) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome("[providers.groq]\nbase_url = \"\(server.baseURL)/openai/v1\"\n")
        let result = try await ParleyProcess.run(
            ["doctor", "--timeout", "60"], environment: home.environment(["GROQ_API_KEY": "k"]))
        #expect(result.status == 1)
        #expect(lines(result, "FAIL", "401 from Groq: Bad key. Check GROQ_API_KEY.").count == 1)
    }

    @Test("a local server that is not running is noted, not failed; one that runs is ok")
    func localServers() async throws {
        let server = try await TestServer.start { _ in .whole(#"{"data":[{"id":"qwen3"}]}"#) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(
            "[providers.llamacpp]\nbase_url = \"\(server.baseURL)/v1\"\n[providers.vllm]\nbase_url = \"http://127.0.0.1:1/v1\"\n"
        )
        let result = try await ParleyProcess.run(["doctor", "--timeout", "60"], environment: home.environment())
        #expect(result.status == 0)
        #expect(lines(result, "ok", "llamacpp: \(server.baseURL)/v1 answered 200 (1 model)").count == 1)
        #expect(lines(result, "--", "vllm: not running (http://127.0.0.1:1/v1)").count == 1)
    }

    @Test("a local server that accepts but never answers is told apart from one that is not running")
    func silentServer() async throws {
        let server = try await TestServer.start { _ in ScriptedResponse(body: [.stall]) }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(
            "[providers.llamacpp]\nbase_url = \"\(server.baseURL)/v1\"\n[providers.vllm]\nbase_url = \"http://127.0.0.1:1/v1\"\n"
        )
        let result = try await ParleyProcess.run(["doctor", "--timeout", "1"], environment: home.environment())
        #expect(result.status == 0)
        #expect(lines(result, "--", "llamacpp: running but did not answer: 127.0.0.1").count == 1)
        #expect(lines(result, "--", "vllm: not running (http://127.0.0.1:1/v1)").count == 1)
    }

    @Test("a damaged database is a FAIL, and doctor does not write to it")
    func damagedDatabase() async throws {
        let home = try ConfigHome()
        #expect(
            try await ParleyProcess.run(["ask", "--provider", "demo", "hi"], environment: home.environment()).status
                == 0)
        let path = home.folder + "/parley.sqlite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for index in 4096..<min(bytes.count, 8192) { bytes[index] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: path))
        let result = try await ParleyProcess.run(["doctor"], environment: home.environment())
        #expect(result.status == 1)
        #expect(lines(result, "FAIL", "damaged").count == 1, "\(result.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test("a broken config file: FAIL with its line and column, exit 2")
    func brokenConfig() async throws {
        let home = try ConfigHome("[timeouts]\nconnect = \"ten\"\n")
        let result = try await ParleyProcess.run(["doctor"], environment: home.environment())
        #expect(result.status == 2)
        #expect(
            lines(
                result, "FAIL",
                "\(home.configPath):2:1: 'connect' in [timeouts] must be a number of seconds, not a string"
            )
            .count == 1)
        #expect(lines(result, "ok", "is writable").count == 1, "the checks that need no config still run")
        #expect(result.stdout.hasSuffix("The config file is broken: fix it with `parley config edit`.\n"))
    }
}

@Suite("parley --help and each subcommand's help")
struct HelpTests {
    @Test(
        "each help names what the README says about it",
        arguments: [
            (
                [String](),
                ["ask", "list", "show", "export", "search", "rm", "models", "doctor", "config", "Exit codes"]
            ),
            (
                ["ask"],
                [
                    "--provider", "--model", "--base-url", "--system", "--preset", "--max-tokens", "--temperature",
                    "--thinking", "--events", "--json", "--conversation", "--no-save", "Exit codes",
                ]
            ),
            (["models"], ["--provider", "--base-url", "/v1/models", "/api/tags", "Exit codes"]),
            (["doctor"], ["--timeout", "not running", "Exit codes"]),
            (["config"], ["path", "show", "edit", "PARLEY_HOME"]),
            (["config", "path"], ["whether it exists"]),
            (["config", "show"], ["masked"]),
            (["config", "edit"], ["$EDITOR", "$VISUAL", "example"]),
        ])
    func help(command: [String], mentions: [String]) async throws {
        let result = try await ParleyProcess.run(command + ["--help"])
        #expect(result.status == 0)
        for text in mentions { #expect(result.stdout.contains(text), "\(command): \(text)") }
    }
}
