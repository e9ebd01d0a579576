/// Whether a tool call may run: no tool runs without the user's consent. A server the config
/// trusts runs its tools without asking; otherwise each call is asked about, unless the user
/// allowed that tool for the conversation, or said yes to all beforehand (`parley ask --yes`).
/// With no one to ask, a call is refused, and the model is told so.
public struct ToolConsent: Equatable, Sendable {
    /// What the user answered to a call.
    public enum Answer: Equatable, Sendable {
        case once, forConversation, refuse
    }

    public enum Verdict: Equatable, Sendable {
        case run
        /// Ask the user (the server, the tool and the arguments) before running it.
        case ask
        /// Refused without asking; `reason` goes back to the model as the call's result.
        case refuse(reason: String)
    }

    /// Tools allowed for the rest of the conversation, as "server/tool".
    private var allowed: Set<String> = []
    /// Every call runs without asking (`--yes`).
    public var allowsAll: Bool

    public init(allowsAll: Bool = false) {
        self.allowsAll = allowsAll
    }

    public func verdict(server: String, tool: String, trusted: Bool, canAsk: Bool) -> Verdict {
        if trusted || allowsAll || allowed.contains(Self.key(server, tool)) { return .run }
        if canAsk { return .ask }
        return .refuse(
            reason: "the user was not there to allow \(tool) of \(server) (nothing was run); "
                + "`parley ask --yes` or `trust = \"always\"` in the config allows it")
    }

    /// Records `answer` to a call of `tool`; returns whether the call runs.
    public mutating func record(_ answer: Answer, server: String, tool: String) -> Bool {
        switch answer {
        case .once: return true
        case .forConversation:
            allowed.insert(Self.key(server, tool))
            return true
        case .refuse: return false
        }
    }

    /// What the model is told of a call the user refused.
    public static func refusal(_ tool: String) -> String {
        "the user refused to run \(tool); nothing was run"
    }

    private static func key(_ server: String, _ tool: String) -> String { server + "/" + tool }
}
