import ParleyCore

/// Moves `<think>…</think>` at the start of plain content into thinking, as reasoning models
/// served through OpenAI-compatible servers and Ollama write it. Tags may arrive split across
/// deltas, so text that could still be the start of a tag is held back until it is decided.
///
/// Works on Unicode scalars, not characters: a combining mark right after `>` must not glue
/// itself to the tag and hide it.
struct ThinkTagSplitter: Sendable {
    private enum State: Sendable {
        /// Nothing but whitespace, or the start of `<think>`, so far.
        case undecided(String)
        /// Inside the tags; `pending` is the end of the thinking that may be the start of `</think>`.
        case thinking(pending: String)
        /// `afterTag`: the answer has not begun, so line ends after `</think>` are dropped.
        case answering(afterTag: Bool)
    }

    private static let open = Array("<think>".unicodeScalars)
    private static let close = Array("</think>".unicodeScalars)
    private var state = State.undecided("")

    /// Whether the answer has begun: `split` now hands each delta back as it came.
    var isPassingThrough: Bool {
        if case .answering(afterTag: false) = state { return true }
        return false
    }

    mutating func split(_ delta: String) -> [StreamEvent] {
        switch state {
        case .answering(afterTag: false):
            return [.text(delta)]
        case .answering(afterTag: true):
            let scalars = delta.unicodeScalars
            guard let answer = scalars.firstIndex(where: { $0 != "\n" && $0 != "\r" }) else { return [] }
            state = .answering(afterTag: false)
            return [.text(String(Substring(scalars[answer...])))]
        case .undecided(let held):
            let text = held + delta
            let scalars = text.unicodeScalars
            let rest = scalars.drop { $0.properties.isWhitespace }
            if rest.starts(with: Self.open) {
                state = .thinking(pending: "")
                return split(String(Substring(rest.dropFirst(Self.open.count))))
            }
            if Self.open.starts(with: rest) {
                state = .undecided(text)
                return []
            }
            state = .answering(afterTag: false)
            return [.text(text)]
        case .thinking(let pending):
            let text = pending + delta
            let scalars = text.unicodeScalars
            if let tag = scalars.firstRange(of: Self.close) {
                state = .answering(afterTag: true)
                let thought = String(Substring(scalars[..<tag.lowerBound]))
                let rest = String(Substring(scalars[tag.upperBound...]))
                return (thought.isEmpty ? [] : [.thinking(thought)]) + split(rest)
            }
            let cut = scalars.index(scalars.endIndex, offsetBy: -Self.heldBack(scalars))
            state = .thinking(pending: String(Substring(scalars[cut...])))
            let thought = String(Substring(scalars[..<cut]))
            return thought.isEmpty ? [] : [.thinking(thought)]
        }
    }

    /// What is still held back when the stream ends: it was never a tag, so it is what it looked like.
    mutating func flush() -> [StreamEvent] {
        defer { state = .answering(afterTag: false) }
        switch state {
        case .undecided(let held): return held.isEmpty ? [] : [.text(held)]
        case .thinking(let pending): return pending.isEmpty ? [] : [.thinking(pending)]
        case .answering: return []
        }
    }

    /// How many scalars at the end of `scalars` may be the start of `</think>`.
    private static func heldBack(_ scalars: String.UnicodeScalarView) -> Int {
        var length = scalars.suffix(close.count - 1).count
        while length > 0, !scalars.suffix(length).elementsEqual(close.prefix(length)) { length -= 1 }
        return length
    }
}
