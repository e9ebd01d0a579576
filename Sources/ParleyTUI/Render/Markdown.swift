/// Markdown, laid out one source line at a time: headings, bold, italic, inline code, links with
/// their addresses, fenced code blocks set apart with their language and highlighted, nested
/// lists, nested block quotes and rules (tables, which need their rows together, are
/// `MessageBody`'s). Each source line break is kept (models mean them). The layout keeps only the
/// state a line leaves behind (inside a code block or not, and where its code stands), so a
/// streaming reply's finished lines are laid out once and only its growing last line again.
public struct MarkdownLayout: Equatable, Sendable {
    public let width: Int
    /// The fenced code block the next line is in.
    private(set) var code: CodeBlock?
    public var inCodeBlock: Bool { code != nil }

    struct CodeBlock: Equatable, Sendable {
        /// Nil for a language Parley does not know: its code stays plain.
        var language: CodeLanguage?
        var state = CodeState.code
    }

    public init(width: Int) {
        self.width = width
    }

    /// A layout whose next line is in `code` (nil: outside code), as the lines above left it.
    init(width: Int, in code: CodeBlock?) {
        self.width = width
        self.code = code
    }

    /// How one source line is laid out: whole lines of its own (a fence, a rule, a blank line),
    /// or text to wrap with its prefixes in a base style.
    enum Form {
        case fixed([Line])
        case text(Substring, base: Style, first: Line, rest: Line, styling: Styling)
    }

    enum Styling {
        /// As written, in the base style.
        case none
        /// With its inline Markdown.
        case inline
        /// A line of code, cut into tokens.
        case code([CodeToken])
    }

    /// The display lines for one source line (no newline in it).
    public mutating func layout(_ line: Substring) -> [Line] {
        switch form(of: line) {
        case .fixed(let lines): lines
        case .text(let text, let base, let first, let rest, let styling):
            wrapped(text, base: base, first: first, rest: rest, styling: styling, counting: false).lines
        }
    }

    /// How many display lines `layout(line)` gives, without making them.
    mutating func lineCount(_ line: Substring) -> Int {
        switch form(of: line) {
        case .fixed(let lines): lines.count
        case .text(let text, let base, let first, let rest, let styling):
            wrapped(text, base: base, first: first, rest: rest, styling: styling, counting: true).lineCount
        }
    }

    private func wrapped(
        _ text: Substring, base: Style, first: Line, rest: Line, styling: Styling, counting: Bool
    ) -> LineWrapper {
        var wrapper = LineWrapper(width: width, firstPrefix: first, restPrefix: rest, counting: counting)
        switch styling {
        case .none: wrapper.feed(text, base)
        case .inline:
            // A line with no marker is fed as it is, not copied into a run first.
            guard Inline.mayHaveMarkers(text) else {
                wrapper.feed(text, base)
                break
            }
            for run in Inline.runs(text, base: base) { wrapper.feed(run.text[...], run.style) }
        case .code(let tokens): for token in tokens { wrapper.feed(token.text, token.kind.style) }
        }
        return wrapper
    }

    /// What `line` is; a fence opens or closes the code block, and a line of code moves its state on.
    mutating func form(of line: Substring) -> Form {
        let trimmed = line.drop { $0 == " " }
        if Self.isFence(trimmed) {
            if inCodeBlock {
                code = nil
                return .fixed([rule("└", label: nil)])
            }
            // A tab is as wide as the column it lands on, which a label set into a rule does not
            // know: it is a space there (the fuzzer found a rule a column too wide).
            let info = trimmed.dropFirst(3).trimmingSpaces.replacing("\t", with: " ")
            code = CodeBlock(language: CodeLanguage(info: info[...]))
            return .fixed([rule("┌", label: info.isEmpty ? nil : String(info))])
        }
        if let block = code {
            let gutter = Line("│ ", Style(.muted))
            guard let language = Self.tokenized(line, in: block) else {
                return .text(line, base: Style(.code), first: gutter, rest: gutter, styling: .none)
            }
            var state = block.state
            let tokens = CodeTokenizer.tokens(line, in: language, state: &state)
            code?.state = state
            return .text(line, base: Style(.code), first: gutter, rest: gutter, styling: .code(tokens))
        }
        if trimmed.isEmpty { return .fixed([.empty]) }
        let styling: Styling = line.utf8.count <= Inline.longestStyledLine ? .inline : .none
        if trimmed.hasPrefix(">") { return quoted(trimmed, styling: styling) }
        return block(line, styling: styling, prefix: .empty, base: .plain)
    }

