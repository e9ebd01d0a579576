/// How many tokens of context (prompt and reply together) well-known hosted models take, by
/// exact name or a dated snapshot of it (a router's vendor prefix ignored), as their makers'
/// model pages give them (November 2025). A local model's window is what its server was started
/// with, not what the model could take, so none is guessed: unknown stays unknown.
public enum ContextWindow {
    public static func tokens(for model: String) -> Int? {
        let name = (model.split(separator: "/").last.map(String.init) ?? model).lowercased()
        return known.first { PriceTable.names(name, $0.model) }?.tokens
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

    /// How full a conversation's context is: the tokens its last reply's request and answer took
    /// (what the next request sends again, and more), against the model's window when known.
    public struct Fill: Equatable, Sendable {
        public var used: Int
        public var window: Int?
        /// The provider counted nothing: `used` is Parley's estimate.
        public var estimated: Bool

        /// Nine tenths or more of the window: the next message may not fit.
        public var isNearlyFull: Bool { window.map { used * 10 >= $0 * 9 } ?? false }

        /// "ctx 12.4k/128k", "ctx ~900/200k", "ctx 3.1k" (window unknown).
        public var text: String {
            "ctx \(estimated ? "~" : "")\(Self.short(used))" + (window.map { "/\(Self.short($0))" } ?? "")
        }

        /// 950, 1.2k, 12.4k, 128k, 1.0M.
        static func short(_ tokens: Int) -> String {
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
    }

    /// The fill of a conversation whose last reply used `usage`, with `model`.
    public static func fill(after usage: Usage, model: String) -> Fill {
        Fill(used: usage.inputTokens + usage.outputTokens, window: tokens(for: model), estimated: usage.estimated)
    }
}
