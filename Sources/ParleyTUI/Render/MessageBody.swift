/// The laid-out text of one message at one width, kept between frames. A streaming reply only
/// grows, so its finished source lines are measured once; each update measures what is new. Its
/// unfinished last line is laid out again, unless it is long (a reply that is one long line of
/// JSON, say): then it is wrapped piece by piece as it grows. Work per frame follows what changed,
/// not the reply's length.
///
/// A finished source line is only counted (how many display lines it wraps to, with the same
/// breaks); its lines are made when they are shown, and only a few screens of them are kept. So a
/// reply of megabytes costs memory for its text, not for its layout.
struct MessageBody {
    let width: Int
    /// The text laid out so far (String equality is a pointer check while it is unchanged).
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
    private var tail: [Line] = []
    /// The unfinished last line, wrapped so far, when it is long.
    private var longTail: LongTail?
    private let styled: Bool
    private let appendOnly: Bool

    private struct LongTail {
        /// How far into `text` (UTF-8 bytes) the wrapper has been fed: always a Character boundary.
        var fed: Int
        var wrapper: LineWrapper
        var style: Style
    }

    /// One finished source line: where it is in `text` (UTF-8 offsets, its newline excluded),
    /// where its display lines start, and the Markdown state it starts in (inside a code block).
    private struct SourceLine {
        var start: Int
        var end: Int
        var firstLine: Int
        var markdown: MarkdownLayout
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
        let utf8 = text.utf8
        var markdown = source.markdown
        let lines = layout(
            text[
                utf8.index(utf8.startIndex, offsetBy: source.start)..<utf8.index(utf8.startIndex, offsetBy: source.end)],
            with: &markdown)
        if shown.lines.count >= ShownLines.limit { shown.lines.removeAll() }
        shown.lines[low] = lines
        return lines[index - source.firstLine]
    }

    /// Brings the layout up to `newText`. Text that only grew is laid out from where it left off.
    mutating func update(_ newText: String) {
        if newText == text { return }
        let utf8 = newText.utf8
        if utf8.count < settledBytes || !appendOnly {
            self = MessageBody(width: width, styled: styled, appendOnly: appendOnly)
        }
        // The text laid out so far has no newline past `settledBytes`, and a text that grew only
        // grew at its end: only what is new is searched, so a reply that is one long line costs
        // its new bytes a frame, not its length.
        let known = utf8.count >= text.utf8.count ? max(settledBytes, text.utf8.count) : settledBytes
        var searched = utf8.index(utf8.startIndex, offsetBy: known)
        text = newText
        var start = utf8.index(utf8.startIndex, offsetBy: settledBytes)
        var offset = settledBytes
        while let newline = utf8[searched...].firstIndex(of: 0x0A) {
            let line = newText[start..<newline]
            let end = offset + line.utf8.count
            sources.append(SourceLine(start: offset, end: end, firstLine: settledCount, markdown: markdown))
            settledCount += lineCount(line, with: &markdown)
            start = utf8.index(after: newline)
            searched = start
            offset = end + 1
            longTail = nil
        }
        settledBytes = offset
        let unfinished = newText[start...]
        if unfinished.isEmpty {
            tail = []
        } else if unfinished.utf8.count > Self.longLine, let lines = growLongTail(unfinished) {
            tail = lines
        } else {
            var scratch = markdown
            tail = layout(unfinished, with: &scratch)
        }
    }

    /// Feeds the wrapper what the long unfinished line gained, holding back its last character
    /// (a combining mark may still join it), and returns its lines; nil when the line is not text
    /// to wrap (a fence or a rule).
    private mutating func growLongTail(_ unfinished: Substring) -> [Line]? {
        let utf8 = text.utf8
        let lastCharacter = unfinished.index(before: unfinished.endIndex)
        let safe = utf8.distance(from: utf8.startIndex, to: lastCharacter)
        if longTail == nil {
            var scratch = markdown
            let form =
                styled
                ? scratch.form(of: unfinished)
                : .text(unfinished, base: .plain, first: .empty, rest: .empty, inline: false)
            guard case .text(let body, let base, let first, let rest, _) = form, body.startIndex < lastCharacter else {
                return nil
            }
            let bodyStart = utf8.distance(from: utf8.startIndex, to: body.startIndex)
            longTail = LongTail(
                fed: bodyStart, wrapper: LineWrapper(width: width, firstPrefix: first, restPrefix: rest), style: base)
        }
        guard var long = longTail else { return nil }
        if safe > long.fed {
            let from = utf8.index(utf8.startIndex, offsetBy: long.fed)
            long.wrapper.feed(text[from..<lastCharacter], long.style)
            long.fed = safe
        }
        longTail = long
        var shown = long.wrapper
        shown.feed(text[utf8.index(utf8.startIndex, offsetBy: long.fed)...], long.style)
        return shown.lines
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
