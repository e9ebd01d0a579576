/// The laid-out text of one message at one width, kept between frames. A streaming reply only
/// grows, so its finished source lines are laid out once; each update lays out what is new. Its
/// unfinished last line is laid out again, unless it is long (a reply that is one long line of
/// JSON, say): then it is wrapped piece by piece as it grows. Work per frame follows what changed,
/// not the reply's length.
struct MessageBody {
    let width: Int
    /// The text laid out so far (String equality is a pointer check while it is unchanged).
    private(set) var text: String
    /// UTF-8 bytes of `text` whose lines are final (up to and including the last newline).
    private var settledBytes = 0
    private var markdown: MarkdownLayout
    private var settled: [Line] = []
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

    var lines: [Line] { tail.isEmpty ? settled : settled + tail }
    var lineCount: Int { settled.count + tail.count }

    func line(_ index: Int) -> Line { index < settled.count ? settled[index] : tail[index - settled.count] }

    /// Brings the layout up to `newText`. Text that only grew is laid out from where it left off.
    mutating func update(_ newText: String) {
        if newText == text { return }
        let utf8 = newText.utf8
        if utf8.count < settledBytes || !appendOnly {
            self = MessageBody(width: width, styled: styled, appendOnly: appendOnly)
        }
        text = newText
        var start = utf8.index(utf8.startIndex, offsetBy: settledBytes)
        while let newline = utf8[start...].firstIndex(of: 0x0A) {
            settled += layout(newText[start..<newline], with: &markdown)
            start = utf8.index(after: newline)
            longTail = nil
        }
        settledBytes = utf8.distance(from: utf8.startIndex, to: start)
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
}
