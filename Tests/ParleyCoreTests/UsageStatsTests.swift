import ParleyCore
import Testing

/// `parley stats`' arithmetic: tokens and known costs added per model, day or conversation,
/// unknown costs counted apart, never as zero.
@Suite("Usage stats: totals by model, day and conversation")
struct UsageStatsTests {
    static let rules = PricingRules(
        prices: .bundled, local: ["ollama"], services: ["openai": "https://api.openai.com/v1"])

    static func reply(
        _ conversation: String, _ provider: String, _ model: String, day: Int64, _ usage: Usage, baseURL: String? = nil
    ) -> ReplyUsage {
        ReplyUsage(
            conversationID: ConversationID(conversation), title: "Chat \(conversation)", baseURL: baseURL,
            createdAt: Timestamp(millisecondsSince1970: day * 86_400_000), provider: provider, model: model,
            usage: usage)
    }

    static let replies = [
        reply("c1", "openai", "gpt-4o", day: 1, Usage(inputTokens: 1_000, outputTokens: 100)),
        reply("c1", "openai", "gpt-4o", day: 2, Usage(inputTokens: 2_000, outputTokens: 200, cachedTokens: 1_000)),
        reply("c2", "openai", "gpt-9", day: 2, Usage(inputTokens: 10, outputTokens: 10)),
        reply("c2", "openai", "gpt-4o", day: 2, Usage(inputTokens: 5, outputTokens: 5, estimated: true)),
        reply("c3", "ollama", "llama3.2", day: 3, Usage(inputTokens: 50, outputTokens: 50)),
        reply("c3", "openrouter", "x/y", day: 3, Usage(inputTokens: 1, outputTokens: 1, statedCost: 0.5)),
    ]

    static func day(_ time: Timestamp) -> String { "day \(time.millisecondsSince1970 / 86_400_000)" }

    @Test("by model: known costs summed, the rest counted as without a price; local said as local")
    func byModel() {
        let (groups, total) = UsageStats.totals(Self.replies, by: .model, pricing: Self.rules, day: Self.day)
        #expect(groups.map(\.key) == ["x/y · openrouter", "gpt-4o · openai", "llama3.2 · ollama", "gpt-9 · openai"])
        let gpt4o = groups[1]
        #expect(gpt4o.replies == 3)
        #expect(gpt4o.inputTokens == 3_005)
        #expect(gpt4o.cachedTokens == 1_000)
        // 1,000 in + 100 out, then 1,000 plain + 1,000 cached in + 200 out.
        #expect(abs(gpt4o.dollars - (0.0025 + 0.001 + 0.0025 + 0.00125 + 0.002)) < 1e-12)
        #expect(gpt4o.unpriced == 1, "estimated usage is not priced")
        #expect(gpt4o.costText == "$0.0093 + 1 reply without a price")
        #expect(groups[2].costText == "local")
        #expect(groups[3].costText == "1 reply without a price")
        #expect(total.replies == 6)
        #expect(total.unpriced == 2)
        #expect(total.local == 1)
        #expect(total.costText == "$0.5093 + 2 replies without a price")
    }

    @Test("by day in date order, by conversation; a provider reached elsewhere is unpriced")
    func byDayAndConversation() {
        let days = UsageStats.totals(Self.replies, by: .day, pricing: Self.rules, day: Self.day).groups
        #expect(days.map(\.key) == ["day 1", "day 2", "day 3"])
        #expect(days.map(\.replies) == [1, 3, 2])
        let conversations = UsageStats.totals(Self.replies, by: .conversation, pricing: Self.rules, day: Self.day)
            .groups
        #expect(conversations.map(\.key) == ["c3 Chat c3", "c1 Chat c1", "c2 Chat c2"])

        let proxied = [
            Self.reply(
                "c9", "openai", "gpt-4o", day: 1, Usage(inputTokens: 9, outputTokens: 9),
                baseURL: "http://127.0.0.1:1/v1")
        ]
        #expect(UsageStats.totals(proxied, by: .model, pricing: Self.rules, day: Self.day).total.unpriced == 1)
    }
}
