import ParleyCore

/// A prompt sent to several models (`Comparison`): the prompt, then each reply in a column of
/// its own headed by its model and live figures, growing side by side; stacked when the pane is
/// too narrow for columns. The highlighted column is the reply on the conversation's path, the one
/// `pick` goes on with.
enum CompareView {
    /// Narrower than this, columns are stacked one above the other.
    static let minimumColumnWidth = 28

    static func draw(
        _ state: AppState, _ comparison: Comparison, in rect: Rect, layout: TranscriptLayout, into frame: inout Frame
    ) {
        frame.fill(rect)
        guard let id = state.chat.selectedConversationID, rect.height >= 3 else { return }
        let replies = comparison.replies.compactMap { state.chat.message($0.replyMessageID, in: id) }
        let prompt = state.chat.message(comparison.userMessageID, in: id)?.text ?? ""
        var top = Line("you ", Style(.user, [.bold]))
        top.append(ControlPicture.safe(prompt.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""))
        frame.draw(top.truncated(to: rect.width - 2), row: rect.y, column: rect.x + 1)
        frame.draw(keys(state).truncated(to: rect.width - 2), row: rect.maxY - 1, column: rect.x + 1)
        let area = columnArea(rect)
        let shown = state.chat.selectedTranscript.last?.id
        for (index, pane) in panes(count: replies.count, in: area).enumerated() {
            drawColumn(
                replies[index], highlighted: replies[index].id == shown, state: state, in: pane, layout: layout.columns,
                into: &frame)
        }
    }

    /// Where the columns go in the transcript's pane: below the prompt, above the keys.
    static func columnArea(_ pane: Rect) -> Rect {
        Rect(x: pane.x, y: pane.y + 1, width: pane.width, height: max(0, pane.height - 2))
    }

    /// The width a column's text is wrapped to: less its rule and a margin.
    static func textWidth(_ pane: Rect) -> Int { max(1, pane.width - 2) }

    /// Side by side when each column gets `minimumColumnWidth`, else stacked.
    static func panes(count: Int, in area: Rect) -> [Rect] {
        guard count > 0 else { return [] }
        // Columns of one width: the replies share one layout cache, which a second width would
        // empty on every frame.
        if area.width / count >= minimumColumnWidth {
            let width = area.width / count
            return (0..<count).map { index in
                Rect(x: area.x + index * width, y: area.y, width: width, height: area.height)
            }
        }
        let height = area.height / count
        return (0..<count).map { index in
            let y = area.y + index * height
            return Rect(x: area.x, y: y, width: area.width, height: index == count - 1 ? area.maxY - y : height)
        }
    }

    /// Above a column's text, kept in place while it scrolls: the reply's header and its figures.
    static let pinnedRows = 2

    /// The lines of a column's reply that scroll (all but its header), at the column's width.
    static func scrollingLineCount(of reply: Message, in pane: Rect, state: AppState, layout: TranscriptLayout) -> Int {
        layout.lineCount(of: reply, width: textWidth(pane), spaced: false, unfolded: state.unfolded.contains(reply.id))
            - 1
    }

    /// A rule down the left (accented for the highlighted column), the reply's header and figures,
    /// then the rest of its lines: reasoning (folded unless unfolded), text and notes, from
    /// `compareTop` or, following it, to its end.
    private static func drawColumn(
        _ reply: Message, highlighted: Bool, state: AppState, in pane: Rect, layout: TranscriptLayout,
        into frame: inout Frame
    ) {
        guard pane.height > pinnedRows, pane.width > 2 else { return }
        let rule = highlighted ? Run("▌", Style(.accent, [.bold])) : Run("│", Style(.muted))
        for row in pane.y..<pane.maxY { frame.draw(Line([rule]), row: row, column: pane.x) }
        let width = textWidth(pane)
        var context = state.messageContext()
        context.branch = { _ in nil }
        frame.draw(
            MessageHeader.line(for: reply, context: context).truncated(to: width), row: pane.y, column: pane.x + 1,
            limit: width)
        frame.draw(
            figures(reply, context: context).truncated(to: width), row: pane.y + 1, column: pane.x + 1, limit: width)
        let unfolded = state.unfolded.contains(reply.id)
        let count = scrollingLineCount(of: reply, in: pane, state: state, layout: layout)
        let rows = pane.height - pinnedRows
        let first = max(0, min(state.compareTop ?? count, count - rows))
        let lines = layout.lines(
            of: reply, width: width, context: context, spaced: false, unfolded: unfolded,
            range: (1 + first)..<(1 + min(count, first + rows)))
        for (offset, line) in lines.enumerated() {
            frame.draw(line, row: pane.y + pinnedRows + offset, column: pane.x + 1, limit: width)
        }
    }

    /// "TTFT 312 ms · 48 tok/s · out ~120 tok · $0.0012": how the column's reply is going.
    static func figures(_ reply: Message, context: MessageContext) -> Line {
        let cost = context.cost(reply).map { [$0.text] } ?? []
        return Line((StatusBarView.speed(of: reply, now: context.now) + cost).joined(separator: " · "), Style(.muted))
    }

    /// What the keys do here, as they are bound.
    private static func keys(_ state: AppState) -> Line {
        let keys = state.bindings
        var said: [String] = []
        if let previous = keys.label(.previousBranch), let next = keys.label(.nextBranch) {
            said.append("\(previous) \(next) column")
        }
        if let pick = keys.label(.pickReply) { said.append("\(pick) go on with it") }
        if let stop = keys.label(.stopColumn) { said.append("\(stop) stop it") }
        if let open = keys.label(.open) { said.append("\(open) its reasoning") }
        if let cancel = keys.label(.cancelReply) { said.append("\(cancel) stop all") }
        // The letters work where nothing is being typed.
        let first =
            state.focus == .transcript || state.focus == .thinking
            ? "" : keys.label(.focusPrevious).map { "\($0), then " } ?? ""
        return Line(first + said.joined(separator: " · "), Style(.muted))
    }
}
