import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("parley ask --compare: one prompt to two models on two local servers, at once")
struct AskCompareTests {
    /// Claude on one server (--provider anthropic), Llama on another (`ollama:` in the list).
    struct TwoServers {
        let claude: TestServer
        let llama: TestServer
        let claudeBytes: [UInt8]
        let llamaBytes: [UInt8]

        static func start() async throws -> TwoServers {
            let claudeBytes = try Fixtures.stream("anthropic/claude-sonnet-4.5-minimal-text.sse")
            let llamaBytes = try Fixtures.stream("ollama/llama3.1-api-chat-text.ndjson")
            let claude = try await TestServer.start { _ in .replay(claudeBytes, pieces: 1...40, pause: .zero, seed: 3) }
            let llama = try await TestServer.start { request in
                // Ollama is first asked what the model can do; it knows nothing here.
                request.target == "/api/show"
                    ? .whole("{}", status: 404)
                    : .replay(llamaBytes, pieces: 1...40, pause: .zero, seed: 5, contentType: "application/x-ndjson")
            }
            return TwoServers(claude: claude, llama: llama, claudeBytes: claudeBytes, llamaBytes: llamaBytes)
        }

        func arguments(_ extra: [String]) -> [String] {
            [
                "ask", "--provider", "anthropic", "--base-url", claude.baseURL, "--compare",
                "claude-sonnet-4-5,ollama:llama3.1",
            ]
                + extra
        }

        var environment: [String: String] { ["ANTHROPIC_API_KEY": "test-key", "OLLAMA_HOST": llama.baseURL] }

        func text(of bytes: [UInt8], _ format: WireFormat) -> String {
            decodeReply(bytes, format: format).compactMap { if case .text(let text) = $0 { text } else { nil } }
                .joined()
        }

        func shutdown() async throws {
            try await claude.shutdown()
            try await llama.shutdown()
        }
    }

    @Test("--events: both replies' lines, each tagged with its model; each server asked once for its own model")
    func eventsTaggedByModel() async throws {
        let servers = try await TwoServers.start()
        defer { Task { try await servers.shutdown() } }

        let result = try await ParleyProcess.run(
            servers.arguments(["--events", "--no-save", "Say hello"]), environment: servers.environment)

        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.eventLines
        #expect(lines.allSatisfy { ["claude-sonnet-4-5", "llama3.1"].contains($0["model"] as? String) })
        for (model, text) in [
            ("claude-sonnet-4-5", servers.text(of: servers.claudeBytes, .anthropic)),
            ("llama3.1", servers.text(of: servers.llamaBytes, .ollama)),
        ] {
            let own = lines.filter { $0["model"] as? String == model }
            #expect(
                own.compactMap { $0["type"] as? String }.filter { $0 == "start" || $0 == "stop" || $0 == "metrics" }
                    == ["start", "stop", "metrics"])
            #expect(
                own.filter { $0["type"] as? String == "text" }.compactMap { $0["text"] as? String }.joined() == text)
        }
        let claudeAsked = servers.claude.requests
        let llamaAsked = servers.llama.requests.filter { $0.target != "/api/show" }
        #expect(claudeAsked.map(\.target) == ["/v1/messages"])
        #expect(llamaAsked.map(\.target) == ["/api/chat"])
        #expect(try JSON.parse(claudeAsked[0].body)["model"]?.string == "claude-sonnet-4-5")
        #expect(try JSON.parse(llamaAsked[0].body)["model"]?.string == "llama3.1")
    }

    @Test(
        "plain: the replies one after another in the order named, each under its model with its footer; saved as branches"
    )
    func plainOneAfterAnother() async throws {
        let servers = try await TwoServers.start()
        defer { Task { try await servers.shutdown() } }
        let home = ScratchFolders.path("home")
        let environment = servers.environment.merging(["PARLEY_HOME": home]) { $1 }

        let result = try await ParleyProcess.run(servers.arguments(["Say hello"]), environment: environment)

        #expect(result.status == 0, "\(result.stderr)")
        let claudeText = servers.text(of: servers.claudeBytes, .anthropic)
        let llamaText = servers.text(of: servers.llamaBytes, .ollama)
        #expect(
            result.stdout == claudeText + (claudeText.hasSuffix("\n") ? "" : "\n") + llamaText
                + (llamaText.hasSuffix("\n") ? "" : "\n"))
        let stderr = result.stderr.split(separator: "\n").map(String.init)
        let headings = stderr.filter { $0.hasPrefix("── ") }
        let footers = stderr.filter { $0.hasPrefix("[") }
        #expect(headings == ["── claude-sonnet-4-5 · Anthropic ──", "── llama3.1 · Ollama ──"])
        #expect(footers.count == 2)
        #expect(footers.first?.hasPrefix("[claude-sonnet-4-5 · Anthropic") == true)
        #expect(footers.last?.hasPrefix("[llama3.1 · Ollama") == true)

        let listed = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        let id = try #require(listed.stdout.split(separator: " ").first.map(String.init))
        let exported = try await ParleyProcess.run(
            ["export", id, "--format", "json", "--tree"], environment: ["PARLEY_HOME": home])
        let tree = try JSON.parse(exported.stdout)["tree"]?.array ?? []
        let question = try #require(tree.first { $0["role"]?.string == "user" })
        let replies = tree.filter { $0["role"]?.string == "assistant" }
        // Saved under the model each provider said it is.
        #expect(Set(replies.compactMap { $0["model"]?.string }) == ["claude-sonnet-4-5-20250929", "llama3.1"])
        #expect(replies.allSatisfy { $0["parent_id"]?.string == question["id"]?.string })
        #expect(Set(replies.compactMap { $0["text"]?.string }) == [claudeText, llamaText])
    }

    @Test("one model, five, or with --tools: refused before anything is sent, saying why")
    func refused() async throws {
        let one = try await ParleyProcess.run(["ask", "--compare", "a", "hi"])
        #expect(one.status == 2)
        #expect(one.stderr.contains("--compare takes 2 to 4 models, separated by commas; 1 given."))
        let five = try await ParleyProcess.run(["ask", "--compare", "a,b,c,d,e", "hi"])
        #expect(five.stderr.contains("5 given"))
        let tools = try await ParleyProcess.run(["ask", "--compare", "a,b", "--tools", "hi"])
        #expect(tools.status == 2)
        #expect(tools.stderr.contains("--compare offers no tools"))
    }
}
