/// Why a reply ended, normalized, with the provider's own word kept in `raw`.
public struct StopReason: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable, CaseIterable {
        case endTurn = "end_turn"
        case maxTokens = "max_tokens"
        case toolUse = "tool_use"
        case stopSequence = "stop_sequence"
        case contentFilter = "content_filter"
        case cancelled
        case error
    }

    public var kind: Kind
    /// The provider's value (`"stop"`, `"length"`, `"STOP"`, `"end_turn"` …), nil when it gave none.
    public var raw: String?

    public init(_ kind: Kind, raw: String? = nil) {
        self.kind = kind
        self.raw = raw
    }
}
