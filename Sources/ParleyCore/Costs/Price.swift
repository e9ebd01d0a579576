/// What a model's tokens cost, in US dollars per million tokens.
public struct Price: Equatable, Sendable {
    public var input: Double
    /// Input read from the prompt cache; nil when the provider bills it as plain input.
    public var cachedInput: Double?
    /// Input written to the prompt cache; nil when the provider bills it as plain input.
    public var cacheWrite: Double?
    public var output: Double
    /// Reasoning tokens, where priced apart from output; nil when they are billed as output.
    public var reasoning: Double?
    /// The longest prompt these prices hold for (Gemini charges more above 200k tokens): a longer
    /// prompt's cost is unknown, not guessed.
    public var promptLimit: Int?

    public init(
        input: Double, cachedInput: Double? = nil, cacheWrite: Double? = nil, output: Double, reasoning: Double? = nil,
        promptLimit: Int? = nil
    ) {
        self.input = input
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
        self.output = output
        self.reasoning = reasoning
        self.promptLimit = promptLimit
    }

    /// `usage` at these prices; nil when the prompt is over the prices' limit.
    public func cost(of usage: Usage) -> Double? {
        if let promptLimit, usage.inputTokens > promptLimit { return nil }
        let plainInput = max(0, usage.inputTokens - usage.cachedTokens - usage.cacheWriteTokens)
        let reasoning = self.reasoning == nil ? 0 : usage.reasoningTokens
        let perMillion =
            Double(plainInput) * input + Double(usage.cachedTokens) * (cachedInput ?? input)
            + Double(usage.cacheWriteTokens) * (cacheWrite ?? input)
            + Double(max(0, usage.outputTokens - reasoning)) * output + Double(reasoning) * (self.reasoning ?? output)
        return perMillion / 1_000_000
    }
}

/// How a provider's replies are priced: on the user's own machine, or by a table of prices (empty
/// when the provider is reached somewhere other than its own service, whose prices it may not
/// charge).
public struct Pricing: Equatable, Sendable {
    public var local: Bool
    public var prices: PriceTable

    public init(local: Bool, prices: PriceTable) {
        self.local = local
        self.prices = prices
    }

    /// Nothing known: no reply gets a cost.
    public static let unknown = Pricing(local: false, prices: PriceTable(entries: []))

    /// A reply's cost: nothing for a local model, else what the provider stated, else its usage at
    /// the table's price, else nil (unknown, never zero). Estimated usage is never priced: that
    /// would be a guess shown as a fact.
    public func cost(of usage: Usage, provider: String, model: String) -> Cost? {
        cost(of: usage, at: local ? nil : prices.price(provider: provider, model: model))
    }

    /// The same, with the model's price already looked up in `prices` (a sum over many replies
    /// looks each model up once).
    public func cost(of usage: Usage, at price: Price?) -> Cost? {
        if local { return Cost(dollars: 0, source: .local) }
        if let stated = usage.statedCost { return Cost(dollars: stated, source: .provider) }
        guard !usage.estimated, let dollars = price?.cost(of: usage) else { return nil }
        return Cost(dollars: dollars, source: .priceTable)
    }
}

/// Who is billed how: the price table, the providers on the user's own machine, and the address
/// of each hosted provider's own service (where its list prices hold).
public struct PricingRules: Equatable, Sendable {
    public var prices: PriceTable
    public var local: Set<String>
    public var services: [String: String]

    public init(prices: PriceTable, local: Set<String> = [], services: [String: String] = [:]) {
        self.prices = prices
        self.local = local
        self.services = services
    }

    /// A provider reached at `baseURL` (nil: its usual address): local costs nothing; its own
    /// service is priced by the table; anywhere else (a proxy, another host) the cost is unknown.
    public func pricing(provider: String, baseURL: String?) -> Pricing {
        if local.contains(provider) { return Pricing(local: true, prices: prices) }
        guard let service = services[provider], baseURL == nil || baseURL == service else { return .unknown }
        return Pricing(local: false, prices: prices)
    }
}

/// What a reply cost, and who says so.
public struct Cost: Equatable, Sendable {
    public enum Source: String, Equatable, Sendable {
        /// The provider stated it with the reply (OpenRouter).
        case provider
        /// Usage times the price table's prices for the model.
        case priceTable = "price_table"
        /// A model on the user's own machine: nothing to pay.
        case local
    }

    public var dollars: Double
    public var source: Source

    public init(dollars: Double, source: Source) {
        self.dollars = dollars
        self.source = source
    }

    /// "$0.0123", "$1.20", "<$0.0001", "local".
    public var text: String {
        if source == .local { return "local" }
        if dollars == 0 { return "$0" }
        if dollars < 0.0001 { return "<$0.0001" }
        let digits = dollars < 1 ? 4 : 2
        let scale = digits == 4 ? 10_000 : 100
        let units = Int((dollars * Double(scale)).rounded())
        let fraction = String(units % scale)
        return "$\(units / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }
}
