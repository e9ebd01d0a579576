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
