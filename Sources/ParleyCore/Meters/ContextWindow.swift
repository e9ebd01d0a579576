/// A model's context window: how many tokens a request and its reply may take together, where
/// Parley learnt it, and what the provider does with a request that does not fit.
public struct ContextWindow: Equatable, Sendable {
    public enum Source: String, Equatable, Sendable {
        /// The provider's own models endpoint said (or, for Ollama, what Parley asks it to use).
        case provider
        /// Parley's table of well-known hosted models.
        case table
    }

    /// What a provider does with a request larger than the window.
    public enum Overflow: Equatable, Sendable {
        /// An error: nothing is lost, the user hears of it.
        case refused
        /// The start of the conversation is dropped without a word (Ollama).
        case truncated
        /// What the server is set to do (LM Studio's context overflow policy).
        case serverSetting
    }

    public var tokens: Int
    public var source: Source
    public var overflow: Overflow

    public init(tokens: Int, source: Source, overflow: Overflow = .refused) {
        self.tokens = tokens
        self.source = source
        self.overflow = overflow
    }

    /// The window of a well-known hosted model, by exact name or a dated snapshot of it (a
    /// router's vendor prefix ignored), as its maker's model page gives it (November 2025). A local
    /// model's window is what its server was started with, not what the model could take, so none
    /// is guessed: unknown stays unknown.
    public static func listed(for model: String) -> ContextWindow? {
        let name = ModelName.unrouted(model)
        return known.first { ModelName.matches(name, $0.model) }.map {
            ContextWindow(tokens: $0.tokens, source: .table)
        }
    }

    private static let known: [(model: String, tokens: Int)] = [
        ("gpt-5", 400_000), ("gpt-5-mini", 400_000), ("gpt-5-nano", 400_000),
        ("gpt-4.1", 1_047_576), ("gpt-4.1-mini", 1_047_576), ("gpt-4.1-nano", 1_047_576),
        ("gpt-4o", 128_000), ("gpt-4o-mini", 128_000), ("o3", 200_000), ("o4-mini", 200_000),
        ("claude-opus-4-1", 200_000), ("claude-opus-4-0", 200_000), ("claude-opus-4", 200_000),
        ("claude-sonnet-4-5", 200_000), ("claude-sonnet-4-0", 200_000), ("claude-sonnet-4", 200_000),
        ("claude-haiku-4-5", 200_000), ("claude-3-5-haiku", 200_000),
        ("gemini-2.5-pro", 1_048_576), ("gemini-2.5-flash", 1_048_576), ("gemini-2.0-flash", 1_048_576),
        ("deepseek-chat", 128_000), ("deepseek-reasoner", 128_000),
    ]

    /// What `provider` (its name on screen) will do with a request that does not fit.
    public func consequence(_ provider: String) -> String {
        switch overflow {
        case .refused: "\(provider) will refuse it"
        case .truncated: "\(provider) will drop the start of the conversation without saying so"
        case .serverSetting: "\(provider) will do what its context overflow setting says"
        }
    }

    /// The window to ask a server for that sizes it per request (Ollama's `num_ctx`): room for a
    /// prompt of `promptTokens` (an estimate, so a quarter more) and a reply of `replyTokens`
    /// (2,048 when not limited), in powers of two from 8,192 — few sizes, because each new one
    /// makes the server load the model again — and never more than `most` when that is set.
    public static func requested(promptTokens: Int, replyTokens: Int?, most: Int?) -> Int {
        let needed = promptTokens + promptTokens / 4 + (replyTokens ?? 2_048)
        var size = 8_192
        while size < needed && size < 1 << 24 { size *= 2 }
        return most.map { min(size, $0) } ?? size
    }

    /// How full a conversation's context is: the tokens its last request and answer took (what the
    /// next request sends again, and more), against the model's window when known.
    public struct Fill: Equatable, Sendable {
        public var used: Int
        public var window: ContextWindow?
        /// The provider counted nothing: `used` is Parley's estimate.
        public var estimated: Bool

        public init(used: Int, window: ContextWindow?, estimated: Bool) {
            self.used = used
            self.window = window
            self.estimated = estimated
        }

        /// The fill after a reply that used `usage`.
        public init(after usage: Usage, window: ContextWindow?) {
            self.init(used: usage.inputTokens + usage.outputTokens, window: window, estimated: usage.estimated)
        }

        /// Nine tenths or more of the window: the next message may not fit.
        public var isNearlyFull: Bool { window.map { used * 10 >= $0.tokens * 9 } ?? false }

        /// More than the window holds.
        public var overflows: Bool { window.map { used > $0.tokens } ?? false }

        /// The fill once `tokens` more are sent (an estimate from then on).
        public func adding(_ tokens: Int) -> Fill {
            Fill(used: used + tokens, window: window, estimated: estimated || tokens > 0)
        }

        /// "ctx 12.4k/128k", "ctx ~900/200k", "ctx 3.1k" (window unknown).
        public var text: String {
            "ctx \(estimated ? "~" : "")\(Usage.short(used))" + (window.map { "/\(Usage.short($0.tokens))" } ?? "")
        }

        /// Said before sending a message that would not fit (`provider` as shown on screen):
        /// "This message may not fit: ~131k tokens with the conversation, and the model's window is
        /// 128k; OpenAI will refuse it." Nil when it fits or the window is unknown.
        public func warning(_ provider: String) -> String? {
            guard overflows, let window else { return nil }
            return "This message may not fit: \(estimated ? "~" : "")\(Usage.short(used)) tokens with the "
                + "conversation, and the model's window is \(Usage.short(window.tokens)); \(window.consequence(provider))."
        }
    }
}
