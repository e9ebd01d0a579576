extension Frame {
    /// A box's border with a title on the left of its top edge and another on the right.
    mutating func box(_ rect: Rect, title: Line, trailing: Line? = nil, focused: Bool) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let border = Style(focused ? .focusedBorder : .border, focused ? [.bold] : [])
        let horizontal = String(repeating: "─", count: rect.width - 2)
        draw("┌" + horizontal + "┐", border, row: rect.y, column: rect.x)
        draw("└" + horizontal + "┘", border, row: rect.maxY - 1, column: rect.x)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            draw("│", border, row: row, column: rect.x)
            draw("│", border, row: row, column: rect.maxX - 1)
        }
        edgeTitles(row: rect.y, rect: rect, title: title, trailing: trailing)
    }

    /// A line across a box (├────┤) with titles, splitting it into panes.
    mutating func separator(row: Int, in rect: Rect, title: Line, trailing: Line? = nil, focused: Bool) {
        guard rect.width >= 2 else { return }
        let border = Style(focused ? .focusedBorder : .border, focused ? [.bold] : [])
        draw("├" + String(repeating: "─", count: rect.width - 2) + "┤", border, row: row, column: rect.x)
        edgeTitles(row: row, rect: rect, title: title, trailing: trailing)
    }

    private mutating func edgeTitles(row: Int, rect: Rect, title: Line, trailing: Line?) {
        let room = rect.width - 4
        guard room > 0 else { return }
        var left = Line()
        if title.width > 0 {
            left = Line(" ")
            for run in title.runs { left.append(run.text, run.style) }
            left.append(" ")
        }
        let leftShown = left.truncated(to: room)
        draw(leftShown, row: row, column: rect.x + 1)
        guard let trailing, trailing.width > 0 else { return }
        var right = Line(" ")
        for run in trailing.runs { right.append(run.text, run.style) }
        right.append(" ")
        let rightRoom = room - leftShown.width - 1
        guard rightRoom >= 6 else { return }
        let rightShown = right.truncated(to: rightRoom)
        draw(rightShown, row: row, column: rect.maxX - 1 - rightShown.width)
    }
}
