import ParleyCore

/// What the transcript marks besides its text: the bar beside the chosen message (the cursor, or
/// copy mode's message or code block), and the find's occurrences on the lines they show on.
struct TranscriptMarks {
    let state: AppState
    let layout: TranscriptLayout

    /// The lines of message `index` the bar is beside (as `TranscriptLayout.lines` numbers them).
    func selected(_ index: Int, viewport: TranscriptViewport) -> Range<Int> {
        let all = 0..<Int.max
        switch state.mode {
        case .copying(let selection):
            guard selection.message == index else { return 0..<0 }
            guard let block = selection.block else { return all }
            return layout.lines(
                of: viewport.messages[index], width: viewport.width, spaced: index > 0,
                unfolded: viewport.isUnfolded(index), fromText: block.opening, through: block.closing)
        default:
            return state.focus == .transcript && state.messageCursor == index ? all : 0..<0
        }
    }

    /// The find's query on line `line` of message `index`, and which of its occurrences there is
    /// the one shown; nil when nothing is found there (a header is never searched).
    func found(_ index: Int, line: Int, viewport: TranscriptViewport) -> FindHighlight? {
        guard case .finding(let find) = state.mode, find.matches?.isEmpty == false, !find.query.isEmpty else {
            return nil
        }
        let message = viewport.messages[index]
        guard message.role != .tool,
            layout.bodyLines(
                of: message, width: viewport.width, spaced: index > 0, unfolded: viewport.isUnfolded(index)
            )
            .contains(line)
        else { return nil }
        var current: Int?
        if let shown = find.shown, shown.message == index {
            let place = layout.place(
                of: find.query, at: shown.range.lowerBound, in: message, width: viewport.width, spaced: index > 0,
                unfolded: viewport.isUnfolded(index))
            if place.line == line { current = place.occurrence }
        }
        return FindHighlight(query: find.query, current: current)
    }
}

/// The find's occurrences on one drawn line, the one shown set apart from the others.
struct FindHighlight {
    var query: String
    var current: Int?

    static let match = Style(.warning, [.reverse])
    static let shown = Style(.selection, [.reverse, .bold])

    /// Restyles the cells of each occurrence of the query in `line`, drawn at `row`, `column`.
    static func draw(_ highlight: FindHighlight, on line: Line, row: Int, column: Int, into frame: inout Frame) {
        let text = line.text
        let utf8 = text.utf8
        for (number, range) in FindText.occurrences(of: highlight.query, in: text).enumerated() {
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let end = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
            let before = Glyphs.width(of: String(text[..<start]))
            let width = Glyphs.width(of: String(text[start..<end]))
            frame.restyle(
                Rect(x: column + before, y: row, width: width, height: 1), number == highlight.current ? shown : match)
        }
    }
}
