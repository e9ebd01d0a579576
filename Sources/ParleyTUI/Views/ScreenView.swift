import ParleyCore

/// The whole screen as a pure function of the state: `render(state) -> Frame`. No curses, no
/// clock, no database; the layout cache only saves work.
public enum ScreenView {
    public static func render(_ state: AppState, layout: TranscriptLayout) -> Frame {
        var frame = Frame(state.size)
        let screen = state.screenLayout(layout)
        if screen.tooSmall {
            // The longest that fits: a bare "(20×6)" would read as the terminal's own size.
            let notices = ["Terminal too small: Parley needs at least 20×6.", "Too small: needs 20×6", "Needs 20×6"]
            let notice = notices.first { Glyphs.width(of: $0) <= state.size.width } ?? notices[notices.count - 1]
            frame.draw(Line(notice, Style(.warning, [.bold])).truncated(to: state.size.width), row: 0, column: 0)
            return frame
        }
        if let sidebar = screen.sidebar, !screen.sidebarOverlays {
            SidebarView.draw(state, in: sidebar, into: &frame)
        }
        drawConversation(state, screen: screen, layout: layout, into: &frame)
        StatusBarView.draw(state, in: screen.status, into: &frame)
        if let sidebar = screen.sidebar, screen.sidebarOverlays {
            SidebarView.draw(state, in: sidebar, into: &frame)
        }
        if case .help(let top) = state.mode {
            frame.cursor = nil
            HelpView.draw(state, top: top, into: &frame)
        }
        if case .picking(let picker) = state.mode {
            frame.cursor = nil
            PickerView.draw(state, picker: picker, into: &frame)
        }
        return frame
    }

    private static func drawConversation(
        _ state: AppState, screen: ScreenLayout, layout: TranscriptLayout, into frame: inout Frame
    ) {
        let conversation = state.selectedConversation
        let title = Line(ControlPicture.safe(conversation?.title ?? "New conversation"), Style(.heading, [.bold]))
        let model = Figures.modelName(conversation?.model ?? state.defaults.model)
        let provider = state.defaults.label(conversation?.provider ?? state.defaults.provider)
        let reasoning = conversation?.reasoning ?? state.defaults.reasoning
        // The preset in use by name, or that a system prompt of its own is.
        let system = conversation.map(\.systemPrompt) ?? state.defaults.systemPrompt
        let preset = system.map { prompt in
            state.choices.presets.first { $0.system == prompt }.map { " · preset \($0.name)" } ?? " · system prompt"
        }
        // What the conversation took and cost so far: "Σ 14.2k tok · $0.0612".
        let totals = state.conversationTotals.map { totals in
            " · Σ \(Usage.short(totals.inputTokens + totals.outputTokens)) tok · \(totals.costText)"
        }
        let trailing = Line(
            "\(model) · \(provider)" + (preset ?? "")
                + (reasoning.isExplicit ? " · reasoning \(reasoning.name)" : "") + (totals ?? ""), Style(.muted))
        frame.box(screen.main, title: title, trailing: trailing, focused: state.focus == .transcript)
        TranscriptView.draw(state, in: screen.transcript, layout: layout, into: &frame)
        if let thinking = screen.thinking, let message = state.focusedMessage {
            frame.separator(
                row: thinking.y - 1, in: screen.main, title: ThinkingView.title(for: message, now: state.now),
                focused: state.focus == .thinking)
            ThinkingView.draw(state, in: thinking, layout: layout, into: &frame)
        }
        var inputTitle =
            state.editing == nil
            ? Line()
            : Line("Editing your \(state.editsLastMessage ? "last" : "earlier") message", Style(.warning, [.bold]))
        if !state.pendingAttachments.isEmpty {
            if state.editing != nil { inputTitle.append(" · ") }
            inputTitle.append(InputView.chips(state.pendingAttachments))
        }
        frame.separator(row: screen.input.y - 1, in: screen.main, title: inputTitle, focused: state.focus == .input)
        drawInput(state, in: screen.input, into: &frame)
    }

    private static func drawInput(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        frame.fill(rect)
        let (rows, caret) = InputView.rows(state.editor, width: rect.width)
        if state.editor.isEmpty {
            var line = Line(InputView.prompt, Style(.accent, [.bold]))
            if state.focus == .input || state.chat.selectedTranscript.isEmpty {
                line.append(InputView.placeholder(state.bindings), Style(.placeholder))
            }
            frame.draw(line.truncated(to: rect.width), row: rect.y, column: rect.x)
        } else {
            // Keep the caret's row in view when the message is taller than the pane.
            let first = max(0, caret.row - rect.height + 1)
            for (offset, row) in rows.dropFirst(first).prefix(rect.height).enumerated() {
                frame.draw(row, row: rect.y + offset, column: rect.x, limit: rect.width)
            }
        }
        if state.focus == .input, state.mode == .normal {
            let first = max(0, caret.row - rect.height + 1)
            frame.cursor = Frame.Position(
                row: rect.y + caret.row - first, column: rect.x + min(caret.column, rect.width - 1))
        }
    }
}
