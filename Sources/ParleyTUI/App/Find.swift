import ParleyCore

/// Finding in the open conversation: the query being typed, and once Enter looked, where it
/// occurs in the messages' text (as written, not as laid out) and which occurrence is shown.
public struct Find: Equatable, Sendable {
    /// One occurrence: the message's index in the transcript and the UTF-8 range in its text.
    public struct Match: Equatable, Sendable {
        public var message: Int
        public var range: Range<Int>
    }

    public var editor: InputEditor
    /// What the last look found, for `query`; nil until Enter looks (or after the query changed).
    public internal(set) var matches: [Match]?
    /// The query `matches` are of.
    public internal(set) var query = ""
    public internal(set) var current: Int?
    /// The last move went round the end to the other side.
    public internal(set) var wrapped = false
    /// Opened from the sidebar search before the conversation's messages arrived: it looks when they do.
    var waitsForTranscript = false
    /// The message a sidebar search's hit is in: the first look starts there.
    var from: MessageID?
    /// The text `matches` were found in, told apart cheaply: Enter looks again only when it changed.
    var searched: Searched?

    /// How many messages there were, the last one's id, and their text's length in bytes: a
    /// reply that grew, a message sent, edited or regenerated changes one of them.
    struct Searched: Equatable, Sendable {
        var count: Int
        var last: MessageID?
        var bytes: Int

        init(_ messages: [Message]) {
            count = messages.count
            last = messages.last?.id
            bytes = messages.reduce(0) { $0 + $1.text.utf8.count }
        }
    }

    init(_ text: String = "", waitsForTranscript: Bool = false) {
        editor = InputEditor(text)
        self.waitsForTranscript = waitsForTranscript
    }

    /// The occurrence shown, when there is one.
    public var shown: Match? { current.flatMap { index in matches.map { $0[index] } } }

    /// "3/17", or what the prompt says instead.
    var count: String {
        guard let matches, query == editor.text else { return "" }
        guard let current else { return matches.isEmpty ? "no match" : "\(Figures.grouped(matches.count)) matches" }
        return "\(Figures.grouped(current + 1))/\(Figures.grouped(matches.count))" + (wrapped ? " (wrapped)" : "")
    }

    /// Every occurrence of the query in `messages`' text (tools' output, folded away, is left out).
    static func matches(of query: String, in messages: [Message]) -> [Match] {
        messages.indices.flatMap { index in
            messages[index].role == .tool
                ? []
                : FindText.occurrences(of: query, in: messages[index].text).map { Match(message: index, range: $0) }
        }
    }
}

extension AppState {
    mutating func startFinding() {
        guard !chat.selectedTranscript.isEmpty else {
            show("Nothing to find in yet.")
            return
        }
        mode = .finding(Find())
    }

    /// The find prompt's keys: Enter (or ↓, Tab) shows the next occurrence, Shift-Tab (or ↑) the
    /// previous one, going round at the ends; Esc closes it; the rest edits the query.
    mutating func findKey(_ key: Key, find: Find, layout: TranscriptLayout) -> [AppEffect] {
        var find = find
        switch key {
        case .escape:
            mode = .normal
        case .enter, .tab, .down, .control("n"):
            findNext(find, forward: true, layout: layout)
        case .backTab, .up, .control("p"):
            findNext(find, forward: false, layout: layout)
        default:
            if edit(&find.editor, with: key) { mode = .finding(find) }
        }
        return []
    }

    /// Looks for the query again (the conversation may have grown) and shows the occurrence after
    /// (or before) the one shown, going round at the ends. A new query starts from the top of the
    /// view, or of the conversation with `fromStart`.
    mutating func findNext(_ find: Find, forward: Bool, layout: TranscriptLayout, fromStart: Bool = false) {
        var find = find
        let query = find.editor.text
        guard !query.isEmpty else {
            mode = .finding(find)
            return
        }
        let messages = chat.selectedTranscript
        let searched = Find.Searched(messages)
        let matches =
            find.query == query && find.searched == searched
            ? find.matches ?? [] : Find.matches(of: query, in: messages)
        find.searched = searched
        // The search goes on strictly past the occurrence shown; a new one includes where it starts.
        let continuing = find.query == query ? find.shown : nil
        let start = (
            continuing?.message
                ?? (fromStart
                    ? find.from.flatMap { id in messages.firstIndex { $0.id == id } } ?? 0
                    : TranscriptViewport(state: self, layout: layout).top.message),
            continuing?.range.lowerBound ?? 0
        )
        let key = { (match: Find.Match) in (match.message, match.range.lowerBound) }
        let next =
            forward
            ? matches.firstIndex { continuing == nil ? key($0) >= start : key($0) > start }
            : matches.lastIndex { key($0) < start }
        find.matches = matches
        find.query = query
        find.wrapped = next == nil && !matches.isEmpty && !(fromStart && continuing == nil)
        find.current = next ?? (matches.isEmpty ? nil : forward ? 0 : matches.count - 1)
        mode = .finding(find)
        guard let shown = find.shown else { return }
        let view = TranscriptViewport(state: self, layout: layout)
        let place = layout.place(
            of: query, at: shown.range.lowerBound, in: messages[shown.message], width: view.width,
            spaced: shown.message > 0, unfolded: view.isUnfolded(shown.message))
        reveal(message: shown.message, line: place.line, layout: layout)
    }

    /// Opening a sidebar search's result: the conversation opens with a find for what matched
    /// (the words the search marked, else the query), on its first occurrence.
    mutating func openFound(_ result: SearchResult, query: String, layout: TranscriptLayout) -> [AppEffect] {
        // Its branch first (the hit may be on another), then the find, from the message it is in.
        let effects = open(result.conversationID) + reveal(result.messageID)
        let marked = result.snippet.first { $0.isMatch && !$0.text.isEmpty }?.text ?? query
        var find = Find(marked, waitsForTranscript: true)
        find.from = result.messageID
        mode = .finding(find)
        if chat.hasTranscript(result.conversationID) { lookIfWaiting(layout: layout) }
        return effects
    }

    /// A find opened before its conversation's messages arrived looks once they are here.
    mutating func lookIfWaiting(layout: TranscriptLayout) {
        guard case .finding(var find) = mode, find.waitsForTranscript, !chat.selectedTranscript.isEmpty else { return }
        find.waitsForTranscript = false
        findNext(find, forward: true, layout: layout, fromStart: true)
    }
}
