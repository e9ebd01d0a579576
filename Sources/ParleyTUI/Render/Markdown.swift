/// Markdown-lite, laid out one source line at a time: headings, bold, italic, inline code,
/// fenced code blocks set apart with their language, lists, block quotes and rules. Each source
/// line break is kept (models mean them). The layout keeps only the state a line leaves behind
/// (inside a code block or not), so a streaming reply's finished lines are laid out once and
/// only its growing last line again.
public struct MarkdownLayout: Equatable, Sendable {
    public let width: Int
    public private(set) var codeLanguage: String?
    public var inCodeBlock: Bool { codeLanguage != nil }

    public init(width: Int) {
        self.width = width
    }

    /// How one source line is laid out: whole lines of its own (a fence, a rule, a blank line),
    /// or text to wrap with its prefixes in a base style, inline Markdown applying when `inline`.
    enum Form {
        case fixed([Line])
        case text(Substring, base: Style, first: Line, rest: Line, inline: Bool)
    }

    /// The display lines for one source line (no newline in it).
    public mutating func layout(_ line: Substring) -> [Line] {
        switch form(of: line) {
        case .fixed(let lines): lines
        case .text(let text, let base, let first, let rest, let inline):
            wrapped(text, base: base, first: first, rest: rest, inline: inline, counting: false).lines
        }
    }

    /// How many display lines `layout(line)` gives, without making them.
    mutating func lineCount(_ line: Substring) -> Int {
        switch form(of: line) {
        case .fixed(let lines): lines.count
        case .text(let text, let base, let first, let rest, let inline):
            wrapped(text, base: base, first: first, rest: rest, inline: inline, counting: true).lineCount
        }
    }

    private func wrapped(_ text: Substring, base: Style, first: Line, rest: Line, inline: Bool, counting: Bool)
        -> LineWrapper
    {
        var wrapper = LineWrapper(width: width, firstPrefix: first, restPrefix: rest, counting: counting)
        if inline {
            for run in Inline.runs(text, base: base) { wrapper.feed(run.text[...], run.style) }
        } else {
            wrapper.feed(text, base)
        }
        return wrapper
    }

    /// What `line` is; a fence opens or closes the code block.
    mutating func form(of line: Substring) -> Form {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
            if inCodeBlock {
                codeLanguage = nil
                return .fixed([rule("└", label: nil)])
            }
            // A tab is as wide as the column it lands on, which a label set into a rule does not
            // know: it is a space there (the fuzzer found a rule a column too wide).
            let language = trimmed.dropFirst(3).trimmingSpaces.replacing("\t", with: " ")
            codeLanguage = String(language)
            return .fixed([rule("┌", label: language.isEmpty ? nil : String(language))])
        }
        if inCodeBlock {
            let gutter = Line("│ ", Style(.muted))
            return .text(line, base: Style(.code), first: gutter, rest: gutter, inline: false)
        }
        if trimmed.isEmpty { return .fixed([.empty]) }
        let inline = line.utf8.count <= Inline.longestStyledLine
        if let heading = Self.heading(trimmed) {
            let style = Style(.heading, heading.level == 1 ? [.bold, .underline] : [.bold])
            return .text(heading.text, base: style, first: .empty, rest: .empty, inline: inline)
        }
        if Self.isRule(trimmed) { return .fixed([Line(String(repeating: "─", count: width), Style(.muted))]) }
        if trimmed.hasPrefix(">") {
            let quoted = trimmed.dropFirst().drop { $0 == " " }
            let prefix = Line("▎ ", Style(.quote))
            return .text(quoted, base: Style(.quote, [.italic]), first: prefix, rest: prefix, inline: inline)
        }
        if let item = Self.listItem(line) {
            let indent = String(repeating: " ", count: item.indent)
            let marker = item.marker.map { String($0) } ?? "•"
            let first = Line([Run(indent), Run(marker, Style(.accent)), Run(" ")])
            let rest = Line(String(repeating: " ", count: first.width))
            return .text(item.text, base: .plain, first: first, rest: rest, inline: inline)
        }
        return .text(line, base: .plain, first: .empty, rest: .empty, inline: inline)
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

/// Inline styling: `code`, **bold** / __bold__, *italic* / _italic_. A marker without its closing
/// partner on the line is text, so a reply still streaming shows its asterisks until they close.
enum Inline {
    /// Lines longer than this are shown as written: finding each marker's partner costs up to the
    /// line's length, and a pathological line (a wall of asterisks) must not stall a frame.
    static let longestStyledLine = 2_000

    static func runs(_ text: Substring, base: Style) -> [Run] {
        let characters = Array(text)
        var runs: [Run] = []
        var current = ""
        var bold = false
        var italic = false
        var index = 0

        func style() -> Style {
            var style = base
            if bold { style = style.adding(.bold) }
            if italic { style = style.adding(.italic) }
            return style
        }
        func flush() {
            if !current.isEmpty { runs.append(Run(current, style())) }
            current = ""
        }
        func closes(_ marker: [Character], from start: Int) -> Bool {
            guard start < characters.count, characters[start] != " " else { return false }
            var position = start
            while position + marker.count <= characters.count {
                if Array(characters[position..<position + marker.count]) == marker, characters[position - 1] != " " {
                    return true
                }
                position += 1
            }
            return false
        }

        while index < characters.count {
            let character = characters[index]
            if character == "`", let close = characters[(index + 1)...].firstIndex(of: "`"), close > index + 1 {
                flush()
                runs.append(Run(String(characters[(index + 1)..<close]), Style(.code)))
                index = close + 1
                continue
            }
            if character == "*" || character == "_" {
                let double = index + 1 < characters.count && characters[index + 1] == character
                let marker: [Character] = double ? [character, character] : [character]
                let wordBefore = index > 0 && (characters[index - 1].isLetter || characters[index - 1].isNumber)
                let isOn = double ? bold : italic
                // An underscore inside a word (snake_case) is text.
                if !(character == "_" && wordBefore && !isOn) {
                    if isOn, index > 0, characters[index - 1] != " " {
                        flush()
                        if double { bold = false } else { italic = false }
                        index += marker.count
                        continue
                    }
                    if !isOn, closes(marker, from: index + marker.count) {
                        flush()
                        if double { bold = true } else { italic = true }
                        index += marker.count
                        continue
                    }
                }
            }
            current.append(character)
            index += 1
        }
        flush()
        return runs
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
