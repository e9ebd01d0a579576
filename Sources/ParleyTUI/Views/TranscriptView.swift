import ParleyCore

/// The selected conversation's messages from the scroll position down, a margin each side.
enum TranscriptView {
    static func draw(_ state: AppState, in rect: Rect, layout: TranscriptLayout, into frame: inout Frame) {
        frame.fill(rect)
        let messages = state.chat.selectedTranscript
        guard !messages.isEmpty else {
            drawWelcome(state, in: rect, into: &frame)
            return
        }
        if let comparison = state.shownComparison {
            return CompareView.draw(state, comparison, in: rect, layout: layout, into: &frame)
        }
        let viewport = TranscriptViewport(state: state, layout: layout, pane: rect)
        let marks = TranscriptMarks(state: state, layout: layout)
        var (index, line) = viewport.top
        var y = rect.y
        while y < rect.maxY && index < messages.count {
            let count = viewport.lineCount(index)
            let shown = min(count - line, rect.maxY - y)
            let lines = layout.lines(
                of: messages[index], width: viewport.width, context: viewport.context, spaced: index > 0,
                unfolded: viewport.isUnfolded(index), range: line..<(line + shown))
            let marked = marks.selected(index, viewport: viewport)
            for (offset, text) in lines.enumerated() {
                let row = y + offset
                if marked.contains(line + offset) && (index == 0 || line + offset > 0) {
                    frame.draw("▌", Style(.accent, [.bold]), row: row, column: rect.x)
                }
                frame.draw(text, row: row, column: rect.x + 1, limit: viewport.width)
                if let found = marks.found(index, line: line + offset, viewport: viewport) {
                    FindHighlight.draw(found, on: text, row: row, column: rect.x + 1, into: &frame)
                }
            }
            y += shown
            index += 1
            line = 0
        }
    }

    private static func drawWelcome(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        // Paragraphs, wrapped to the pane below: they reflow at any width.
        let provider = state.defaults.label(state.defaults.provider)
        let keys = state.bindings
        let send = keys.label(.send) ?? "Enter"
        let pick = keys.label(.pickModel).map { " \($0) picks the provider and model." } ?? ""
        var lines: [Line] = [
            Line("Parley", Style(.heading, [.bold])),
            Line(""),
            Line(
                "Type a message below and press \(send). Replies come from \(state.defaults.model) · \(provider).\(pick)"
            ),
        ]
        if state.defaults.provider == "demo" {
            lines.append(
                Line(
                    "This is the offline demo: no key or network needed. To talk to a real model, set a key such as "
                        + "OPENAI_API_KEY (or start Ollama) and pick it, or start Parley with --provider NAME."))
        }
        let tools = state.chat.tools.definitions(for: state.defaults.provider).map(\.name)
        if state.defaults.provider == "demo", tools.contains("clock") {
            lines.append(
                Line("Ask it the time to see a tool round: it calls Parley's clock, once you allow it."))
        } else if !tools.isEmpty {
            lines.append(
                Line(
                    "Tools offered to the model: \(tools.joined(separator: ", ")). Each call asks you first.",
                    Style(.muted)))
        }
        lines.append(Line(""))
        let help = keys.label(.help).map { "\($0) lists every key. " } ?? ""
        let new = keys.label(.newConversation).map { "; \($0) starts a new conversation" } ?? ""
        lines.append(Line("\(help)Tab moves between panes\(new).", Style(.muted)))
        var y = rect.y
        for line in lines {
            for wrapped in Wrap.lines(line.runs, width: max(1, rect.width - 2)) where y < rect.maxY {
                frame.draw(wrapped, row: y, column: rect.x + 1, limit: rect.width - 2)
                y += 1
            }
        }
    }
}

/// The focused reply's reasoning, following it as it streams unless scrolled.
enum ThinkingView {
    static func draw(_ state: AppState, in rect: Rect, layout: TranscriptLayout, into frame: inout Frame) {
        frame.fill(rect)
        let width = textWidth(rect)
        guard let message = state.focusedMessage, message.hasThinking else {
            frame.draw("No reasoning for this message.", Style(.muted), row: rect.y, column: rect.x + 1, limit: width)
            return
        }
        let count = layout.thinkingLineCount(of: message, width: width)
        let top = min(state.thinkingTop ?? max(0, count - rect.height), max(0, count - 1))
        let lines = layout.thinkingLines(of: message, width: width, range: top..<min(count, top + rect.height))
        for (offset, line) in lines.enumerated() {
            frame.draw(
                Line(line.runs.map { Run($0.text, Style(.thinking, [.italic])) }), row: rect.y + offset,
                column: rect.x + 1, limit: width)
        }
        if message.thinking.isEmpty && message.redactedThinking > 0 {
            frame.draw(
                "The provider withheld this reasoning (redacted).", Style(.muted), row: rect.y, column: rect.x + 1,
                limit: width)
        }
    }

    /// The width reasoning is wrapped to in a pane (or the main box) `rect` wide: a margin each side.
    static func textWidth(_ rect: Rect) -> Int { max(1, rect.width - 2) }

    /// The pane's title: "Thinking ── 3.2 s · 412 tok", live while it streams.
    static func title(for message: Message, now: Timestamp) -> Line {
        var title = Line("Thinking", Style(.thinking, [.bold]))
        guard message.hasThinking else { return title }
        let seconds: Duration? =
            message.isLive && message.text.isEmpty ? message.createdAt.duration(to: now) : message.thinkingDuration
        var details: [String] = []
        if let seconds { details.append(Figures.seconds(seconds)) }
        details.append(Figures.thinkingTokens(message).replacing(" tokens", with: " tok"))
        title.append(" ── " + details.joined(separator: " · "), Style(.muted))
        return title
    }
}