    /// Moves the state of the code block on past `line`, one of its lines (no fence), as `form`
    /// does, without laying it out.
    mutating func pass(codeLine line: Substring) {
        guard let block = code, let language = Self.tokenized(line, in: block) else { return }
        code?.state = CodeTokenizer.state(after: line, in: language, from: block.state)
    }

    /// The language a line of `block` is cut into tokens by; nil when it is shown as written: in a
    /// language Parley does not know, or too long (as inline Markdown is; the state stays as it was).
    private static func tokenized(_ line: Substring, in block: CodeBlock) -> CodeLanguage? {
        line.utf8.count <= Inline.longestStyledLine ? block.language : nil
    }

    /// A line outside code and quotes, after `prefix` (a quote's bars): a heading, a rule, a list
    /// item or text.
    private func block(_ line: Substring, styling: Styling, prefix: Line, base: Style) -> Form {
        let trimmed = line.drop { $0 == " " }
        if let heading = Self.heading(trimmed) {
            let style = Style(.heading, heading.level == 1 ? [.bold, .underline] : [.bold])
            return .text(heading.text, base: style, first: prefix, rest: prefix, styling: styling)
        }
        if Self.isRule(trimmed) {
            var line = prefix
            line.append(String(repeating: "─", count: max(0, width - prefix.width)), Style(.muted))
            return .fixed([line.truncated(to: width)])
        }
        if let item = Self.listItem(line) {
            var (marker, text) = (Self.bullet(item), item.text)
            if item.marker == nil, let task = Self.task(text) { (marker, text) = task }
            var first = prefix
            first.append(String(repeating: " ", count: item.indent))
            first.append(marker, Style(.accent))
            first.append(" ")
            var rest = prefix
            rest.append(String(repeating: " ", count: first.width - prefix.width))
            return .text(text, base: base, first: first, rest: rest, styling: styling)
        }
        return .text(line, base: base, first: prefix, rest: prefix, styling: styling)
    }

    /// A block quote, quotes nested in it (`> >`) each adding a bar; inside, headings, lists and rules.
    private func quoted(_ trimmed: Substring, styling: Styling) -> Form {
        var depth = 0
        var rest = trimmed
        while rest.first == ">" {
            depth += 1
            rest = rest.dropFirst()
            if rest.first == " " { rest = rest.dropFirst() }
            if rest.drop(while: { $0 == " " }).first == ">" { rest = rest.drop { $0 == " " } }
        }
        let prefix = Line(String(repeating: "▎ ", count: depth), Style(.quote))
        guard !rest.trimmingSpaces.isEmpty else { return .fixed([LineWrapper.fitted(prefix, width: width)]) }
        return block(rest, styling: styling, prefix: prefix, base: Style(.quote, [.italic]))
    }

    /// A list item's marker: its number as written, or a bullet by how deeply it is nested.
    private static func bullet(_ item: (indent: Int, marker: Substring?, text: Substring)) -> String {
        if let number = item.marker { return String(number) }
        let bullets = ["•", "◦", "▪"]
        return bullets[item.indent / 2 % bullets.count]
    }

