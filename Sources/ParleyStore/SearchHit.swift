import ParleyCore

/// A conversation that matches a search, with a piece of text showing where.
public struct SearchHit: Equatable, Sendable {
    public var conversation: Conversation
    public var snippet: Snippet
    /// The message that matched, on whichever branch; nil when only the title did.
    public var messageID: MessageID?

    public init(conversation: Conversation, snippet: Snippet, messageID: MessageID? = nil) {
        self.conversation = conversation
        self.snippet = snippet
        self.messageID = messageID
    }
}

/// A few words around the matches, with the matched words marked so a view can highlight them.
public struct Snippet: Equatable, Sendable {
    public var text: String
    public var highlights: [Range<String.Index>]

    public init(text: String, highlights: [Range<String.Index>]) {
        self.text = text
        self.highlights = highlights
    }

    /// The text with each highlight between `open` and `close`: `"how to [stream] replies"`.
    public func marked(open: String = "[", close: String = "]") -> String {
        var result = ""
        var cursor = text.startIndex
        for range in highlights {
            result += text[cursor..<range.lowerBound] + open + text[range] + close
            cursor = range.upperBound
        }
        return result + text[cursor...]
    }

    /// SQLite's snippet() wraps matches in these two characters, which typed text practically never contains.
    static let openMark: Character = "\u{2}"
    static let closeMark: Character = "\u{3}"

    init(marked: String) {
        var text = ""
        var offsets: [(Int, Int)] = []
        var openedAt: Int?
        for character in marked {
            switch character {
            case Self.openMark: openedAt = text.utf8.count
            case Self.closeMark:
                if let start = openedAt { offsets.append((start, text.utf8.count)) }
                openedAt = nil
            default: text.append(character)
            }
        }
        let utf8 = text.utf8
        let highlights = offsets.map { start, end in
            utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)
        }
        self.init(text: text, highlights: highlights)
    }
}
