/// A cell's text and look. The right half of a wide glyph is a cell with empty text, so every
/// row has exactly `width` cells.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell(" ")
    public var isContinuation: Bool { text.isEmpty }
}

/// What one frame shows: a grid of cells and where the cursor is. Views render into it; the
/// curses writer draws it; tests compare its text.
public struct Frame: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal cursor blinks (the input editor's caret); nil hides it.
    public var cursor: Position?

    public struct Position: Equatable, Sendable {
        public var row: Int
        public var column: Int

        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
    }

    public init(_ size: Size) {
        self.size = size
        cells = Array(repeating: .blank, count: max(0, size.width * size.height))
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * size.width + column]
    }

    /// Writes `line` at `row`, `column`, clipped to `limit` columns (and the frame). A wide glyph
    /// that would straddle the edge is left out. Returns the columns written.
    @discardableResult
    public mutating func draw(_ line: Line, row: Int, column: Int, limit: Int? = nil) -> Int {
        guard row >= 0, row < size.height, column >= 0 else { return 0 }
        let end = min(size.width, column + (limit ?? size.width))
        var x = column
        for run in line.runs {
            if x >= end { break }
            // Runs of characters that are each one column and never join (ASCII, Latin, box
            // drawing: borders, the status bar's dots) need no measuring.
            if run.text.unicodeScalars.allSatisfy(Glyphs.isSingleColumn) {
                for scalar in run.text.unicodeScalars {
                    guard x < end else { break }
                    cells[row * size.width + x] = Cell(String(scalar), run.style)
                    x += 1
                }
                continue
            }
            for glyph in Glyphs.of(run.text[...], startingAt: x - column) {
                guard x + glyph.width <= end else { return x - column }
                cells[row * size.width + x] = Cell(glyph.text, run.style)
                if glyph.width == 2 { cells[row * size.width + x + 1] = Cell("", run.style) }
                x += glyph.width
            }
        }
        return x - column
    }

    @discardableResult
    public mutating func draw(_ text: String, _ style: Style = .plain, row: Int, column: Int, limit: Int? = nil)
        -> Int
    {
        draw(Line(text, style), row: row, column: column, limit: limit)
    }

    /// Paints `rect` with spaces in `style`.
    public mutating func fill(_ rect: Rect, _ style: Style = .plain) {
        for row in max(0, rect.y)..<min(size.height, rect.maxY) {
            for column in max(0, rect.x)..<min(size.width, rect.maxX) {
                cells[row * size.width + column] = Cell(" ", style)
            }
        }
    }

    /// Changes the style of cells already drawn in `rect` (a selection bar), keeping their text.
    public mutating func restyle(_ rect: Rect, _ style: Style) {
        for row in max(0, rect.y)..<min(size.height, rect.maxY) {
            for column in max(0, rect.x)..<min(size.width, rect.maxX) {
                cells[row * size.width + column].style = style
            }
        }
    }

    /// The frame as text, one string per row, trailing spaces kept: what a snapshot compares.
    public var rows: [String] {
        (0..<size.height).map { row in
            var text = ""
            for column in 0..<size.width where !self[row, column].isContinuation {
                text += self[row, column].text
            }
            return text
        }
    }

    public var text: String {
        rows.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }
}
