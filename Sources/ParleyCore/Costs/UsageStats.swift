/// One saved reply's usage, as `parley stats` counts it: earlier versions of a regenerated reply
/// count too (they were paid for).
public struct ReplyUsage: Equatable, Sendable {
    public var conversationID: ConversationID
    public var title: String
    /// Where the conversation's replies were asked for (nil: the provider's usual address).
    public var baseURL: String?
    public var createdAt: Timestamp
    public var provider: String
    public var model: String
    public var usage: Usage

    public init(
        conversationID: ConversationID, title: String, baseURL: String?, createdAt: Timestamp, provider: String,
        model: String, usage: Usage
    ) {
        self.conversationID = conversationID
        self.title = title
        self.baseURL = baseURL
        self.createdAt = createdAt
        self.provider = provider
        self.model = model
        self.usage = usage
    }
}

/// Replies' tokens and costs added up per group. A reply with no known cost adds none and is
/// counted as unpriced, so a total never passes an unknown off as zero.
public struct UsageTotals: Equatable, Sendable {
    public var key: String
    public var replies = 0
    public var inputTokens = 0
    public var outputTokens = 0
    public var reasoningTokens = 0
    public var cachedTokens = 0
    public var cacheWriteTokens = 0
    /// The known costs, summed.
    public var dollars: Double = 0
    /// Replies whose cost is unknown (no price, or estimated usage).
    public var unpriced = 0
    /// Replies from models on the user's own machine.
    public var local = 0

    public init(key: String) { self.key = key }

    mutating func add(_ reply: ReplyUsage, cost: Cost?) {
        replies += 1
        inputTokens += reply.usage.inputTokens
        outputTokens += reply.usage.outputTokens
        reasoningTokens += reply.usage.reasoningTokens
        cachedTokens += reply.usage.cachedTokens
        cacheWriteTokens += reply.usage.cacheWriteTokens
        switch cost?.source {
        case .local?: local += 1
        case .provider?, .priceTable?: dollars += cost?.dollars ?? 0
        case nil: unpriced += 1
        }
    }

    /// "$0.0612", "$0.0612 + 3 replies without a price", "no price known", "local".
    public var costText: String {
        let priced = replies - unpriced - local
        let known = priced > 0 ? Cost(dollars: dollars, source: .priceTable).text : nil
        let unknown = unpriced > 0 ? "\(unpriced) repl\(unpriced == 1 ? "y" : "ies") without a price" : nil
        if known == nil, unknown == nil { return local > 0 ? "local" : "-" }
        return [known, unknown].compactMap { $0 }.joined(separator: " + ")
    }
}

public enum UsageStats {
    private struct PricedModel: Hashable {
        var provider: String
        var model: String
        var baseURL: String?
    }

    /// What the replies are grouped by.
    public enum Grouping: String, CaseIterable, Sendable {
        case model, day, conversation
    }

    /// `replies` grouped, largest cost first for models and conversations, in date order for
    /// days, with the total last. `day` names a reply's day (the caller's calendar and zone).
    public static func totals(
        _ replies: [ReplyUsage], by grouping: Grouping, pricing: PricingRules, day: (Timestamp) -> String
    ) -> (groups: [UsageTotals], total: UsageTotals) {
        var groups: [String: UsageTotals] = [:]
        var total = UsageTotals(key: "total")
        // Each model's price is looked up once, not once a reply.
        var prices: [PricedModel: (pricing: Pricing, price: Price?)] = [:]
        for reply in replies {
            let model = PricedModel(provider: reply.provider, model: reply.model, baseURL: reply.baseURL)
            if prices[model] == nil {
                let found = pricing.pricing(provider: reply.provider, baseURL: reply.baseURL)
                prices[model] = (found, found.prices.price(provider: reply.provider, model: reply.model))
            }
            let priced = prices[model]!
            let cost = priced.pricing.cost(of: reply.usage, at: priced.price)
            let key =
                switch grouping {
                case .model: "\(reply.model) · \(reply.provider)"
                case .day: day(reply.createdAt)
                case .conversation: "\(reply.conversationID) \(reply.title)"
                }
            groups[key, default: UsageTotals(key: key)].add(reply, cost: cost)
            total.add(reply, cost: cost)
        }
        let ordered =
            grouping == .day
            ? groups.values.sorted { $0.key < $1.key }
            : groups.values.sorted { ($0.dollars, $0.outputTokens, $1.key) > ($1.dollars, $1.outputTokens, $0.key) }
        return (ordered, total)
    }
}
