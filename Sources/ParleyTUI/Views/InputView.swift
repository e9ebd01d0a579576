import ParleyCore

/// The message editor: the text after a "> " prompt, each line cut to the pane's width
/// (by glyphs, so the caret's place is exact), and the caret where the terminal cursor goes.
enum InputView {
    static let prompt = "> "
    /// What the empty editor says, with the keys as they are bound.
    static func placeholder(_ bindings: KeyBindings) -> String {
        let send = bindings.label(.send, all: true).map { "\($0) sends" }
        let newline = bindings.label(.newline, all: true).map { "\($0) new line" }
        return "type here; " + [send, newline].compactMap { $0 }.joined(separator: ", ")
    }

    /// The files the message carries, as chips on the line above the editor, numbered as
    /// `/detach N` takes them: "📎1 notes.md · text · 15 B".
    static func chips(_ attachments: [Attachment]) -> Line {
        var line = Line()
        for (index, file) in attachments.enumerated() {
            if index > 0 { line.append("  ") }
            line.append("📎\(index + 1) ", Style(.accent))
            line.append(ControlPicture.safe(file.name), Style(.accent, [.bold]))
            line.append(" · \(file.kind.name) · \(Attachment.sizeText(file.size))", Style(.muted))
        }
        return line
    }

    /// The most rows the editor pane shows: a longer message scrolls within them.
    static let maxRows = 8

    /// The rows of the editor that can be on screen at `width`, and the caret's row and column
    /// among them: the window of at most `limit` rows that ends at the caret's row (or starts at
    /// the message's first row, when the caret is that near the top), as the pane shows it.
    ///
    /// However long the message (a pasted file), only the lines near the caret are read and only
    /// about a window's rows are made: a frame costs what it shows, not what the message holds.
    static func rows(_ editor: InputEditor, width: Int, limit: Int = maxRows) -> (rows: [Line], caret: Frame.Position) {
        let room = max(1, width - prompt.count)
        let characters = editor.characters
        let cursor = editor.cursor
        // From `limit` lines before the caret's (each a row at least): nothing earlier can show.
        var position = cursor
        var newlines = 0
        while position > 0 {
            if characters[position - 1] == "\n" {
                newlines += 1
                if newlines == limit { break }
            }
            position -= 1
        }
        var window = Window(limit: limit, firstLine: position == 0)
        var used = 0
        while !window.isFull {
            guard position < characters.count, characters[position] != "\n" else {
                // The end of a line of the message.
                if position == cursor {
                    if used >= room {
                        window.wrap()
                        used = 0
                    }
                    window.caret(column: used)
                }
                window.endLine()
                guard position < characters.count else { break }
                used = 0
                position += 1
                continue
            }
            let (text, width) = Self.shown(characters[position])
            if position == cursor { window.caret(column: used) }
            if used + width > room {
                window.wrap()
                used = 0
                if position == cursor { window.caret(column: 0) }
            }
            window.append(text)
            used += width
            position += 1
        }
        return window.shown
    }

    /// How a character is drawn and how many columns it takes: printable ASCII as it is (most of
    /// any message, and not worth asking about), the rest made safe and measured by its glyphs.
    /// A tab shows as four spaces: the caret's column must not depend on where it falls.
    private static func shown(_ character: Character) -> (String, Int) {
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return (String(character), 1) }
        let text = character == "\t" ? "    " : ControlPicture.safe(String(character))
        return (text, Glyphs.width(of: text))
    }

    /// The rows as they are made: at most `limit` before the caret's, then the ones after it until
    /// the pane's worth is there.
    private struct Window {
        let limit: Int
        private var rows: [Line] = []
        private var row: Line
        /// The caret's place among `rows` (its row may still be being made).
        private var caretRow: Int?
        private var caretColumn = 0

        init(limit: Int, firstLine: Bool) {
            self.limit = limit
            row = Line(firstLine ? InputView.prompt : "  ", Style(.accent, [.bold]))
        }

        /// The caret's row is made, and so are as many after it as the window holds.
        var isFull: Bool {
            guard let caretRow else { return false }
            return rows.count - max(0, caretRow - limit + 1) >= limit
        }

        mutating func caret(column: Int) {
            caretRow = rows.count
            caretColumn = column
        }

        mutating func append(_ text: String) { row.append(text) }

        /// The line goes on in the next row.
        mutating func wrap() {
            finishRow()
            row = Line("  ")
        }

        /// The next line of the message starts in the next row.
        mutating func endLine() {
            finishRow()
            row = Line("  ", Style(.accent, [.bold]))
        }

        private mutating func finishRow() {
            rows.append(row)
            // Before the caret, only the last `limit` rows can show.
            if caretRow == nil, rows.count > limit { rows.removeFirst() }
        }

        var shown: (rows: [Line], caret: Frame.Position) {
            let caret = caretRow ?? max(0, rows.count - 1)
            let first = max(0, caret - limit + 1)
            return (
                Array(rows[first..<min(rows.count, first + limit)]),
                Frame.Position(row: caret - first, column: InputView.prompt.count + caretColumn)
            )
        }
    }
}
