/// The message being typed: multi-line text with a caret, readline editing and history.
/// Positions count Characters, so a caret never splits an emoji or a letter from its accent.
public struct InputEditor: Equatable, Sendable {
    /// The most characters a message (or a prompt's line) may hold: about half a million tokens,
    /// more than most models take at once. A paste that would pass it is refused whole, with a
    /// notice, rather than cut where the user did not choose.
    public static let capacity = 2_000_000

    public private(set) var characters: [Character] = []
    public private(set) var cursor = 0
    /// Messages sent before, oldest first; ↑ on an empty editor walks back through them.
    public private(set) var history: [String] = []
    private var historyIndex: Int?

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Inserts `text` at the caret, unless the message would then hold more than `capacity`
    /// characters: then nothing changes and the answer is false.
    @discardableResult
    public mutating func insert(_ text: String) -> Bool {
        // Pasted CRLF or lone CR becomes one newline; other text is kept as typed.
        let added = Array(text.replacing("\r\n", with: "\n").replacing("\r", with: "\n"))
        guard characters.count + added.count <= Self.capacity else { return false }
        characters.insert(contentsOf: added, at: cursor)
        cursor += added.count
        historyIndex = nil
        return true
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        cursor -= 1
        characters.remove(at: cursor)
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }

    /// Ctrl-A / Ctrl-E: the start and end of the caret's line.
    public mutating func moveToLineStart() { cursor = lineStart }
    public mutating func moveToLineEnd() { cursor = lineEnd }
    public var isAtLineEnd: Bool { cursor == lineEnd }

    /// Ctrl-K: deletes from the caret to the end of its line.
    public mutating func killToLineEnd() {
        let end = cursor == lineEnd && cursor < characters.count ? cursor + 1 : lineEnd
        characters.removeSubrange(cursor..<end)
    }

    /// Ctrl-U: deletes from the start of the caret's line to the caret.
    public mutating func killToLineStart() {
        let start = lineStart
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Ctrl-W: deletes the word before the caret (and the spaces after it).
    public mutating func deleteWordBackward() {
        let start = wordStart(before: cursor)
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Alt-B / Alt-F.
    public mutating func moveWordBackward() { cursor = wordStart(before: cursor) }

    public mutating func moveWordForward() {
        var position = cursor
        while position < characters.count, !characters[position].isWordCharacter { position += 1 }
        while position < characters.count, characters[position].isWordCharacter { position += 1 }
        cursor = position
    }

    /// ↑ inside a multi-line message moves up a line; on the first line it returns false.
    public mutating func moveUp() -> Bool {
        let start = lineStart
        guard start > 0 else { return false }
        let column = cursor - start
        let previousStart = Self.lineStart(in: characters, before: start - 1)
        cursor = min(previousStart + column, start - 1)
        return true
    }

    public mutating func moveDown() -> Bool {
        let end = lineEnd
        guard end < characters.count else { return false }
        let column = cursor - lineStart
        let nextStart = end + 1
        let nextEnd = characters[nextStart...].firstIndex(of: "\n") ?? characters.count
        cursor = min(nextStart + column, nextEnd)
        return true
    }

    /// Hands the text over to be sent, keeps it in history, and empties the editor.
    public mutating func take() -> String {
        let text = self.text
        if history.last != text { history.append(text) }
        characters = []
        cursor = 0
        historyIndex = nil
        return text
    }

    /// Replaces the text (editing a sent message), the caret at its end.
    public mutating func replace(with text: String) {
        characters = Array(text)
        cursor = characters.count
        historyIndex = nil
    }

    /// ↑ on an empty editor, or while walking history: the previous message sent.
    public mutating func historyBack() -> Bool {
        guard !history.isEmpty, isEmpty || historyIndex != nil else { return false }
        let index = max(0, (historyIndex ?? history.count) - 1)
        historyIndex = index
        characters = Array(history[index])
        cursor = characters.count
        return true
    }

    public mutating func historyForward() -> Bool {
        guard let index = historyIndex else { return false }
        if index + 1 < history.count {
            historyIndex = index + 1
            characters = Array(history[index + 1])
        } else {
            historyIndex = nil
            characters = []
        }
        cursor = characters.count
        return true
    }

    /// The caret as (line, column in characters).
    public var caret: (line: Int, column: Int) {
        let line = characters[..<cursor].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        return (line, cursor - lineStart)
    }

    private var lineStart: Int { Self.lineStart(in: characters, before: cursor) }
    private var lineEnd: Int { characters[cursor...].firstIndex(of: "\n") ?? characters.count }

    private static func lineStart(in characters: [Character], before position: Int) -> Int {
        var start = position
        while start > 0, characters[start - 1] != "\n" { start -= 1 }
        return start
    }

    private func wordStart(before position: Int) -> Int {
        var start = position
        while start > 0, !characters[start - 1].isWordCharacter { start -= 1 }
        while start > 0, characters[start - 1].isWordCharacter { start -= 1 }
        return start
    }
}

extension Character {
    fileprivate var isWordCharacter: Bool { isLetter || isNumber || self == "_" }
}
