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
