import Glibc

/// A cell's glyph and look. The right half of a wide glyph is a cell with no glyph, so every
/// row has exactly `width` cells.
///
/// Two words of plain bits, no `String`: a frame's thousands of cells are made, copied, compared
/// and dropped without reference counting or allocation.
/// A glyph is a spacing scalar and at most four combining marks (what ncurses keeps in a cell),
/// 21 bits each, first in the low bits; a zero ends it.
public struct Cell: Equatable, Sendable {
    /// Scalars 0 to 2.
    private var head: UInt64
    /// Scalars 3 and 4 in the low 42 bits, the style in the top 16.
    private var tail: UInt64

    private static let scalarBits: UInt64 = 21
    private static let scalarMask: UInt64 = (1 << scalarBits) - 1
    private static let styleShift: UInt64 = 48

    public init(_ scalar: Unicode.Scalar, _ style: Style = .plain) {
        head = UInt64(scalar.value)
        tail = Self.bits(of: style)
    }

    /// `text` is one glyph (as `Glyphs` cuts it), or empty for a wide glyph's right half.
    public init(_ text: String, _ style: Style = .plain) {
        head = 0
        tail = Self.bits(of: style)
        for (index, scalar) in text.unicodeScalars.prefix(Glyphs.scalarsPerCell).enumerated() {
            let value = UInt64(scalar.value)
            if index < 3 {
                head |= value << (UInt64(index) * Self.scalarBits)
            } else {
                tail |= value << (UInt64(index - 3) * Self.scalarBits)
            }
        }
    }

    public static let blank = Cell(" " as Unicode.Scalar)
    public var isContinuation: Bool { head == 0 }

    public var style: Style {
        get {
            let bits = UInt16(truncatingIfNeeded: tail >> Self.styleShift)
            // Only `bits(of:)` writes these bits, from a role that exists.
            return Style(
                Style.Role(rawValue: UInt8(truncatingIfNeeded: bits >> 8))!,
                Style.Attributes(rawValue: UInt8(truncatingIfNeeded: bits)))
        }
        set {
            tail = tail & ((1 << Self.styleShift) - 1) | Self.bits(of: newValue)
        }
    }

    /// The glyph's scalar at `index` (0 is the spacing one), nil past its last.
    func scalar(_ index: Int) -> Unicode.Scalar? {
        guard index < Glyphs.scalarsPerCell else { return nil }
        let word = index < 3 ? head : tail
        let value = UInt32(truncatingIfNeeded: word >> (UInt64(index % 3) * Self.scalarBits) & Self.scalarMask)
        return value == 0 ? nil : Unicode.Scalar(value)
    }

    public var text: String {
        var text = ""
        var index = 0
        while let scalar = scalar(index) {
            text.unicodeScalars.append(scalar)
            index += 1
        }
        return text
    }

    private static func bits(of style: Style) -> UInt64 {
        (UInt64(style.role.rawValue) << 8 | UInt64(style.attributes.rawValue)) << styleShift
    }
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
            if let written = drawASCII(run, at: row * size.width + x, columns: end - x) {
                x += written
                continue
            }
            // Other runs of characters that are each one column and never join (Latin, box
            // drawing: borders, the status bar's dots) need no measuring either.
            if run.text.unicodeScalars.allSatisfy(Glyphs.isSingleColumn) {
                for scalar in run.text.unicodeScalars {
                    guard x < end else { break }
                    cells[row * size.width + x] = Cell(scalar, run.style)
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

    /// Printable ASCII, most of what is drawn, is a cell a byte, copied in one pass. Returns the
    /// columns written, or nil when `run` is not all printable ASCII.
    private mutating func drawASCII(_ run: Run, at start: Int, columns: Int) -> Int? {
        var text = run.text
        return text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            let count = min(bytes.count, columns)
            cells.withUnsafeMutableBufferPointer { cells in
                for index in 0..<count { cells[start + index] = Cell(Unicode.Scalar(bytes[index]), run.style) }
            }
            return count
        }
    }

    /// Puts `scalar`, which must be one column wide and join nothing (a border's piece), in each
    /// of `columns` on `row`, clipped to the frame.
    mutating func put(_ scalar: Unicode.Scalar, _ style: Style, row: Int, columns: Range<Int>) {
        let first = max(0, columns.lowerBound)
        let end = min(size.width, columns.upperBound)
        guard row >= 0, row < size.height, first < end else { return }
        cells.withUnsafeMutableBufferPointer { cells in
            cells[(row * size.width + first)..<(row * size.width + end)].update(repeating: Cell(scalar, style))
        }
    }

    /// Paints `rect` with spaces in `style`.
    public mutating func fill(_ rect: Rect, _ style: Style = .plain) {
        for row in max(0, rect.y)..<min(size.height, rect.maxY) {
            put(" ", style, row: row, columns: rect.x..<rect.maxX)
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

    /// Whether `row` holds the same cells in both frames, which must be of one size: one
    /// `memcmp`, a cell being two words of plain bits (every row of every frame is compared).
    func sameRow(_ row: Int, as other: Frame) -> Bool {
        let bytes = size.width * MemoryLayout<Cell>.stride
        let start = row * bytes
        return cells.withUnsafeBytes { mine in
            other.cells.withUnsafeBytes { theirs in
                guard bytes > 0, let mine = mine.baseAddress, let theirs = theirs.baseAddress else { return true }
                return memcmp(mine + start, theirs + start, bytes) == 0
            }
        }
    }

    /// The frame as text, one string per row, trailing spaces kept: what a snapshot compares.
    public var rows: [String] {
        (0..<size.height).map { row in
            var text = ""
            for column in 0..<size.width { text += self[row, column].text }
            return text
        }
    }

    public var text: String {
        rows.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }
}
