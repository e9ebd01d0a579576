/// Which finished lines of a Markdown text are a table's, taken one at a time: a line that may be a
/// header is held until the next says whether it is its delimiter row; the rows after it are the
/// lines that start no other block. The one place these rules are applied line by line: by
/// `MessageBody` as it lays a text out, and by its search for a place a long text's layout may start.
///
/// A table's columns are sized by its header and its first `sizingRows` rows; the rows after them
/// are fitted into those columns. So the end of a table of many thousands of rows is laid out
/// knowing only its start, and a row far down never widens the columns of every row above it.
struct TableLines: Sendable {
    /// The table the lines so far end in.
    private(set) var open: Open?
    /// A line that is a table's header if the next one is its delimiter row.
    private(set) var held: Held?

    /// More than a model writes by hand in a table: past them, it is a dump of data.
    static let sizingRows = 10_000

    struct Open: Sendable {
        var shape: TableShape
        /// How many rows (the header not counted) have sized the columns.
        var sizedRows = 0
        /// The columns are sized: no row to come changes them.
        var isSized: Bool { sizedRows >= TableLines.sizingRows }
    }

    struct Held: Sendable {
        /// Where it is in the text (UTF-8 offsets).
        var range: Range<Int>
        /// A copy (it is short: it may be a table's row): the text it was cut from is not kept for it.
        var line: String
    }

    /// What a line is to the tables.
    enum Step {
        /// A row of the open table; `shape`: the table's with this row in it, when it is one of the
        /// rows the columns are sized by.
        case row(shape: TableShape?)
        /// The delimiter row of a new table, under its header (the line held before it).
        case opened(header: Held, shape: TableShape)
        /// Text, or a line held as it may be a header. `released`: the line held before it, which
        /// is text after all.
        case text(released: Held?)
        case held(released: Held?)
    }

    /// Takes the finished line `line` (at `range` in the text) laid out with `markdown`, the state
    /// the lines before it left.
    mutating func take(_ line: Substring, at range: Range<Int>, markdown: MarkdownLayout) -> Step {
        if open != nil {
            if markdown.continuesTable(line) {
                guard open?.isSized == false else { return .row(shape: nil) }
                // In place: a copy would copy the column widths, a row at a time.
                open?.shape.add(line)
                open?.sizedRows += 1
                return .row(shape: open?.shape)
            }
            open = nil
        }
        let released = held
        held = nil
        if let header = released, let alignments = Table.alignments(line),
            alignments.count == Table.cells(header.line[...]).count
        {
            let shape = TableShape(header: header.line[...], alignments: alignments)
            open = Open(shape: shape)
            return .opened(header: header, shape: shape)
        }
        if markdown.mayBeTableHeader(line) {
            held = Held(range: range, line: String(line))
            return .held(released: released)
        }
        return .text(released: released)
    }
}
