/// A Markdown table as GitHub reads it: a header row, a delimiter row (`---`, `:--`, `:-:`, `--:`)
/// with as many cells, then rows until a blank line or another block. Rows with fewer cells get
/// empty ones; cells past the header's are left out.
enum Table {
    enum Alignment: Equatable, Sendable {
        case left, center, right
    }

    /// Columns between two cells: " │ ".
    static let gap = 3

    /// A row's cells, without the pipes at its ends; `\|` is a pipe inside a cell.
    static func cells(_ line: Substring) -> [Substring] {
        var row = line.trimmingSpaces
        if row.first == "|" { row = row.dropFirst() }
        if row.last == "|", !isEscaped(row, row.index(before: row.endIndex)) { row = row.dropLast() }
        var cells: [Substring] = []
        var start = row.startIndex
        var index = row.startIndex
        while index < row.endIndex {
            if row[index] == "|", !isEscaped(row, index) {
                cells.append(row[start..<index].trimmingSpaces)
                start = row.index(after: index)
            }
            index = row.index(after: index)
        }
        cells.append(row[start...].trimmingSpaces)
        return cells
    }

    private static func isEscaped(_ text: Substring, _ index: Substring.Index) -> Bool {
        index > text.startIndex && text[text.index(before: index)] == "\\"
    }

    /// The delimiter row's alignments, or nil when `line` is not one.
    static func alignments(_ line: Substring) -> [Alignment]? {
        // By bytes first: text is told apart at its first letter.
        guard line.utf8.contains(UInt8(ascii: "|")), line.utf8.allSatisfy(isDelimiterByte) else { return nil }
        var alignments: [Alignment] = []
        for cell in cells(line) {
            let dashes = cell.drop { $0 == ":" }
            let inner = dashes.last == ":" ? dashes.dropLast() : dashes
            guard !inner.isEmpty, inner.allSatisfy({ $0 == "-" }), dashes.count + 1 >= cell.count else { return nil }
            switch (cell.first == ":", cell.last == ":") {
            case (true, true): alignments.append(.center)
            case (false, true): alignments.append(.right)
            default: alignments.append(.left)
            }
        }
        return alignments
    }

    /// The bytes a delimiter row is made of.
    private static func isDelimiterByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: ":") || byte == 0x20
            || byte == 0x09
    }

    /// Whether `line`, still being written, may become a delimiter row: only dashes, colons,
    /// pipes and spaces, with a dash.
    static func mayBeDelimiter(_ line: Substring) -> Bool {
        line.utf8.contains(UInt8(ascii: "-")) && line.utf8.allSatisfy(isDelimiterByte)
    }

    /// A cell's text as shown: its inline Markdown, `\\|` as a pipe, tabs as spaces (a cell has no
    /// tab stops). Cells are made a row at a time, often: the common cell, with neither, is not copied.
    static func runs(_ cell: Substring, header: Bool) -> [Run] {
        let base = header ? Style(.normal, [.bold]) : .plain
        guard cell.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") }) else {
            return Inline.runs(cell, base: base)
        }
        var text = ""
        var index = cell.startIndex
        while index < cell.endIndex {
            let next = cell.index(after: index)
            if cell[index] == "\\", next < cell.endIndex, cell[next] == "|" {
                text.append("|")
                index = cell.index(after: next)
                continue
            }
            text.append(cell[index] == "\t" ? " " : cell[index])
            index = next
        }
        return Inline.runs(text[...], base: base)
    }

    static func width(of runs: [Run]) -> Int { runs.reduce(0) { $0 + Glyphs.width(of: $1.text) } }
}

/// What a table's finished rows say about it: each column's alignment and widest cell.
struct TableShape: Equatable, Sendable {
    var alignments: [Table.Alignment]
    var widest: [Int]

    init(header: Substring, alignments: [Table.Alignment]) {
        self.alignments = alignments
        widest = Array(repeating: 0, count: alignments.count)
        add(header, header: true)
    }

    mutating func add(_ row: Substring, header: Bool = false) {
        for (column, cell) in Table.cells(row).prefix(widest.count).enumerated() {
            widest[column] = max(widest[column], Table.width(of: Table.runs(cell, header: header)))
        }
    }

    /// Column widths for a pane `width` wide: each column as wide as its widest cell when they all
    /// fit; else the room is shared out fairly (narrow columns keep their width, wide ones share the
    /// rest, their cells wrapping).
    func fitted(to width: Int) -> TableGrid {
        let count = widest.count
        let room = width - Table.gap * (count - 1)
        var widths = widest.map { max($0, 1) }
        if widths.reduce(0, +) > room {
            var left = max(room, 0)
            for (done, column) in widths.indices.sorted(by: { widest[$0] < widest[$1] }).enumerated() {
                let share = left / (count - done)
                widths[column] = max(1, min(widest[column], share))
                left -= min(widest[column], share)
            }
        }
        return TableGrid(
            alignments: alignments, widths: widths, paneWidth: width,
            wraps: zip(widths, widest).contains { $0 < $1 })
    }
}

/// A table's columns fitted to a pane: how each row is laid out.
struct TableGrid: Equatable, Sendable {
    var alignments: [Table.Alignment]
    var widths: [Int]
    var paneWidth: Int
    /// Some column is narrower than its widest cell. When none is, every row its shape has taken
    /// in is one line: counting a table's rows again when a column widens costs nothing per row.
    var wraps: Bool

    /// The rule under the header: ───┼───.
    var rule: Line {
        Line(widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─"), Style(.muted)).truncated(
            to: paneWidth)
    }

    /// A row's display lines: each cell wrapped within its column, aligned, columns set apart by
    /// a light rule; never wider than the pane (a pane too narrow for the columns cuts the row).
    /// `sized`: the row is one of those the columns were sized by (not one still being written).
    func lines(_ row: Substring, header: Bool, sized: Bool) -> [Line] {
        let cells =
            sized && !wraps
            ? Table.cells(row).map { [Line(Table.runs($0, header: header))] }
            : wrappedCells(row, header: header, counting: false).map(\.lines)
        let height = cells.map(\.count).max() ?? 1
        return (0..<height).map { index in
            var line = Line()
            for (column, width) in widths.enumerated() {
                if column > 0 { line.append(" │ ", Style(.muted)) }
                let cell = column < cells.count && index < cells[column].count ? cells[column][index] : .empty
                let pad = max(0, width - cell.width)
                let before =
                    switch alignments[column] {
                    case .left: 0
                    case .center: pad / 2
                    case .right: pad
                    }
                line.append(String(repeating: " ", count: before))
                line.append(cell)
                line.append(String(repeating: " ", count: pad - before))
            }
            return line.truncated(to: paneWidth)
        }
    }

    /// How many lines `lines(row, header:, sized:)` gives, without making them.
    func lineCount(_ row: Substring, header: Bool, sized: Bool) -> Int {
        guard wraps || !sized else { return 1 }
        return wrappedCells(row, header: header, counting: true).map(\.lineCount).max() ?? 1
    }

    private func wrappedCells(_ row: Substring, header: Bool, counting: Bool) -> [LineWrapper] {
        zip(Table.cells(row), widths).map { cell, width in
            var wrapper = LineWrapper(width: width, firstPrefix: .empty, restPrefix: .empty, counting: counting)
            for run in Table.runs(cell, header: header) { wrapper.feed(run.text[...], run.style) }
            return wrapper
        }
    }
}
