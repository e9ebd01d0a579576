import ParleyCore
import Testing

/// What a reply cost: the provider's own figure when it states one, usage at the table's prices
/// otherwise, nothing for a local model, and unknown (never zero, never a neighbour's price) when
/// the table cannot say.
@Suite("Costs: prices, the table, and who says what a reply cost")
struct CostTests {
    static let table = PriceTable.bundled

    @Test("cached input, cache writes and output each at their price; reasoning at output's unless priced apart")
    func arithmetic() throws {
        let sonnet = try #require(Self.table.price(provider: "anthropic", model: "claude-sonnet-4-5-20250929"))
        // 10,000 input of which 6,000 read from the cache and 2,000 written to it; 1,000 output.
        let usage = Usage(inputTokens: 10_000, outputTokens: 1_000, cachedTokens: 6_000, cacheWriteTokens: 2_000)
        let plain: Double = 2_000 * 3
        let cached: Double = 6_000 * 0.30
        let written: Double = 2_000 * 3.75
        let output: Double = 1_000 * 15
        let expected = (plain + cached + written + output) / 1_000_000
        #expect(abs((sonnet.cost(of: usage) ?? 0) - expected) < 1e-12)

        let apart = Price(input: 1, output: 2, reasoning: 4)
        let thought = Usage(inputTokens: 1_000_000, outputTokens: 3_000_000, reasoningTokens: 1_000_000)
        let reasoningApart: Double? = 1 + 2 * 2 + 4
        let reasoningAsOutput: Double? = 1 + 3 * 2
        #expect(apart.cost(of: thought) == reasoningApart)
        #expect(Price(input: 1, output: 2).cost(of: thought) == reasoningAsOutput)
    }

    @Test("a prompt over the prices' limit is unpriced: Gemini 2.5 Pro charges more above 200k")
    func promptLimit() throws {
        let pro = try #require(Self.table.price(provider: "gemini", model: "gemini-2.5-pro"))
        #expect(pro.cost(of: Usage(inputTokens: 200_000, outputTokens: 1)) != nil)
        #expect(pro.cost(of: Usage(inputTokens: 200_001, outputTokens: 1)) == nil)
    }

    @Test("a model is priced by its own name, with a date or -latest after it, never by a neighbour's")
    func names() {
        #expect(Self.table.price(provider: "openai", model: "gpt-4o-2024-08-06")?.input == 2.50)
        #expect(Self.table.price(provider: "openai-responses", model: "gpt-4o-mini")?.input == 0.15)
        #expect(Self.table.price(provider: "anthropic", model: "claude-opus-4-1-20250805")?.output == 75)
        #expect(Self.table.price(provider: "openai", model: "gpt-4o-audio-preview") == nil)
        #expect(Self.table.price(provider: "openai", model: "gpt-5-chat-latest") == nil)
        #expect(
            Self.table.price(provider: "groq", model: "gpt-4o") == nil, "another provider's price is not this one's")
        #expect(Self.table.price(provider: "anthropic", model: "claude-sonnet-4-5-latest")?.input == 3)
    }

    @Test("the config's prices win over the table's, for that model with any provider")
    func overrides() {
        let table = Self.table.overriding([
            "gpt-4o": Price(input: 1, output: 1), "my-model": Price(input: 9, output: 9),
        ])
        #expect(table.price(provider: "openai", model: "gpt-4o")?.input == 1)
        #expect(table.price(provider: "groq", model: "my-model")?.output == 9)
    }

    @Test("stated cost wins; local costs nothing; estimated usage and unknown models get no cost, not zero")
    func whoSays() {
        let priced = Pricing(local: false, prices: Self.table)
        let usage = Usage(inputTokens: 1_000, outputTokens: 100)
        #expect(
            priced.cost(of: usage, provider: "openai", model: "gpt-4o") == Cost(dollars: 0.0035, source: .priceTable))
        var stated = usage
        stated.statedCost = 0.0012
        #expect(
            priced.cost(of: stated, provider: "openai", model: "gpt-4o") == Cost(dollars: 0.0012, source: .provider))
        #expect(
            Pricing.unknown.cost(of: stated, provider: "openrouter", model: "x")
                == Cost(dollars: 0.0012, source: .provider))
        #expect(
            priced.cost(
                of: Usage(inputTokens: 9, outputTokens: 9, estimated: true), provider: "openai", model: "gpt-4o") == nil
        )
        #expect(priced.cost(of: usage, provider: "openai", model: "gpt-9") == nil)
        #expect(Pricing.unknown.cost(of: usage, provider: "openai", model: "gpt-4o") == nil)
        #expect(
            Pricing(local: true, prices: Self.table).cost(of: usage, provider: "ollama", model: "llama3.2")
                == Cost(dollars: 0, source: .local))
    }

    @Test("costs as people read them")
    func text() {
        #expect(Cost(dollars: 0.0035, source: .priceTable).text == "$0.0035")
        #expect(Cost(dollars: 0.000669, source: .provider).text == "$0.0007")
        #expect(Cost(dollars: 0.00001, source: .provider).text == "<$0.0001")
        #expect(Cost(dollars: 0, source: .provider).text == "$0")
        #expect(Cost(dollars: 1.2, source: .priceTable).text == "$1.20")
        #expect(Cost(dollars: 1234.567, source: .priceTable).text == "$1234.57")
        #expect(Cost(dollars: 0, source: .local).text == "local")
    }

    @Test("rounds add up; a stated cost survives only when every round stated one")
    func sums() {
        let one = Usage(inputTokens: 1, outputTokens: 2, cachedTokens: 1, cacheWriteTokens: 1, statedCost: 0.5)
        let both = one + one
        #expect(both.cacheWriteTokens == 2)
        #expect(both.statedCost == 1)
        #expect((one + Usage(inputTokens: 1)).statedCost == nil)
    }
}
