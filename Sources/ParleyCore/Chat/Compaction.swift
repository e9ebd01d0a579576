/// A conversation made shorter for the model: the user asks (a key, or `ask --compact`), the model
/// writes a summary of the turns so far as a reply, and from then on requests send that summary,
/// in the system prompt, in place of every message before it. Nothing is deleted: the turns stay
/// in the database and on screen, marked as summarized.
public enum Compaction: String, Equatable, Sendable {
    /// The user message that asks for the summary (its text is `instruction`).
    case request
    /// The reply that holds the summary.
    case summary

    /// What the model is asked. A summary already in its instructions is folded in, so each
    /// summary replaces the one before.
    public static let instruction =
        "Summarize our conversation so far so that the summary can replace it: keep every fact, decision, "
        + "name, number, piece of code and open question later turns may need, and fold in any summary of "
        + "earlier turns you were given. Write it for yourself, not for me. Reply with the summary only."

    /// Where the summary goes: after the conversation's own system prompt.
    public static func system(_ own: String?, summary: String?) -> String? {
        guard let summary else { return own }
        let part = "A summary of the earlier part of this conversation, which it replaces:\n\n" + summary
        return own.map { $0 + "\n\n" + part } ?? part
    }

    /// The last finished summary in `messages`, by index.
    public static func lastSummary(in messages: [Message]) -> Int? {
        messages.lastIndex { $0.compaction == .summary && $0.status == .complete && !$0.text.isEmpty }
    }

    /// Whether there is something to summarize: a finished reply since the last summary.
    public static func canCompact(_ messages: [Message]) -> Bool {
        let start = lastSummary(in: messages).map { $0 + 1 } ?? 0
        return messages[start...].contains { $0.role == .assistant && $0.compaction == nil && $0.status == .complete }
    }
}
