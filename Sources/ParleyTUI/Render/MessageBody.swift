import ParleyCore

/// The laid-out text of one message at one width, kept between frames. A streaming reply only
/// grows, so its finished source lines are measured once; each update measures what is new. Its
/// unfinished last line is laid out again, unless it is long (a reply that is one long line of
/// JSON, say): then it is wrapped piece by piece as it grows. Work per frame follows what changed,
/// not the reply's length.
///
/// A finished source line is only counted (how many display lines it wraps to, with the same
/// breaks); its lines are made when they are shown, and only a few screens of them are kept. So a
/// reply of megabytes costs memory for its text, not for its layout.
///
/// A table needs its rows to size its columns, so its rows are source lines that name their
/// table, whose columns are fitted to the rows finished so far (up to `TableLines.sizingRows`);
/// the row still being written is fitted into them (it never moves the rows above while it
/// grows). A finished row that widens a column counts the table's rows again; any other costs
/// itself. `TableLines` says which lines are a table's.
///
/// A long text laid out from nothing (a saved reply of megabytes opened, or laid out again at a new
/// width) is laid out from a line near its end that the text above leaves nothing to, which shows
/// at once; what is above it stands as one line until it is counted, a slice between frames
/// (`catchUp`).
struct MessageBody {
    let width: Int
    /// The text laid out so far: while a reply grows, the body's own copy (see `update`).
    private(set) var text: String
    /// UTF-8 bytes of `text` whose lines are final (up to and including the last newline).
    private var settledBytes = 0
    private var markdown: MarkdownLayout
    /// The finished source lines, in order.
    private var sources: [SourceLine] = []
    /// Display lines of the finished source lines.
    private var settledCount = 0
    private var shown = ShownLines()
    /// The unfinished last source line's lines.
    private var tail = Tail()
    /// The unfinished last line, wrapped so far, when it is long.
    private var longTail: LongTail?
    private let styled: Bool
    private let appendOnly: Bool
    /// The tables among the finished lines, each fitted to the width.
    private var tables: [TableGrid] = []
    /// The table the finished lines end in, if any (the last in `tables`), and a line held as a header.
    private var tableLines = TableLines()
    /// The source line of the last table's header: when a row widens its columns, it is counted again from there.
    private var lastTableSource = 0
    /// The text was given as whole: a table ending it has its last row finished.
    private var isFinal = false
    /// A table's last row was laid out as finished though no newline ended it (the text was
    /// whole): text added after it is laid out anew. (Nothing else is laid out otherwise when the
    /// text is whole, so a reply that gets its last words after it ended, as a stopped one does,
    /// goes on from where it was: one line of megabytes is not wrapped again.)
    private var finishedLastRow = false
    /// The text above where the layout started, being counted: the first source line stands for it.
    private var earlier: Earlier?

    /// A body of the whole text, its lines settled so far up to where this one starts (`before`).
    private indirect enum Earlier {
        case counting(MessageBody, before: Int)
    }

    /// Lines of what is not settled: those made for this frame, and, for a long unfinished line,
    /// the ones its wrapper finished (shared with it, never copied: a line of megabytes has tens
    /// of thousands) and those it shows after them.
    private struct Tail {
        var made: [Line] = []
        var wrapped: [Line] = []
        var after: [Line] = []

        var count: Int { made.count + wrapped.count + after.count }

        subscript(index: Int) -> Line {
            if index < made.count { return made[index] }
            let index = index - made.count
            return index < wrapped.count ? wrapped[index] : after[index - wrapped.count]
        }
    }

    private struct LongTail {
        /// How far into `text` (UTF-8 bytes) the wrapper has been fed: always a Character boundary.
        var fed: Int
        var wrapper: LineWrapper
        var style: Style
    }

    /// One finished source line: where it is in `text` (UTF-8 offsets, its newline excluded),
    /// where its display lines start, the Markdown state it starts in (inside a code block) and
    /// what it is.
    private struct SourceLine {
        var start: Int
        var end: Int
        var firstLine: Int
        var markdown: MarkdownLayout
        var part = Part.text
    }

