import ParleyCore

/// The bottom line: the open prompt, or what needs saying (a notice, a hint, the reply's state
/// and figures) on the left, the two keys everyone needs on the right.
enum StatusBarView {
    /// The keys for help and quitting, as they are bound.
    static func keys(_ bindings: KeyBindings) -> String {
        [(Command.help, "help"), (.quit, "quit")].compactMap { command, what in
            bindings.label(command).map { "\($0) \(what)" }
        }.joined(separator: "  ")
    }

    static func draw(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        frame.fill(rect, Style(.muted))
        switch state.mode {
        case .renaming(_, let editor):
            prompt("Rename: ", editor, in: rect, into: &frame)
            return
        case .attaching(let editor, let choices):
            var after = Line(choices.isEmpty ? "   Tab completes · Enter attaches · Esc closes" : "   ", Style(.muted))
            after.append(choices.map(ControlPicture.safe).joined(separator: "  "), Style(.muted))
            prompt("Attach file: ", editor, after: after, in: rect, into: &frame)
            return
        case .offeringAttachment(let path, _):
            let line = Line(
                "Attach \(ControlPicture.safe(path))? Enter attaches it · any other key keeps the path as text",
                Style(.accent, [.bold]))
            frame.draw(line.truncated(to: rect.width - 1), row: rect.y, column: rect.x + 1)
            return
        case .confirmingDelete(let id):
            let title = state.chat.conversations[id]?.title ?? "this conversation"
            let line = Line(
                "Delete “\(ControlPicture.safe(title))” and all its messages? y deletes, any other key keeps it",
                Style(.warning, [.bold]))
            frame.draw(line.truncated(to: rect.width), row: rect.y, column: rect.x)
            return
        case .confirmingBranchDelete:
            let line = Line(
                "Delete this branch and everything after it? y deletes, any other key keeps it",
                Style(.warning, [.bold]))
            frame.draw(line.truncated(to: rect.width), row: rect.y, column: rect.x)
            return
        case .picking(let picker):
            // The picker's own keys (not rebindable, like a prompt's).
            let line = Line(
                "↑/↓ move · Enter chooses · Esc closes · type to filter"
                    + (picker.reasoning == nil ? "" : " · Tab reasoning"), Style(.accent))
            frame.draw(line.truncated(to: rect.width - 1), row: rect.y, column: rect.x + 1)
            return
        case .copying(let selection):
            frame.draw(
                copyLine(selection, in: state.chat.selectedTranscript).truncated(to: rect.width - 1), row: rect.y,
                column: rect.x + 1)
            return
        case .finding(let find):
            let count = find.count
            let keys =
                find.matches == nil || find.query != find.editor.text
                ? "Enter finds · Esc closes" : "Enter next · Shift-Tab previous · Esc closes"
            var after = Line("   ")
            if !count.isEmpty { after.append(count + " · ", Style(count == "no match" ? .warning : .accent, [.bold])) }
            after.append(keys, Style(.muted))
            prompt("Find: ", find.editor, after: after, in: rect, into: &frame)
            return
        case .normal, .help, .searching:
            if state.mode == .normal, let question = state.consentQuestion {
                frame.draw(
                    ConsentPrompt.line(for: question, bindings: state.bindings).truncated(to: rect.width - 1),
                    row: rect.y, column: rect.x + 1)
                return
            }
        }
        let right = Line(keys(state.bindings), Style(.muted))
        let showsKeys = rect.width >= right.width + 20
        let room = showsKeys ? rect.width - right.width - 2 : rect.width
        frame.draw(left(state).truncated(to: room - 1), row: rect.y, column: rect.x + 1)
        if showsKeys { frame.draw(right, row: rect.y, column: rect.maxX - right.width - 1) }
    }

    /// Copy mode's line: what is chosen, and its keys (its own, like a prompt's).
    private static func copyLine(_ selection: CopySelection, in transcript: [Message]) -> Line {
        var chosen = "message \(selection.message + 1) of \(transcript.count)"
        if let block = selection.block {
            let language = block.language.map { ", \(ControlPicture.safe($0))" } ?? ""
            chosen = "code block \(selection.blockIndex + 1) of \(selection.blockCount)\(language) in \(chosen)"
        }
        var line = Line("Copy: ", Style(.accent, [.bold]))
        line.append(chosen, Style(.accent))
        line.append("   j/k message · Tab/Shift-Tab code block · Enter copies · Esc leaves", Style(.muted))
        return line
    }

