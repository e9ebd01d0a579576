extension Frame {
    /// A box's border with a title on the left of its top edge and another on the right.
    mutating func box(_ rect: Rect, title: Line, trailing: Line? = nil, focused: Bool) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let border = Style(focused ? .focusedBorder : .border, focused ? [.bold] : [])
        edge(row: rect.y, of: rect, "┌", "┐", border)
        edge(row: rect.maxY - 1, of: rect, "└", "┘", border)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            put("│", border, row: row, columns: rect.x..<(rect.x + 1))
            put("│", border, row: row, columns: (rect.maxX - 1)..<rect.maxX)
        }
        edgeTitles(row: rect.y, rect: rect, title: title, trailing: trailing)
    }

    /// A line across a box (├────┤) with titles, splitting it into panes.
    mutating func separator(row: Int, in rect: Rect, title: Line, trailing: Line? = nil, focused: Bool) {
        guard rect.width >= 2 else { return }
        let border = Style(focused ? .focusedBorder : .border, focused ? [.bold] : [])
        edge(row: row, of: rect, "├", "┤", border)
        edgeTitles(row: row, rect: rect, title: title, trailing: trailing)
    }

    /// A horizontal edge across `rect` between two corners, put straight into the frame's cells:
    /// every frame draws its borders anew, so no string is built for them.
    private mutating func edge(row: Int, of rect: Rect, _ left: Unicode.Scalar, _ right: Unicode.Scalar, _ style: Style)
    {
        put(left, style, row: row, columns: rect.x..<(rect.x + 1))
        put("─", style, row: row, columns: (rect.x + 1)..<(rect.maxX - 1))
        put(right, style, row: row, columns: (rect.maxX - 1)..<rect.maxX)
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