    private enum Part {
        case text
        /// A row of the table at this index in `tables` (its header or not); `sized`: one of the rows
        /// its columns are sized by (the others are fitted into them).
        case row(Int, header: Bool, sized: Bool)
        /// The delimiter row of the table at this index: a rule.
        case rule(Int)
        /// The text above where the layout started, not yet counted: one line says so.
        case earlier
    }

    /// Display lines made for finished source lines, by source line: what is on screen, and what
    /// was lately. Shared by copies of the body, which all agree on them.
    private final class ShownLines {
        var lines: [Int: [Line]] = [:]
        /// Enough for a few screens; past it, all are dropped and what is shown is made again.
        static let limit = 512
    }

    /// Above this many bytes an unfinished line is wrapped piece by piece.
    static let longLine = 2_000
    /// A text longer than this, laid out from nothing, is laid out from near its end first (its
    /// lines take about 10 ms a megabyte to count in a release build).
    static let countedLater = 512 * 1024
    /// How much of such a text is laid out at once: many screens, even of short lines.
    static let shownFirst = 64 * 1024

    /// - Parameters:
    ///   - styled: Markdown-lite (replies) or plain wrapped text (what the user typed, thinking).
    ///   - appendOnly: the text only ever grows (a reply, its thinking), so an update lays out
    ///     only what is new; otherwise (a user message can be edited) any change lays out anew.
    init(width: Int, styled: Bool, appendOnly: Bool) {
        self.width = width
        self.styled = styled
        self.appendOnly = appendOnly
        self.text = ""
        markdown = MarkdownLayout(width: width)
    }

    var lineCount: Int { settledCount + tail.count }