    /// A task's box ("[ ] ", "[x] ") as a ballot box, and the task's text.
    private static func task(_ text: Substring) -> (String, Substring)? {
        guard text.count > 3, text.first == "[", text.dropFirst(2).first == "]", text.dropFirst(3).first == " " else {
            return nil
        }
        switch text.dropFirst().first {
        case " ": return ("☐", text.dropFirst(4))
        case "x", "X": return ("☑", text.dropFirst(4))
        default: return nil
        }
    }

    /// Whether `line` goes on with a table above it: as on GitHub, any line that starts no other
    /// block (short enough to be styled: a longer one is text, and ends the table).
    func continuesTable(_ line: Substring) -> Bool {
        guard !inCodeBlock else { return false }
        if let told = Self.continuesTable(bytes: line.utf8) { return told }
        let trimmed = line.drop { $0 == " " }
        return !Self.isFence(trimmed) && !trimmed.hasPrefix(">") && Self.heading(trimmed) == nil
            && !Self.isRule(trimmed) && Self.listItem(line) == nil
    }

    /// `continuesTable` for a line outside code, told by its bytes: most lines say it with their
    /// length and their first byte past the spaces (one that may start no other block), and a
    /// table of many thousands of rows is told at that speed. Nil when the characters must say.
    static func continuesTable(bytes line: some Collection<UInt8>) -> Bool? {
        guard line.count <= Inline.longestStyledLine, let first = line.first(where: { $0 != 0x20 }) else {
            return false
        }
        return blockStarts.contains(first) ? nil : true
    }

    private static let blockStarts = Set("`~>#-*_+0123456789".utf8)

    /// Whether `line` may be a table's header: such a line with a pipe.
    func mayBeTableHeader(_ line: Substring) -> Bool {
        // The cheap checks first: most lines are prose, and some are long.
        continuesTable(line) && line.utf8.contains(UInt8(ascii: "|"))
    }

    private func rule(_ corner: String, label: String?) -> Line {
        var line = Line(corner + "─", Style(.muted))
        if let label {
            line.append(" ", Style(.muted))
            line.append(label, Style(.muted, [.bold]))
            line.append(" ", Style(.muted))
        }
        let rest = max(0, width - line.width)
        line.append(String(repeating: "─", count: rest), Style(.muted))
        return line.truncated(to: width)
    }

    /// Whether `line` opens or closes a code block (spaces before the fence are allowed).
    static func isFence(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " }
        return trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~")
    }

    static func heading(_ line: Substring) -> (level: Int, text: Substring)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " else { return nil }
        return (hashes, rest.trimmingSpaces)
    }

    static func isRule(_ line: Substring) -> Bool {
        // Bytes, stopping at the first that cannot be part of a rule: a long line of prose is
        // told apart at its first letter.
        var marker: UInt8?
        var count = 0
        for byte in line.utf8 where byte != 0x20 {
            guard byte == 0x2D || byte == 0x2A || byte == 0x5F, marker == nil || marker == byte else { return false }
            marker = byte
            count += 1
        }
        return count >= 3
    }

    /// "- item", "* item", "+ item" and "12. item" / "3) item", indented or not.
    static func listItem(_ line: Substring) -> (indent: Int, marker: Substring?, text: Substring)? {
        let indent = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(indent)
        if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " {
            return (indent, nil, rest.dropFirst(2))
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard (1...9).contains(digits.count) else { return nil }
        let afterDigits = rest.dropFirst(digits.count)
        guard let punctuation = afterDigits.first, punctuation == "." || punctuation == ")",
            afterDigits.dropFirst().first == " "
        else { return nil }
        return (indent, rest.prefix(digits.count + 1), afterDigits.dropFirst(2))
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        let start = drop { $0 == " " || $0 == "\t" }
        var end = start.endIndex
        while end > start.startIndex, start[start.index(before: end)] == " " || start[start.index(before: end)] == "\t"
        {
            end = start.index(before: end)
        }
        return start[start.startIndex..<end]
    }
}
