import ParleyCore

extension AppState {
    /// Lines (or sidebar rows) one notch of the wheel scrolls: a few, as terminals scroll their own.
    static let wheelStep = 3

    /// The mouse, while `[app] mouse` is on. The wheel scrolls the pane under the pointer; a click
    /// on a conversation in the sidebar opens it as Enter there does, one on a message in the
    /// transcript chooses it, and a click anywhere else in a pane gives that pane focus; while
    /// searching, a click on a result opens it. Where the panes are is `ScreenLayout`'s to say, as
    /// for drawing. Over a prompt or panel (help, a picker, copy mode, find) it does nothing: its
    /// keys are the way out.
    mutating func mouse(_ event: MouseEvent, layout: TranscriptLayout) -> [AppEffect] {
        guard defaults.mouse else { return [] }
        if case .searching(let editor, let results?, let cursor) = mode {
            return clickOnResult(event, results: results, cursor: cursor, query: editor.text, layout: layout)
        }
        guard mode == .normal else { return [] }
        let screen = screenLayout(layout)
        guard !screen.tooSmall, let pane = screen.pane(at: event.position) else { return [] }
        switch event.action {
        case .wheelUp, .wheelDown:
            let delta = event.action == .wheelUp ? -Self.wheelStep : Self.wheelStep
            switch pane {
            case .sidebar: scrollSidebar(by: delta)
            case .transcript where shownComparison != nil:
                scrollColumns(by: Self.wheelStep, up: event.action == .wheelUp, layout: layout)
            case .transcript: scroll(by: delta, layout: layout)
            case .thinking: scrollThinking(by: delta, layout: layout)
            case .input: break
            }
        case .click:
            if pane == .sidebar, let sidebar = screen.sidebar,
                let row = SidebarView.row(at: event.position, in: sidebar, top: sidebarTop),
                chat.order.indices.contains(row)
            {
                return openFromSidebar(chat.order[row])
            }
            moveFocus(to: pane)
            // A message clicked is chosen, as j/k would choose it (compared columns are Shift-Tab's).
            if pane == .transcript, shownComparison == nil,
                let message = TranscriptViewport(state: self, layout: layout, pane: screen.transcript)
                    .message(atRow: event.position.row - screen.transcript.y)
            {
                messageCursor = message
                thinkingTop = nil
            }
        }
        return []
    }

    /// A click on a search result opens it, as Enter on it does; the wheel and other clicks do
    /// nothing while the search is open (its keys are the way out).
    private mutating func clickOnResult(
        _ event: MouseEvent, results: [SearchResult], cursor: Int, query: String, layout: TranscriptLayout
    ) -> [AppEffect] {
        guard event.action == .click, let sidebar = screenLayout(layout).sidebar,
            let index = SidebarView.result(at: event.position, in: sidebar, count: results.count, cursor: cursor)
        else { return [] }
        mode = .normal
        return openFound(results[index], query: query, layout: layout)
    }
}
