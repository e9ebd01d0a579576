import ParleyCore

/// The conversation list (or search and its results) in the sidebar's box.
enum SidebarView {
    static func draw(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        let focused = state.focus == .sidebar || state.isSearching
        let inner = rect.inside
        frame.fill(inner)
        if case .searching(let editor, let results, let cursor) = state.mode {
            frame.box(rect, title: Line("Search", Style(.heading, [.bold])), focused: true)
            drawSearch(editor: editor, results: results, cursor: cursor, in: inner, into: &frame)
            return
        }
        let count = state.chat.conversationCount
        let trailing = count > 0 ? Line("\(count)", Style(.muted)) : nil
        frame.box(rect, title: Line("Conversations", Style(.heading, [.bold])), trailing: trailing, focused: focused)
        guard count > 0 else {
            frame.draw("No conversations yet", Style(.muted), row: inner.y, column: inner.x + 1, limit: inner.width - 1)
            return
        }
        let rows = state.chat.conversationRows(state.sidebarTop..<(state.sidebarTop + inner.height))
        for (offset, row) in rows.enumerated() {
            let y = inner.y + offset
            let isCursor = row.id == state.sidebarCursor
            let isOpen = row.id == state.chat.selectedConversationID
            var line = Line()
            line.append(marker(for: row, spinner: state.spinner))
            line.append(" ")
            line.append(ControlPicture.safe(row.title), Style(.normal, isOpen ? [.bold] : []))
            let suffix = suffix(for: row)
            let titleRoom = inner.width - suffix.width - (suffix.width > 0 ? 1 : 0)
            frame.draw(line.truncated(to: titleRoom), row: y, column: inner.x)
            if suffix.width > 0 { frame.draw(suffix, row: y, column: inner.maxX - suffix.width) }
            if isCursor && focused {
                frame.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), Style(.selection, [.reverse]))
            } else if isOpen {
                frame.restyle(Rect(x: inner.x, y: y, width: 1, height: 1), Style(.accent, [.bold]))
            }
        }
    }

    /// Which conversation's row (its place in the list) is at `position`, where `draw` puts the rows
    /// of a sidebar in `rect` that shows row `top` first; nil off the rows.
    static func row(at position: Frame.Position, in rect: Rect, top: Int) -> Int? {
        rect.inside.contains(position) ? top + position.row - rect.inside.y : nil
    }

    /// Which search results the sidebar's inside `inner` shows, two rows each under the query: from
    /// the first, until the cursor goes past the last that fits, then up to the cursor's.
    static func shownResults(count: Int, cursor: Int, in inner: Rect) -> Range<Int> {
        let fit = max(0, (inner.height - 1) / 2)
        let first = max(0, min(cursor - fit + 1, count - fit))
        return first..<min(count, first + fit)
    }

    /// The search result drawn at `position` (its title's row or its snippet's) in the sidebar `rect`.
    static func result(at position: Frame.Position, in rect: Rect, count: Int, cursor: Int) -> Int? {
        let inner = rect.inside
        guard inner.contains(position), position.row > inner.y else { return nil }
        let shown = shownResults(count: count, cursor: cursor, in: inner)
        let result = shown.lowerBound + (position.row - inner.y - 1) / 2
        return shown.contains(result) ? result : nil
    }

    /// The first column: a spinner while a reply streams, ● for an unread reply, ▎ for the open one.
    private static func marker(for row: ConversationRow, spinner: Int) -> Line {
        if row.status == .waitingForConsent { return Line("?", Style(.warning, [.bold])) }
        if row.status == .streaming {
            let frames = MessageHeader.spinnerFrames
            return Line(String(frames[spinner % frames.count]), Style(.accent, [.bold]))
        }
        return row.isUnread ? Line("●", Style(.accent, [.bold])) : Line(" ")
    }

    private static func suffix(for row: ConversationRow) -> Line {
        switch row.status {
        case .failed: Line("✗", Style(.error, [.bold]))
        case .interrupted: Line("!", Style(.warning, [.bold]))
        case .waitingForConsent: Line("consent?", Style(.warning, [.bold]))
        case .idle, .streaming: Line()
        }
    }

    private static func drawSearch(
        editor: InputEditor, results: [SearchResult]?, cursor: Int, in inner: Rect, into frame: inout Frame
    ) {
        var query = Line("/ ", Style(.accent, [.bold]))
        query.append(ControlPicture.safe(editor.text))
        frame.draw(query.truncated(to: inner.width), row: inner.y, column: inner.x)
        frame.cursor = Frame.Position(
            row: inner.y,
            column: min(inner.maxX - 1, inner.x + 2 + Glyphs.width(of: String(editor.characters[..<editor.cursor]))))
        guard let results else {
            frame.draw(
                "Type to search titles and messages", Style(.muted), row: inner.y + 1, column: inner.x,
                limit: inner.width)
            return
        }
        guard !results.isEmpty else {
            frame.draw("No matches", Style(.muted), row: inner.y + 1, column: inner.x, limit: inner.width)
            return
        }
        let shown = shownResults(count: results.count, cursor: cursor, in: inner)
        var y = inner.y + 1
        for index in shown {
            let result = results[index]
            frame.draw(
                Line(ControlPicture.safe(result.title), Style(.normal, [.bold])).truncated(to: inner.width), row: y,
                column: inner.x)
            var snippet = Line(" ")
            for piece in result.snippet {
                let text = ControlPicture.safe(piece.text.replacing("\n", with: " "))
                snippet.append(text, piece.isMatch ? Style(.accent, [.bold, .underline]) : Style(.muted))
            }
            frame.draw(snippet.truncated(to: inner.width), row: y + 1, column: inner.x)
            if index == cursor {
                frame.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 2), Style(.selection, [.reverse]))
            }
            y += 2
        }
    }
}
