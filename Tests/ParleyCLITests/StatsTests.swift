import Foundation
import ParleyTestSupport
import Testing

/// `parley stats` on a real database: replies saved by `parley ask`, one whose provider stated
/// its cost, one whose cost nobody knows.
@Suite("parley stats")
struct StatsTests {
    @Test("by model: the stated cost, the reply without a price counted as such; --json the same figures")
    func byModel() async throws {
        let home = ParleyProcess.dataFolder()
        let openRouter = try await AskCostTests.replay("openrouter/claude-sonnet-4.5-reasoning-processing-comments.sse")
        let openAI = try await AskCostTests.replay("openai-chat/gpt-4o-parallel-tool-calls-include-usage.sse")
        defer {
            Task {
                try await openRouter.shutdown()
                try await openAI.shutdown()
            }
        }
        let environment = ["PARLEY_HOME": home, "OPENROUTER_API_KEY": "k", "OPENAI_API_KEY": "k"]
        _ = try await ParleyProcess.run(
            [
                "ask", "--provider", "openrouter", "--model", "anthropic/claude-sonnet-4.5", "--base-url",
                openRouter.baseURL,
                "Hi",
            ], environment: environment)
        _ = try await ParleyProcess.run(
            ["ask", "--provider", "openai", "--model", "gpt-4o", "--base-url", openAI.baseURL + "/v1", "Hi"],
            environment: environment)

        let table = try await ParleyProcess.run(["stats"], environment: ["PARLEY_HOME": home])
        #expect(table.status == 0)
        #expect(
            table.stdout.contains("anthropic/claude-sonnet-4.5 · openrouter        1     43       0      36  $0.0007"))
        #expect(table.stdout.contains("1 reply without a price"))
        #expect(table.stdout.contains("total"))

        let json = try await ParleyProcess.run(
            ["stats", "--json", "--since", "all"], environment: ["PARLEY_HOME": home])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["replies"] as? Int == 2)
        #expect(total["unpriced_replies"] as? Int == 1)
        #expect(total["cost_usd"] as? Double == 0.000669)
    }

    @Test("an unreadable period is a usage error; no replies is said")
    func period() async throws {
        let home = ParleyProcess.dataFolder()
        let wrong = try await ParleyProcess.run(["stats", "--since", "7x"], environment: ["PARLEY_HOME": home])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("--since 7x: give a number with h, d or w"))
        let none = try await ParleyProcess.run(["stats", "--since", "7d"], environment: ["PARLEY_HOME": home])
        #expect(none.stderr.contains("No replies with usage in the last 7d."))
    }
}