    /// A one-line prompt: its label, what is typed, what follows it, and the caret in the text.
    private static func prompt(
        _ label: String, _ editor: InputEditor, after: Line = Line(), in rect: Rect, into frame: inout Frame
    ) {
        var line = Line(label, Style(.accent, [.bold]))
        line.append(ControlPicture.safe(editor.text))
        line.append(after)
        frame.draw(line.truncated(to: rect.width), row: rect.y, column: rect.x)
        let caret =
            Glyphs.width(of: label) + Glyphs.width(of: ControlPicture.safe(String(editor.characters[..<editor.cursor])))
        frame.cursor = Frame.Position(row: rect.y, column: min(rect.maxX - 1, rect.x + caret))
    }

    private static func left(_ state: AppState) -> Line {
        if let notice = state.chat.notice {
            return Line(NoticeText.describe(notice, in: state.chat), Style(.error, [.bold]))
        }
        if let hint = state.hint { return Line(hint, Style(.accent)) }
        if let models = state.comparingHere {
            let back = state.bindings.label(.cancelReply).map { " (\($0): one model)" } ?? ""
            return Line("Next message to \(models.count) models: \(AppState.spoken(models))\(back)", Style(.accent))
        }
        guard let reply = state.chat.selectedTranscript.last(where: { $0.role == .assistant }) else {
            let conversation = state.selectedConversation
            let model = conversation?.model ?? state.defaults.model
            let provider = state.defaults.label(conversation?.provider ?? state.defaults.provider)
            return Line("\(model) · \(provider)", Style(.muted))
        }
        return figures(reply, state: state)
    }

    /// "streaming · TTFT 312 ms · 48 tok/s · in 1,204 / out 380 tok", or how the reply ended.
    private static func figures(_ reply: Message, state: AppState) -> Line {
        var parts: [String] = []
        let style: Style
        switch reply.status {
        case .pending:
            parts.append("waiting for \(state.defaults.label(reply.provider ?? ""))")
            style = Style(.accent)
        case .streaming:
            parts.append("streaming")
            style = Style(.accent)
        case .failed:
            return Line(
                "✗ " + (reply.error?.message ?? "the reply failed")
                    + (state.bindings.label(.regenerate).map { " (\($0) tries again)" } ?? ""), Style(.error, [.bold]))
        case .cancelled:
            parts.append("cancelled")
            style = Style(.warning)
        case .interrupted:
            parts.append("interrupted")
            style = Style(.warning)
        case .complete, .sending, .sent:
            parts.append(reply.model ?? "done")
            style = Style(.muted)
        }
        parts += speed(of: reply, now: state.now)
        var line = Line(parts.joined(separator: " · "), style)
        // How full the context is, once the reply says what it took; a warning when nearly full.
        if let usage = reply.usage, !reply.isLive {
            let fill = ContextWindow.Fill(after: usage, window: state.contextWindow(of: state.selectedModel))
            if fill.isNearlyFull {
                line.append(
                    " · \(fill.text), nearly full: the next message may not fit; /compact summarizes the conversation",
                    Style(.warning, [.bold]))
            } else {
                line.append(" · \(fill.text)", style)
            }
        }
        return line
    }

    /// "TTFT 312 ms · 48 tok/s · in 1,204 / out 380 tok": how fast a reply came and how much, its
    /// output estimated while it streams.
    static func speed(of reply: Message, now: Timestamp) -> [String] {
        var parts: [String] = []
        if let ttft = reply.timeToFirstToken { parts.append("TTFT \(Figures.milliseconds(ttft))") }
        if let speed = tokensPerSecond(reply, now: now) { parts.append("\(speed) tok/s") }
        if let usage = reply.usage {
            parts.append(Figures.usage(usage))
        } else if reply.isLive, !reply.text.isEmpty || !reply.thinking.isEmpty {
            let tokens = Usage.estimatedTokens(in: reply.text) + Usage.estimatedTokens(in: reply.thinking)
            parts.append("out ~\(Figures.grouped(tokens)) tok")
        }
        return parts
    }

    /// Output tokens over the time since the first one; estimated while the reply streams.
    static func tokensPerSecond(_ reply: Message, now: Timestamp) -> Int? {
        guard let ttft = reply.timeToFirstToken else { return nil }
        let tokens =
            reply.usage?.outputTokens
            ?? Usage.estimatedTokens(in: reply.text) + Usage.estimatedTokens(in: reply.thinking)
        let total = reply.isLive ? reply.createdAt.duration(to: now) : reply.duration
        // A speed over less than a fifth of a second is noise, not worth showing.
        guard let total, total - ttft >= .milliseconds(200) else { return nil }
        return Usage.tokensPerSecond(tokens, generating: total - ttft).map { Int($0.rounded()) }
    }
}
