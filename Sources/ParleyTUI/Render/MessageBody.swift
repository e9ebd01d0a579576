/// The laid-out text of one message at one width, kept between frames. A streaming reply only
/// grows, so its finished source lines are laid out once; each update lays out what is new and
/// the unfinished last line again: work per frame follows what changed, not the reply's length.
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
    private let styled: Bool
    private let appendOnly: Bool

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
        }
        settledBytes = utf8.distance(from: utf8.startIndex, to: start)
        if start == utf8.endIndex {
            tail = []
        } else {
            var scratch = markdown
            tail = layout(newText[start...], with: &scratch)
        }
    }

    private func layout(_ line: Substring, with markdown: inout MarkdownLayout) -> [Line] {
        styled ? markdown.layout(line) : Wrap.lines([Run(String(line))], width: width)
    }
}
