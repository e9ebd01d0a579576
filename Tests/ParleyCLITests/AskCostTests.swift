import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// What `parley ask` says a reply cost: the provider's own figure when it states one, in the
/// footer and in `--events`' usage line with who says so; nothing when the cost is unknown.
@Suite("parley ask: what a reply cost, and who says so")
struct AskCostTests {
    static func replay(_ fixture: String) async throws -> TestServer {
        let bytes = try Fixtures.stream(fixture)
        return try await TestServer.start { _ in .replay(bytes, pieces: 1...700, pause: .zero, seed: 3) }
    }

    @Test("OpenRouter states the cost: --events' usage line carries it as the provider's, the footer shows it")
    func statedByTheProvider() async throws {
        let server = try await Self.replay("openrouter/claude-sonnet-4.5-reasoning-processing-comments.sse")
        defer { Task { try await server.shutdown() } }
        let arguments = [
            "ask", "--no-save", "--provider", "openrouter", "--model", "anthropic/claude-sonnet-4.5", "--base-url",
            server.baseURL, "Hi",
        ]
        let environment = ["OPENROUTER_API_KEY": "test-key"]

        let events = try await ParleyProcess.run(arguments + ["--events"], environment: environment)
        let usage = try #require(events.eventLines.first { $0["type"] as? String == "usage" })
        #expect(usage["cost_usd"] as? Double == 0.000669)
        #expect(usage["cost_source"] as? String == "provider")

        let plain = try await ParleyProcess.run(arguments, environment: environment)
        #expect(plain.stderr.contains("| in 43 / out 36 tok | $0.0007 |"))
    }

    @Test("a provider reached somewhere other than its own service has no cost: not the table's, not zero")
    func unknownElsewhere() async throws {
        let server = try await Self.replay("openai-chat/gpt-4o-parallel-tool-calls-include-usage.sse")
        defer { Task { try await server.shutdown() } }
        let result = try await ParleyProcess.run(
            [
                "ask", "--no-save", "--events", "--provider", "openai", "--model", "gpt-4o", "--base-url",
                server.baseURL + "/v1", "Hi",
            ],
            environment: ["OPENAI_API_KEY": "test-key"])
        let usage = try #require(result.eventLines.first { $0["type"] as? String == "usage" })
        #expect(usage["cost_usd"] == nil)
        #expect(usage["cost_source"] == nil)
    }

    @Test(
        "pricing by where the provider is reached: a local server costs nothing, its own service at the table's prices")
    func pricing() throws {
        let table = PriceTable.bundled
        let openAI = try ProviderChoice.resolve(
            provider: "openai", model: "gpt-4o", baseURL: nil, environment: ["OPENAI_API_KEY": "k"],
            configuration: .none)
        #expect(openAI.pricing(table) == Pricing(local: false, prices: table))
        let proxied = try ProviderChoice.resolve(
            provider: "openai", model: "gpt-4o", baseURL: "http://127.0.0.1:9/v1", environment: ["OPENAI_API_KEY": "k"],
            configuration: .none)
        #expect(proxied.pricing(table) == .unknown)
        let ollama = try ProviderChoice.resolve(
            provider: "ollama", model: "llama3.2", baseURL: nil, environment: [:], configuration: .none)
        #expect(ollama.pricing(table).local)
    }
}
