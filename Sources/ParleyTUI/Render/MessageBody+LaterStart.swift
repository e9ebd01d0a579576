/// Where a long text's layout may start so that its end shows at once (`MessageBody.update`): a
/// line the lines above leave nothing to but, perhaps, a table whose shape so far is known.
extension MessageBody {
    /// A place to start: its UTF-8 offset in the text, the table open there, if any, and the code
    /// block it is in (with the state its lines above leave), if any.
    struct LaterStart {
        var offset: Int
        var tableLines = TableLines()
        var code: MarkdownLayout.CodeBlock?
    }

    /// The last place at least `shownFirst` bytes before the end of `text` that the lines above
    /// leave nothing to but what is known of a table or a code block: in plain text, any line; in
    /// Markdown, one outside code with no header held, or any line in a code block. Nil when
    /// there is none.
    ///
    /// Two walks, so that the cost is the lines near the end: up from the end to a line that
    /// provably carries nothing over, then down from it to the end, taking lines as the layout
    /// does (`TableLines`), for the table open at the end (a table of 300,000 rows has no line in
    /// it that carries nothing over). Finding its shape takes its first rows, which alone size it.
    /// In a code block, each line's state (a comment or a string left open) is read on the way
    /// down, without cutting the line into tokens.
    static func laterStart(in text: String, styled: Bool) -> LaterStart? {
        func search(_ bytes: UnsafeBufferPointer<UInt8>) -> LaterStart? {
            let limit = bytes.count - shownFirst
            guard limit > 0, let lastEnd = bytes[..<limit].lastIndex(of: 0x0A) else { return nil }
            guard styled else { return LaterStart(offset: lastEnd + 1) }
            let fences = fences(in: text, bytes, upTo: lastEnd)
            let clear = clearStart(in: text, bytes, fences: fences, lastEnd: lastEnd)
            let start = startNearEnd(in: text, bytes, fences: fences, from: clear, through: lastEnd)
            return start ?? (clear > 0 ? LaterStart(offset: clear) : nil)
        }
        return text.utf8.withContiguousStorageIfAvailable(search) ?? Array(text.utf8).withUnsafeBufferPointer(search)
    }

    /// The last line start, up to the line ending at `lastEnd`, after which nothing is carried over
    /// (0 when there is none but the text's start), found walking up from there: the first line
    /// found with no pipe in it or in any line below it that was walked, once a line is found that
    /// ends everything above it. No table opens between the two (its header and delimiter row have
    /// pipes), so nothing is carried past the first.
    private static func clearStart(
        in text: String, _ bytes: UnsafeBufferPointer<UInt8>, fences: [Int], lastEnd: Int
    ) -> Int {
        var fencesAbove = fences.count
        var clear: Int?
        var end = lastEnd
        while true {
            let start = bytes[..<end].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            while fencesAbove > 0 && fences[fencesAbove - 1] > start { fencesAbove -= 1 }
            if fencesAbove % 2 == 1 {
                clear = nil  // inside a code block, or its opening fence
            } else if fencesAbove > 0 && fences[fencesAbove - 1] == start
                || endsEverything(bytes[start..<end], in: text)
            {
                return clear ?? end + 1
            } else if bytes[start..<end].contains(UInt8(ascii: "|")) {
                clear = nil
            } else if clear == nil {
                clear = end + 1
            }
            // The text's start carries nothing either.
            if start == 0 { return clear ?? 0 }
            end = start - 1
        }
    }

    /// Walking down from `clear` (where nothing is carried over) through the line ending at
    /// `lastEnd`, taking lines as the layout does: the last line in code, or outside code with no
    /// header held after it, with the table or the code block open there. Nil when there is none.
    private static func startNearEnd(
        in text: String, _ bytes: UnsafeBufferPointer<UInt8>, fences: [Int], from clear: Int, through lastEnd: Int
    ) -> LaterStart? {
        // Only the code block it is in, if any, matters of the layout here: the width is not used.
        var markdown = MarkdownLayout(width: 1)
        var tableLines = TableLines()
        var nextFence = fences.firstIndex { $0 >= clear } ?? fences.count
        var found: LaterStart?
        var start = clear
        while start <= lastEnd {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? lastEnd
            let isFence = nextFence < fences.count && fences[nextFence] == start
            // A row of a table whose columns are sized (most are told by their bytes) changes
            // nothing: the line before was a place to start, and the same.
            let changesNothing =
                !isFence && !markdown.inCodeBlock && tableLines.open?.isSized == true
                && MarkdownLayout.continuesTable(bytes: bytes[start..<end]) == true
            if changesNothing {
                found?.offset = end + 1
                start = end + 1
                continue
            }
            let line = slice(of: text, start, end)
            if isFence {
                nextFence += 1
                // A fence ends a table, as it does in the layout, and opens or closes a block.
                _ = tableLines.take(line, at: start..<end, markdown: markdown)
                _ = markdown.form(of: line)
            } else if markdown.inCodeBlock {
                markdown.pass(codeLine: line)  // a line in code is no table's
            } else {
                _ = tableLines.take(line, at: start..<end, markdown: markdown)
            }
            if markdown.inCodeBlock || tableLines.held == nil {
                found = LaterStart(offset: end + 1, tableLines: tableLines, code: markdown.code)
            }
            start = end + 1
        }
        return found
    }

    /// The UTF-8 offsets of the lines that open or close a code block, of those starting up to `last`.
    private static func fences(in text: String, _ bytes: UnsafeBufferPointer<UInt8>, upTo last: Int) -> [Int] {
        var fences: [Int] = []
        var lineStart = 0
        while lineStart <= last {
            var index = lineStart
            while index < bytes.count && bytes[index] == 0x20 { index += 1 }
            let end = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
            let mayBeFence =
                index + 2 < bytes.count && (bytes[index] == 0x60 || bytes[index] == 0x7E)
                && bytes[index + 1] == bytes[index] && bytes[index + 2] == bytes[index]
            // The byte test finds fences; Markdown's own (by characters) has the last word.
            if mayBeFence && MarkdownLayout.isFence(slice(of: text, lineStart, end)) { fences.append(lineStart) }
            lineStart = end + 1
        }
        return fences
    }

    /// Whether a line outside code leaves nothing to the next, whatever the lines before it left:
    /// it ends any table (a blank line, another block, a line too long to style) and is no
    /// delimiter row opening one under a header held above it.
    private static func endsEverything(_ line: Slice<UnsafeBufferPointer<UInt8>>, in text: String) -> Bool {
        if MarkdownLayout.continuesTable(bytes: line) == true { return false }
        let characters = slice(of: text, line.startIndex, line.endIndex)
        return !MarkdownLayout(width: 1).continuesTable(characters) && Table.alignments(characters) == nil
    }
}