    func line(_ index: Int) -> Line {
        guard index < settledCount else { return tail[index - settledCount] }
        // The source line holding display line `index`: the last one starting at or before it.
        var low = 0
        var high = sources.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if sources[middle].firstLine <= index { low = middle } else { high = middle - 1 }
        }
        let source = sources[low]
        if let lines = shown.lines[low] { return lines[index - source.firstLine] }
        var markdown = source.markdown
        let line = slice(source.start, source.end)
        let lines =
            switch source.part {
            case .text: layout(line, with: &markdown)
            case .row(let table, let header, let sized): tables[table].lines(line, header: header, sized: sized)
            case .rule(let table): [tables[table].rule]
            case .earlier:
                [
                    Line("⋯ laying out the \(Attachment.sizeText(source.end)) above ⋯", Style(.muted)).truncated(
                        to: width)
                ]
            }
        if shown.lines.count >= ShownLines.limit { shown.lines.removeAll() }
        shown.lines[low] = lines
        return lines[index - source.firstLine]
    }

    /// The source line holding UTF-8 offset `offset` of the text: where it starts in the text, and
    /// its display lines (found by halving, so a place in a long reply costs its logarithm). The
    /// unfinished end (and a header held for its table) are one line, the lines after the settled ones.
    func sourceLine(at offset: Int) -> (start: Int, lines: Range<Int>) {
        guard !sources.isEmpty, offset < settledBytes else { return (settledBytes, settledCount..<lineCount) }
        var low = 0
        var high = sources.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if sources[middle].start <= offset { low = middle } else { high = middle - 1 }
        }
        let end = low + 1 < sources.count ? sources[low + 1].firstLine : settledCount
        return (sources[low].start, sources[low].firstLine..<max(sources[low].firstLine + 1, end))
    }

    /// Brings the layout up to `newText`. Text that only grew is laid out from where it left off.
    /// `final`: the text is whole (the reply has ended), so a table's last row is finished too,
    /// though no newline ends it, and takes its part in sizing the columns.
    mutating func update(_ newText: String, final: Bool = false) {
        // A text that only grows is unchanged when its length is (the body's own copy is never the
        // same string, see below); another is compared, lengths first.
        let unchanged = newText.utf8.count == text.utf8.count && (appendOnly || newText == text)
        if unchanged && final == isFinal { return }
        let utf8 = newText.utf8
        if utf8.count < settledBytes || !appendOnly || finishedLastRow {
            self = MessageBody(width: width, styled: styled, appendOnly: appendOnly)
        }
        // The text laid out so far has no newline past `settledBytes`, and a text that grew only
        // grew at its end: only what is new is searched, so a reply that is one long line costs
        // its new bytes a frame, not its length.
        var known = utf8.count >= text.utf8.count ? max(settledBytes, text.utf8.count) : settledBytes
        if text.isEmpty, utf8.count > Self.countedLater, let start = Self.laterStart(in: newText, styled: styled) {
            var whole = MessageBody(width: width, styled: styled, appendOnly: appendOnly)
            whole.text = newText
            earlier = .counting(whole, before: start.offset)
            sources = [SourceLine(start: 0, end: start.offset - 1, firstLine: 0, markdown: markdown, part: .earlier)]
            settledCount = 1
            settledBytes = start.offset
            known = start.offset
            tableLines = start.tableLines
            if let open = start.tableLines.open { tables = [open.shape.fitted(to: width)] }
            markdown = MarkdownLayout(width: width, in: start.code)
        }
        // A growing reply's new bytes are added to the body's own copy of its text. Holding the
        // reply's own string instead would share its storage, and the next batch's append to the
        // reply would then copy all of it: megabytes at every batch. Once the reply is whole, the
        // body holds its string again (one copy of the text, not two).
        if appendOnly, !final, !text.isEmpty, utf8.count > text.utf8.count {
            // Not `+=`, which would take the new text a character at a time.
            text.append(contentsOf: newText[utf8.index(utf8.startIndex, offsetBy: text.utf8.count)...])
        } else {
            text = newText
        }
        layOut(from: known, final: final)
    }

    /// Lays out the text from `settledBytes` on, searching for newlines from `known`.
    private mutating func layOut(from known: Int, final: Bool) {
        let utf8 = text.utf8
        settle(from: known, before: utf8.count)
        var offset = settledBytes
        // Only a table's last row is laid out otherwise when finished (it sizes the columns then);
        // any other last line looks the same either way, and is left as it is.
        if final, tableLines.open != nil, offset < utf8.count {
            finish(slice(offset, utf8.count), start: offset, end: utf8.count)
            offset = utf8.count
            finishedLastRow = true
        }
        isFinal = final
        settledBytes = offset
        // The old tail shares a long line's lines with the wrapper about to grow them: let go of
        // it first, or growing them copies them all.
        tail = Tail()
        tail = unfinishedLines(slice(offset, utf8.count))
    }

    /// Settles the source lines ending (their newline) before UTF-8 offset `end`, searching for
    /// newlines from `known`.
    private mutating func settle(from known: Int, before end: Int) {
        var offset = settledBytes
        for newline in Self.newlines(in: text, from: known, before: end) {
            finish(slice(offset, newline), start: offset, end: newline)
            offset = newline + 1
            longTail = nil
        }
        settledBytes = offset
    }

    /// The UTF-8 offsets of the newlines in `text` from offset `start` on, before `end`, found in its
    /// bytes (a saved reply of megabytes is searched whole when it is opened).
    private static func newlines(in text: String, from start: Int, before end: Int) -> [Int] {
        func search(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] { (start..<end).filter { bytes[$0] == 0x0A } }
        return text.utf8.withContiguousStorageIfAvailable(search) ?? Array(text.utf8).withUnsafeBufferPointer(search)
    }

    /// The UTF-8 offset of the first newline in `text` at or after `start` (its length when none).
    private static func newline(in text: String, from start: Int) -> Int {
        func search(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        }
        return text.utf8.withContiguousStorageIfAvailable(search) ?? Array(text.utf8).withUnsafeBufferPointer(search)
    }

    static func slice(of text: String, _ start: Int, _ end: Int) -> Substring {
        let utf8 = text.utf8
        return text[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]
    }

    /// Whether some of the text is still to be counted (see `catchUp`).
    var isCatchingUp: Bool { earlier != nil }

    /// Counts about `bytes` more of the text above where the layout started. Once all of it is
    /// counted, the body is the whole text's layout, as if laid out from the start, and this
    /// returns how far the lines below the one that stood for it moved; nil until then.
    mutating func catchUp(bytes: Int) -> Int? {
        guard case .counting(var whole, let before) = earlier else { return nil }
        earlier = nil
        // Whole lines: through the first newline at or past the slice's end.
        let end = Self.newline(in: text, from: min(before - 1, whole.settledBytes + min(bytes, before))) + 1
        whole.settle(from: whole.settledBytes, before: end)
        guard whole.settledBytes >= before else {
            earlier = .counting(whole, before: before)
            return nil
        }
        // The lines laid out first are laid out again, from the state the text above leaves.
        whole.text = text
        whole.layOut(from: before, final: isFinal)
        let moved = whole.lineCount - lineCount
        self = whole
        return moved
    }

    /// Takes the finished source line `line`, at `start..<end` in `text`, into the layout.
    private mutating func finish(_ line: Substring, start: Int, end: Int) {
        guard styled else { return settle(line, start: start, end: end) }
        switch tableLines.take(line, at: start..<end, markdown: markdown) {
        case .row(let shape): addRow(line, start: start, end: end, resized: shape)
        case .opened(let header, let shape): openTable(header: header, delimiter: start..<end, shape: shape)
        case .text(let released):
            if let released { settle(released) }
            settle(line, start: start, end: end)
        case .held(let released):
            if let released { settle(released) }
        }
    }

    /// A finished line of text (not of a table), laid out with the state the lines before left.
    private mutating func settle(_ line: Substring, start: Int, end: Int) {
        sources.append(SourceLine(start: start, end: end, firstLine: settledCount, markdown: markdown))
        settledCount += lineCount(line, with: &markdown)
    }

    /// A line held as a table's header that is text after all.
    private mutating func settle(_ held: TableLines.Held) {
        settle(held.line[...], start: held.range.lowerBound, end: held.range.upperBound)
    }

    private mutating func openTable(header: TableLines.Held, delimiter: Range<Int>, shape: TableShape) {
        let grid = shape.fitted(to: width)
        tables.append(grid)
        lastTableSource = sources.count
        sources.append(
            SourceLine(
                start: header.range.lowerBound, end: header.range.upperBound, firstLine: settledCount,
                markdown: markdown, part: .row(tables.count - 1, header: true, sized: true)))
        settledCount += grid.lineCount(header.line[...], header: true, sized: true)
        sources.append(
            SourceLine(
                start: delimiter.lowerBound, end: delimiter.upperBound, firstLine: settledCount, markdown: markdown,
                part: .rule(tables.count - 1)))
        settledCount += 1
    }

    /// A finished row of the open table; `resized`: the table's shape, when the row is one its
    /// columns are sized by. When it widens a column, the table's rows are counted again at the new
    /// widths, and lines made at the old ones are dropped.
    private mutating func addRow(_ row: Substring, start: Int, end: Int, resized shape: TableShape?) {
        let table = tables.count - 1
        if let grid = shape?.fitted(to: width), grid != tables[table] {
            tables[table] = grid
            // A new cache: copies of this body share the old one, whose lines are right for them.
            shown = ShownLines()
            settledCount = sources[lastTableSource].firstLine
            for index in lastTableSource..<sources.count {
                sources[index].firstLine = settledCount
                settledCount += count(sources[index])
            }
        }
        sources.append(
            SourceLine(
                start: start, end: end, firstLine: settledCount, markdown: markdown,
                part: .row(table, header: false, sized: shape != nil)))
        settledCount += tables[table].lineCount(row, header: false, sized: shape != nil)
    }

    /// How many display lines a finished source line has.
    private func count(_ source: SourceLine) -> Int {
        var markdown = source.markdown
        let line = slice(source.start, source.end)
        return switch source.part {
        case .text: lineCount(line, with: &markdown)
        case .row(let table, let header, let sized): tables[table].lineCount(line, header: header, sized: sized)
        case .rule, .earlier: 1
        }
    }

    /// The lines of what is not settled: a held header (with the delimiter row being written under
    /// it, already a table's header and rule) and the unfinished last line.
    private mutating func unfinishedLines(_ unfinished: Substring) -> Tail {
        var lines: [Line] = []
        if let held = tableLines.held {
            let header = held.line[...]
            if Table.mayBeDelimiter(unfinished) {
                let written = Table.alignments(unfinished) ?? []
                let alignments = Table.cells(header).indices.map { $0 < written.count ? written[$0] : .left }
                let grid = TableShape(header: header, alignments: alignments).fitted(to: width)
                return Tail(made: grid.lines(header, header: true, sized: true) + [grid.rule])
            }
            // Held outside code, where the Markdown state is the same from line to line.
            var scratch = markdown
            lines = layout(header, with: &scratch)
        }
        if unfinished.isEmpty { return Tail(made: lines) }
        if tableLines.open != nil, markdown.continuesTable(unfinished) {
            return Tail(made: lines + tables[tables.count - 1].lines(unfinished, header: false, sized: false))
        }
        if unfinished.utf8.count > Self.longLine, let long = growLongTail(unfinished) {
            return Tail(made: lines, wrapped: long.wrapped, after: long.after)
        }
        var scratch = markdown
        return Tail(made: lines + layout(unfinished, with: &scratch))
    }

    private func slice(_ start: Int, _ end: Int) -> Substring { Self.slice(of: text, start, end) }

    /// Feeds the wrapper what the long unfinished line gained, holding back its last character
    /// (a combining mark may still join it), and returns its lines: those the wrapper finished,
    /// and those after them; nil when the line is not text to wrap (a fence or a rule).
    private mutating func growLongTail(_ unfinished: Substring) -> (wrapped: [Line], after: [Line])? {
        let utf8 = text.utf8
        let lastCharacter = unfinished.index(before: unfinished.endIndex)
        let safe = utf8.distance(from: utf8.startIndex, to: lastCharacter)
        if longTail == nil {
            var scratch = markdown
            let form =
                styled
                ? scratch.form(of: unfinished)
                : .text(unfinished, base: .plain, first: .empty, rest: .empty, styling: .none)
            guard case .text(let body, let base, let first, let rest, _) = form, body.startIndex < lastCharacter else {
                return nil
            }
            let bodyStart = utf8.distance(from: utf8.startIndex, to: body.startIndex)
            longTail = LongTail(
                fed: bodyStart, wrapper: LineWrapper(width: width, firstPrefix: first, restPrefix: rest), style: base)
        }
        // Taken out while it is fed, so that its lines are not shared then (sharing them, adding
        // one would copy them all).
        guard var long = longTail.take() else { return nil }
        if safe > long.fed {
            let from = utf8.index(utf8.startIndex, offsetBy: long.fed)
            long.wrapper.feed(text[from..<lastCharacter], long.style)
            long.wrapper.copyWord()
            long.fed = safe
        }
        longTail = long
        let held = text[utf8.index(utf8.startIndex, offsetBy: long.fed)...]
        return (long.wrapper.finished, long.wrapper.linesAfterFinished(feeding: held, long.style))
    }

    private func layout(_ line: Substring, with markdown: inout MarkdownLayout) -> [Line] {
        styled ? markdown.layout(line) : Wrap.lines([Run(String(line))], width: width)
    }

    /// `layout(line, with: &markdown).count`, without making the lines.
    private func lineCount(_ line: Substring, with markdown: inout MarkdownLayout) -> Int {
        guard styled else {
            var wrapper = LineWrapper(width: width, firstPrefix: .empty, restPrefix: .empty, counting: true)
            wrapper.feed(line, .plain)
            return wrapper.lineCount
        }
        return markdown.lineCount(line)
    }
}
