/// F1: every key, from the bindings table itself, so help is never out of date.
enum HelpView {
    static func draw(_ state: AppState, top: Int, into frame: inout Frame) {
        let listing = state.bindings.listing
        // Each command's name as the config file's [keys] calls it, to rebind it.
        let lines: [Line] = listing.map { entry in
            var line = Line(entry.keys.map(\.name).joined(separator: " ").padded(to: 22), Style(.accent, [.bold]))
            line.append(entry.command.summary)
            line.append("  [\(entry.command.rawValue)]", Style(.muted))
            return line
        }
        let editing = [
            "Editing: Ctrl-A/E line start/end · Ctrl-K/U cut to end/start · Ctrl-W cut word",
            "Alt-B/F word back/forward · ↑ on an empty line: history · pasting keeps new lines",
            "Navigation keys (letters) work when the message editor does not have focus.",
            "A tool call asking for consent: y runs it once · a allows the tool in this conversation · n refuses.",
            state.defaults.mouse
                ? "Mouse: the wheel scrolls the pane under it · a click opens a conversation, chooses a message or focuses a pane."
                : "The mouse selects text as the terminal does; [app] mouse = true lets it scroll and click.",
            "[name]: the command's name in the config file, to rebind it: [keys] name = [\"f5\"].",
            "↑/↓ and PgUp/PgDn scroll this list; any other key closes it.",
        ].map { Line($0, Style(.muted)) }
        let all = lines + [Line()] + editing
        let width = min(frame.size.width - 2, max(40, (all.map(\.width).max() ?? 40) + 4))
        let height = min(frame.size.height - 2, all.count + 2)
        guard width >= 10, height >= 3 else { return }
        let rect = Rect(
            x: (frame.size.width - width) / 2, y: max(0, (frame.size.height - 1 - height) / 2), width: width,
            height: height)
        frame.fill(rect)
        frame.box(rect, title: Line("Keys", Style(.heading, [.bold])), focused: true)
        let rows = height - 2
        let first = min(top, max(0, all.count - rows))
        for (offset, line) in all.dropFirst(first).prefix(rows).enumerated() {
            frame.draw(line.truncated(to: width - 4), row: rect.y + 1 + offset, column: rect.x + 2)
        }
        if all.count > rows {
            let position = Line(" \(first + 1)–\(first + rows) of \(all.count) ", Style(.muted))
            frame.draw(position, row: rect.maxY - 1, column: rect.maxX - 2 - position.width)
        }
    }
}

extension String {
    func padded(to width: Int) -> String {
        let current = Glyphs.width(of: self)
        return current >= width ? self + " " : self + String(repeating: " ", count: width - current)
    }
}
