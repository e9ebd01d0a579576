import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// `parley ask --tools`: the model calls a tool of a configured MCP server, Parley runs it (with
/// consent) and sends the result back, and the model answers in a second round.
@Suite("parley ask with tools: rounds, consent and results sent back", .timeLimit(.minutes(10)))
struct AskToolsTests {
    /// A model at a local server: it calls `tool` with `arguments` until a request carries a tool
    /// result, then answers with what the tool said (the result's text, quoted).
    static func model(calling tool: String, _ arguments: String, always: Bool = false) async throws -> TestServer {
        try await TestServer.start { request in
            let body = (try? JSON.parse(request.body)) ?? .null
            let messages = body["messages"]?.array ?? []
            guard !always, let result = messages.last, result["role"]?.string == "tool" else {
                return .replay(StreamBodies.openAIChatToolCall(id: "call_1", name: tool, arguments: arguments))
            }
            return .replay(StreamBodies.openAIChat(["The tool said: ", result["content"]?.string ?? "?"]))
        }
    }

    /// `more`: further lines of the server's section (`timeout = 3600`).
    static func home(
        _ server: TestServer, trust: String, command: String? = nil, args: [String]? = nil, more: String = ""
    ) throws -> ConfigHome {
        let arguments = (args ?? [MCPServers.fake]).map { "\"\($0)\"" }.joined(separator: ", ")
        return try ConfigHome(
            """
            provider = "openai"
            model = "test-model"

            [providers.openai]
            base_url = "\(server.baseURL)/v1"
            key_command = "echo sk-test"

            [mcp.servers.fake]
            command = "\(command ?? MCPServers.python)"
            args = [\(arguments)]
            trust = "\(trust)"
            \(more)
            """)
    }

