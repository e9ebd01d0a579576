import ParleyCore

/// The model or preset picker: a box over the conversation with the query on top and the list
/// under it, scrolled to keep the cursor in view; ● marks what is in use now.
enum PickerView {
    static let maxHeight = 20

    static func draw(_ state: AppState, picker: Picker, into frame: inout Frame) {
        let width = min(frame.size.width - 2, 72)
        let rows = state.rows(for: picker)
        let lines = layout(rows, cursor: picker.cursor(in: rows), marked: picker.marked, width - 4)
        // As tall as the list (at least a few lines, so it does not jump while lists arrive).
        let height = min(frame.size.height - 1, maxHeight, max(10, lines.count + 4))
        guard width >= 16, height >= 5 else { return }
        // The top stays where the tallest box would have it, so the box does not move as it filters.
        let tallest = min(frame.size.height - 1, maxHeight)
        let rect = Rect(
            x: (frame.size.width - width) / 2, y: max(0, (frame.size.height - 1 - tallest) / 2), width: width,
            height: height)
        frame.fill(rect)
        frame.box(rect, title: title(state, picker), focused: true)
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)

        var query = Line("> ", Style(.accent, [.bold]))
        query.append(ControlPicture.safe(picker.query.text))
        if picker.query.isEmpty { query.append("type to filter", Style(.placeholder)) }
        // The reasoning setting chosen with the model, on the query's line, right.
        var setting = Line()
        if let reasoning = picker.reasoning {
            setting = Line("reasoning ", Style(.muted))
            setting.append(reasoning.name, Style(.accent, [.bold]))
            setting.append(" (Tab)", Style(.muted))
        }
        let showsSetting = setting.width > 0 && inner.width >= setting.width + 20
        frame.draw(
            query.truncated(to: showsSetting ? inner.width - setting.width - 1 : inner.width), row: inner.y,
            column: inner.x)
        if showsSetting { frame.draw(setting, row: inner.y, column: inner.maxX - setting.width) }
        let caret = Glyphs.width(of: ControlPicture.safe(String(picker.query.characters[..<picker.query.cursor])))
        frame.cursor = Frame.Position(row: inner.y, column: min(inner.maxX - 1, inner.x + 2 + caret))

        let room = inner.height - 2
        let selected = lines.firstIndex { $0.isCursor } ?? 0
        // Keep the cursor in view, with a line below it when it has scrolled.
        let top = selected < room ? 0 : max(0, min(selected - room + 2, lines.count - room))
        for (offset, line) in lines.dropFirst(top).prefix(room).enumerated() {
            let y = inner.y + 2 + offset
            frame.draw(line.text.truncated(to: inner.width), row: y, column: inner.x)
            if line.isCursor {
                frame.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), Style(.selection, [.reverse]))
            }
        }
        if picker.kind == .model {
            let hint =
                picker.marked.isEmpty
                ? " Ctrl-Space marks models to compare " : " \(picker.marked.count) marked · Enter compares them "
            frame.draw(Line(hint, Style(.muted)).truncated(to: inner.width - 2), row: rect.maxY - 1, column: inner.x)
        }
        if top > 0 { frame.draw("↑", Style(.muted), row: inner.y + 1, column: inner.maxX - 1) }
        if top + room < lines.count { frame.draw("↓", Style(.muted), row: rect.maxY - 1, column: inner.maxX - 1) }
    }

    private static func title(_ state: AppState, _ picker: Picker) -> Line {
        let what = picker.kind == .model ? "Model" : "System prompt"
        var line = Line(what, Style(.heading, [.bold]))
        if let id = picker.conversation, let conversation = state.chat.conversations[id] {
            line.append(" for “\(ControlPicture.safe(conversation.title))”", Style(.muted))
        } else {
            line.append(" for new conversations", Style(.muted))
        }
        return line
    }

    private struct Drawn {
        var text: Line
        var isCursor = false
    }

    /// The rows as lines: headings bold, items indented with ● for the current one, notes muted
    /// (errors in the error colour) and wrapped so the whole message shows.
    private static func layout(_ rows: [Picker.Row], cursor: Picker.Item?, marked: [Picker.Item], _ width: Int)
        -> [Drawn]
    {
        var lines: [Drawn] = []
        for row in rows {
            switch row {
            case .heading(let text):
                lines.append(Drawn(text: Line(text, Style(.heading, [.bold]))))
            case .item(let item, let label, let detail, let isCurrent):
                // Models marked for compare show their column's number.
                let mark = marked.firstIndex(of: item).map { "[\($0 + 1)] " } ?? (isCurrent ? "  ● " : "    ")
                var line = Line(mark, Style(.accent, [.bold]))
                line.append(ControlPicture.safe(label), Style(.normal, isCurrent ? [.bold] : []))
                if let detail, !detail.isEmpty {
                    line.append("  " + ControlPicture.safe(detail), Style(.muted))
                }
                lines.append(Drawn(text: line, isCursor: item == cursor))
            case .note(let text, let isError):
                let style = isError ? Style(.error) : Style(.muted)
                let prefix = Line("    ")
                let wrapped = Wrap.lines(
                    [Run(ControlPicture.safe(text), style)], width: max(8, width), firstPrefix: prefix,
                    restPrefix: prefix)
                lines += wrapped.prefix(4).map { Drawn(text: $0) }
            }
        }
        return lines
    }
}
