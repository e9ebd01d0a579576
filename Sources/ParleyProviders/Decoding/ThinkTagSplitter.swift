import ParleyCore

/// Moves `<think>…</think>` at the start of plain content into thinking, as reasoning models
/// served through OpenAI-compatible servers and Ollama write it. Tags may arrive split across
/// deltas, so text that could still be the start of a tag is held back until it is decided.
struct ThinkTagSplitter: Sendable {
    private enum State: Sendable {
        case undecided(String)
        case thinking(pending: String)
        case answering(atStart: Bool)
    }

    private static let open = "<think>"
    private static let close = "</think>"
    private var state = State.undecided("")

    mutating func split(_ delta: String) -> [StreamEvent] {
        switch state {
        case .undecided(let held):
            let text = held + delta
            let trimmed = text.drop(while: \.isWhitespace)
            if trimmed.hasPrefix(Self.open) {
                state = .thinking(pending: "")
                return split(String(trimmed.dropFirst(Self.open.count)))
            }
            if Self.open.hasPrefix(trimmed) {
                state = .undecided(text)
                return []
            }
            state = .answering(atStart: false)
            return [.text(text)]
        case .thinking(let pending):
            let text = pending + delta
            if let range = text.firstRange(of: Self.close) {
                state = .answering(atStart: true)
                let thought = String(text[..<range.lowerBound])
                let rest = String(text[range.upperBound...])
                return (thought.isEmpty ? [] : [.thinking(thought)]) + split(rest)
            }
            let keep = Self.longestSuffix(of: text, thatPrefixes: Self.close)
            state = .thinking(pending: String(text.suffix(keep)))
            let thought = String(text.dropLast(keep))
            return thought.isEmpty ? [] : [.thinking(thought)]
        case .answering(let atStart):
            // The answer after </think> usually starts with blank lines that belong to neither.
            let text = atStart ? String(delta.drop(while: \.isNewline)) : delta
            if text.isEmpty { return [] }
            state = .answering(atStart: false)
            return [.text(text)]
        }
    }

    /// What is still held back when the stream ends: it was never a tag, so it is what it looked like.
    mutating func flush() -> [StreamEvent] {
        defer { state = .answering(atStart: false) }
        switch state {
        case .undecided(let held): return held.isEmpty ? [] : [.text(held)]
        case .thinking(let pending): return pending.isEmpty ? [] : [.thinking(pending)]
        case .answering: return []
        }
    }

    private static func longestSuffix(of text: String, thatPrefixes tag: String) -> Int {
        for length in stride(from: min(tag.count - 1, text.count), to: 0, by: -1)
        where tag.hasPrefix(text.suffix(length)) {
            return length
        }
        return 0
    }
}