    @Test(
        "a trusted server's tool runs: round 1 calls it, its result is sent back, round 2 answers; --events says each step"
    )
    func trustedRound() async throws {
        let server = try await Self.model(calling: "echo", #"{"text":"hello from the tool"}"#)
        defer { Task { try await server.shutdown() } }
        let home = try Self.home(server, trust: "always")

        let result = try await ParleyProcess.run(
            ["ask", "--tools", "--events", "--no-save", "Use echo"], environment: home.environment())

        #expect(result.status == 0, "\(result.stderr)")
        // (Text may come in one line or several, as the batches fall.)
        let types = result.eventTypes.enumerated().filter { index, type in
            type != "text" || index == 0 || result.eventTypes[index - 1] != "text"
        }.map(\.element)
        #expect(
            types == [
                "start", "round_start", "tool_call", "tool_result", "round_end", "round_start", "text", "round_end",
                "usage", "stop", "metrics",
            ])
        let toolResult = try #require(result.eventLines.first { $0["type"] as? String == "tool_result" })
        #expect(toolResult["ok"] as? Bool == true)
        #expect(toolResult["content"] as? String == "hello from the tool")
        #expect(toolResult["duration_ms"] is Int)
        let ends = result.eventLines.filter { $0["type"] as? String == "round_end" }
        #expect(ends.map { $0["reason"] as? String } == ["tool_use", "end_turn"])
        let usage = try #require(result.eventLines.first { $0["type"] as? String == "usage" })
        #expect(usage["input_tokens"] as? Int == 20 + 12, "summed over the rounds")

        #expect(server.requests.count == 2)
        let first = try JSON.parse(try #require(server.requests.first).body)
        #expect(first["tools"]?.array?.compactMap { $0["function"]?["name"]?.string }.contains("echo") == true)
        let second = try JSON.parse(try #require(server.requests.last).body)
        let messages = try #require(second["messages"]?.array)
        #expect(messages.count == 3)
        #expect(messages[1]["tool_calls"]?[0]?["function"]?["name"] == "echo")
        #expect(messages[2] == ["role": "tool", "tool_call_id": "call_1", "content": "hello from the tool"])
        let text = result.eventLines.filter { $0["type"] as? String == "text" }.compactMap { $0["text"] as? String }
        #expect(text.joined() == "The tool said: hello from the tool")
    }

    @Test("with no terminal to ask, an untrusted server's call is refused, the model is told why, and goes on")
    func refusedWithoutTerminal() async throws {
        let server = try await Self.model(calling: "echo", #"{"text":"secret"}"#)
        defer { Task { try await server.shutdown() } }
        let home = try Self.home(server, trust: "ask")

        let result = try await ParleyProcess.run(
            ["ask", "--tools", "--events", "--no-save", "Use echo"], environment: home.environment())

        #expect(result.status == 0)
        let toolResult = try #require(result.eventLines.first { $0["type"] as? String == "tool_result" })
        #expect(toolResult["ok"] as? Bool == false)
        let error = try #require(toolResult["error"] as? String)
        #expect(error.contains("--yes"))
        let sent = try JSON.parse(try #require(server.requests.last).body)["messages"]?[2]?["content"]?.string
        #expect(sent == error, "the model is told what the user is told")
    }

    @Test("--yes runs an untrusted server's call without asking")
    func yes() async throws {
        let server = try await Self.model(calling: "echo", #"{"text":"allowed"}"#)
        defer { Task { try await server.shutdown() } }
        let home = try Self.home(server, trust: "ask")

        let result = try await ParleyProcess.run(
            ["ask", "--tools=fake", "--yes", "--events", "--no-save", "Use echo"], environment: home.environment())

        #expect(result.status == 0)
        let toolResult = try #require(result.eventLines.first { $0["type"] as? String == "tool_result" })
        #expect(toolResult["content"] as? String == "allowed")
    }

    @Test("a tool that fails is a failed result the model sees; a model that never stops calling stops at --max-rounds")
    func failureAndRoundLimit() async throws {
        let server = try await Self.model(calling: "fail", "{}", always: true)
        defer { Task { try await server.shutdown() } }
        let home = try Self.home(server, trust: "always")

        let result = try await ParleyProcess.run(
            ["ask", "--tools", "--max-rounds", "2", "--events", "--no-save", "Fail"], environment: home.environment())

        #expect(result.status == 1)
        #expect(server.requests.count == 2)
        let results = result.eventLines.filter { $0["type"] as? String == "tool_result" }
        #expect(results.count == 1)
        #expect(results.first?["ok"] as? Bool == false)
        let error = try #require(result.eventLines.first { $0["type"] as? String == "error" })
        #expect((error["message"] as? String)?.contains("after 2 rounds") == true)
        #expect(result.eventTypes.suffix(3) == ["usage", "stop", "metrics"])
    }

    @Test("a server that cannot start stops ask before any request, naming the server")
    func serverThatCannotStart() async throws {
        let server = try await Self.model(calling: "echo", "{}")
        defer { Task { try await server.shutdown() } }
        let home = try Self.home(server, trust: "always", args: [MCPServers.fake, "exit-at-once"])

        let result = try await ParleyProcess.run(
            ["ask", "--tools", "--no-save", "hi"], environment: home.environment())

        #expect(result.status == 1)
        #expect(result.stderr.contains("MCP server 'fake' exited with status 3 while starting"))
        #expect(server.requests.isEmpty)
    }

    @Test(
        "the reference time server from PyPI answers a real call",
        .enabled(if: MCPServers.timeServer != nil, "needs .venv/bin/mcp-server-time (.ci/run installs it)"))
    func referenceTimeServer() async throws {
        let server = try await Self.model(calling: "get_current_time", #"{"timezone":"UTC"}"#)
        defer { Task { try await server.shutdown() } }
        let home = try Self.home(
            server, trust: "always", command: MCPServers.timeServer, args: ["--local-timezone", "UTC"])

        let result = try await ParleyProcess.run(
            ["ask", "--tools", "--events", "--no-save", "What time is it?"], environment: home.environment())

        #expect(result.status == 0, "\(result.stderr)")
        let toolResult = try #require(result.eventLines.first { $0["type"] as? String == "tool_result" })
        #expect(toolResult["ok"] as? Bool == true)
        #expect((toolResult["content"] as? String)?.contains("\"timezone\": \"UTC\"") == true)
    }

    @Test("Ctrl-C while a tool runs stops the call (the server is told) and the reply: no round follows, exit 130")
    func interruptedCall() async throws {
        let server = try await Self.model(calling: "hang", "{}")
        defer { Task { try await server.shutdown() } }
        // A call that is not stopped would wait out this timeout, far past the test's limit.
        let home = try Self.home(server, trust: "always", more: "timeout = 3600")
        let process = try ParleyProcess(
            ["ask", "--tools", "--events", "--no-save", "Hang"], environment: home.environment())
        // The call is under way once the server says so (its stderr goes to parley.log).
        let log = home.folder + "/parley.log"
        #expect(
            await eventually {
                (try? String(contentsOfFile: log, encoding: .utf8))?.contains("hang: called") == true
            })
        process.interrupt()
        let result = await process.result()

        #expect(result.status == 130)
        let toolResult = try #require(result.eventLines.first { $0["type"] as? String == "tool_result" })
        #expect(toolResult["ok"] as? Bool == false)
        #expect((toolResult["error"] as? String)?.contains("was cancelled") == true)
        #expect(result.eventLines.first { $0["type"] as? String == "stop" }?["reason"] as? String == "cancelled")
        #expect(server.requests.count == 1, "no round after the interrupted one")
    }

    @Test("a model that refuses tools: its own words, naming it, and what to do instead; exit 1")
    func modelRefusesTools() async throws {
        let server = try await TestServer.start { _ in
            .whole(#"{"error":"registry.ollama.ai/library/gemma:2b does not support tools"}"#, status: 400)
        }
        defer { Task { try await server.shutdown() } }
        let home = try ConfigHome(
            """
            provider = "ollama"
            model = "gemma:2b"

            [providers.ollama]
            base_url = "\(server.baseURL)"

            [mcp.servers.fake]
            command = "\(MCPServers.python)"
            args = ["\(MCPServers.fake)"]
            """)
        let result = try await ParleyProcess.run(
            ["ask", "--tools", "--no-save", "Hi"], environment: home.environment())
        #expect(result.status == 1)
        #expect(result.stderr.contains("gemma:2b does not support tools"))
        #expect(result.stderr.contains("This model does not take tools: ask it without --tools"))
    }
}
