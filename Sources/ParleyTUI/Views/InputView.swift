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

    /// The editor's rows at `width`, and the caret's row and column among them.
    static func rows(_ editor: InputEditor, width: Int) -> (rows: [Line], caret: Frame.Position) {
        let room = max(1, width - prompt.count)
        var rows: [Line] = []
        var caret = Frame.Position(row: 0, column: prompt.count)
        var position = 0
        let lines = editor.characters.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var row = Line(index == 0 ? prompt : "  ", Style(.accent, [.bold]))
            var used = 0
            for character in line {
                if position == editor.cursor { caret = Frame.Position(row: rows.count, column: prompt.count + used) }
                // A tab shows as four spaces: the caret's column must not depend on where it falls.
                let text = character == "\t" ? "    " : String(character)
                let width = Glyphs.width(of: text)
                if used + width > room {
                    rows.append(row)
                    row = Line("  ")
                    used = 0
                    if position == editor.cursor { caret = Frame.Position(row: rows.count, column: prompt.count) }
                }
                row.append(ControlPicture.safe(text))
                used += width
                position += 1
            }
            if position == editor.cursor {
                if used >= room {
                    rows.append(row)
                    row = Line("  ")
                    used = 0
                }
                caret = Frame.Position(row: rows.count, column: prompt.count + used)
            }
            rows.append(row)
            position += 1  // the newline
        }
        return (rows, caret)
    }
}
