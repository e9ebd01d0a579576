/// Prices per model: the table shipped with Parley, with the config file's `[prices]` over it.
///
/// A model is priced only when its name is one the table lists, or one with a date after it
/// ("gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929") or "-latest": a model the table does not
/// know has no cost, never a neighbour's.
public struct PriceTable: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        /// The providers (preset names) that bill this model at this price.
        public var providers: [String]
        public var model: String
        public var price: Price
    }

    public var entries: [Entry]
    /// `[prices."MODEL"]` from the config: these prices for that model with any provider.
    public var overrides: [String: Price]

    public init(entries: [Entry], overrides: [String: Price] = [:]) {
        self.entries = entries
        self.overrides = overrides
    }

    public func price(provider: String, model: String) -> Price? {
        let name = model.lowercased()
        if let own = overrides.first(where: { ModelName.matches(name, $0.key.lowercased()) }) { return own.value }
        return entries.first { $0.providers.contains(provider) && ModelName.matches(name, $0.model) }?.price
    }

    public func overriding(_ prices: [String: Price]) -> PriceTable {
        PriceTable(entries: entries, overrides: overrides.merging(prices) { _, new in new })
    }
}

extension PriceTable {
    /// List prices in US dollars per million tokens, standard tier, read from each provider's
    /// own pricing page in November 2025: platform.openai.com/docs/pricing,
    /// docs.anthropic.com/en/docs/about-claude/pricing, ai.google.dev/gemini-api/docs/pricing,
    /// api-docs.deepseek.com/quick_start/pricing. Prices change: `[prices."MODEL"]` in the config
    /// file overrides any of them, and a model not listed shows no cost rather than a wrong one.
    public static let bundled = PriceTable(entries: openAI + anthropic + gemini + deepSeek)

    private static let openAIProviders = ["openai", "openai-responses"]
    private static let openAI: [Entry] = [
        ("gpt-5", Price(input: 1.25, cachedInput: 0.125, output: 10)),
        ("gpt-5-mini", Price(input: 0.25, cachedInput: 0.025, output: 2)),
        ("gpt-5-nano", Price(input: 0.05, cachedInput: 0.005, output: 0.40)),
        ("gpt-4.1", Price(input: 2, cachedInput: 0.50, output: 8)),
        ("gpt-4.1-mini", Price(input: 0.40, cachedInput: 0.10, output: 1.60)),
        ("gpt-4.1-nano", Price(input: 0.10, cachedInput: 0.025, output: 0.40)),
        ("gpt-4o", Price(input: 2.50, cachedInput: 1.25, output: 10)),
        ("gpt-4o-mini", Price(input: 0.15, cachedInput: 0.075, output: 0.60)),
        ("o3", Price(input: 2, cachedInput: 0.50, output: 8)),
        ("o4-mini", Price(input: 1.10, cachedInput: 0.275, output: 4.40)),
    ].map { Entry(providers: openAIProviders, model: $0.0, price: $0.1) }

    /// Cache reads at a tenth of input, 5-minute cache writes at 1.25 times.
    private static let anthropic: [Entry] = [
        ("claude-opus-4-1", Price(input: 15, cachedInput: 1.50, cacheWrite: 18.75, output: 75)),
        ("claude-opus-4-0", Price(input: 15, cachedInput: 1.50, cacheWrite: 18.75, output: 75)),
        ("claude-opus-4", Price(input: 15, cachedInput: 1.50, cacheWrite: 18.75, output: 75)),
        ("claude-sonnet-4-5", Price(input: 3, cachedInput: 0.30, cacheWrite: 3.75, output: 15)),
        ("claude-sonnet-4-0", Price(input: 3, cachedInput: 0.30, cacheWrite: 3.75, output: 15)),
        ("claude-sonnet-4", Price(input: 3, cachedInput: 0.30, cacheWrite: 3.75, output: 15)),
        ("claude-haiku-4-5", Price(input: 1, cachedInput: 0.10, cacheWrite: 1.25, output: 5)),
        ("claude-3-5-haiku", Price(input: 0.80, cachedInput: 0.08, cacheWrite: 1, output: 4)),
    ].map { Entry(providers: ["anthropic"], model: $0.0, price: $0.1) }

    /// Gemini 2.5 Pro costs more for prompts over 200k tokens: those are left unpriced.
    private static let gemini: [Entry] = [
        ("gemini-2.5-pro", Price(input: 1.25, cachedInput: 0.31, output: 10, promptLimit: 200_000)),
        ("gemini-2.5-flash", Price(input: 0.30, cachedInput: 0.075, output: 2.50)),
        ("gemini-2.0-flash", Price(input: 0.10, cachedInput: 0.025, output: 0.40)),
    ].map { Entry(providers: ["gemini"], model: $0.0, price: $0.1) }

    /// deepseek-chat and deepseek-reasoner are one model (V3.2) at one price; a cache hit is a
    /// tenth of a miss.
    private static let deepSeek: [Entry] = [
        ("deepseek-chat", Price(input: 0.28, cachedInput: 0.028, output: 0.42)),
        ("deepseek-reasoner", Price(input: 0.28, cachedInput: 0.028, output: 0.42)),
    ].map { Entry(providers: ["deepseek"], model: $0.0, price: $0.1) }
}
