/// Token counts for one reply, normalized across providers.
public struct Usage: Equatable, Sendable {
    public var inputTokens: Int
    public var outputTokens: Int
    /// Tokens spent on reasoning; part of `outputTokens` for every provider that reports it.
    public var reasoningTokens: Int
    /// Input tokens served from the provider's prompt cache (part of `inputTokens`).
    public var cachedTokens: Int
    /// Input tokens written to the provider's prompt cache, which some bill above plain input
    /// (Anthropic's cache creation; part of `inputTokens`).
    public var cacheWriteTokens: Int
    /// What the reply cost in US dollars, as the provider itself stated it (OpenRouter's
    /// `usage.cost`); nil when it said nothing.
    public var statedCost: Double?
    /// True when the provider reported nothing and Parley estimated the counts.
    public var estimated: Bool

    public init(
        inputTokens: Int = 0, outputTokens: Int = 0, reasoningTokens: Int = 0,
        cachedTokens: Int = 0, cacheWriteTokens: Int = 0, statedCost: Double? = nil, estimated: Bool = false
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
        self.cachedTokens = cachedTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.statedCost = statedCost
        self.estimated = estimated
    }

    /// Two replies' (or rounds') counts together; estimated when either was. A stated cost is
    /// kept only when both stated one: half a bill is not the bill.
    public static func + (left: Usage, right: Usage) -> Usage {
        Usage(
            inputTokens: left.inputTokens + right.inputTokens, outputTokens: left.outputTokens + right.outputTokens,
            reasoningTokens: left.reasoningTokens + right.reasoningTokens,
            cachedTokens: left.cachedTokens + right.cachedTokens,
            cacheWriteTokens: left.cacheWriteTokens + right.cacheWriteTokens,
            statedCost: left.statedCost.flatMap { cost in right.statedCost.map { cost + $0 } },
            estimated: left.estimated || right.estimated)
    }

    /// A rough count for text the provider did not count: about four UTF-8 bytes a token.
    public static func estimatedTokens(in text: String) -> Int {
        estimatedTokens(bytes: text.utf8.count)
    }

    /// A token count in a few characters: 950, 1.2k, 12.4k, 128k, 1.0M.
    public static func short(_ tokens: Int) -> String {
        if tokens < 1_000 { return "\(tokens)" }
        if tokens < 100_000 {
            let tenths = (tokens + 50) / 100
            return tenths % 10 == 0 || tenths >= 1_000
                ? "\((tokens + 500) / 1_000)k" : "\(tenths / 10).\(tenths % 10)k"
        }
        if tokens < 1_000_000 { return "\((tokens + 500) / 1_000)k" }
        let tenths = (tokens + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)M"
    }

    /// The same estimate for `bytes` UTF-8 bytes of text.
    public static func estimatedTokens(bytes: Int) -> Int {
        bytes <= 0 ? 0 : max(1, (bytes + 3) / 4)
    }

    /// Output tokens a second while the reply was generated: `tokens` over the time from its
    /// first token to its end (or to now); nil when there is no time or nothing to measure.
    public static func tokensPerSecond(_ tokens: Int, generating: Duration) -> Double? {
        let seconds = generating.fractionalSeconds
        guard tokens > 0, seconds > 0 else { return nil }
        return Double(tokens) / seconds
    }
}
