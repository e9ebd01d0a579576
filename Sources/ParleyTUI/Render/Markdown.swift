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

    /// The display lines for one source line (no newline in it).
    public mutating func layout(_ line: Substring) -> [Line] {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
            if inCodeBlock {
                codeLanguage = nil
                return [rule("└", label: nil)]
            }
            let language = trimmed.dropFirst(3).trimmingSpaces
            codeLanguage = String(language)
            return [rule("┌", label: language.isEmpty ? nil : String(language))]
        }
        if inCodeBlock {
            return Wrap.lines(
                [Run(String(line), Style(.code))], width: width, firstPrefix: Line("│ ", Style(.muted)),
                restPrefix: Line("│ ", Style(.muted)))
        }
        if trimmed.isEmpty { return [.empty] }
        if let heading = Self.heading(trimmed) {
            let style = Style(.heading, heading.level == 1 ? [.bold, .underline] : [.bold])
            return Wrap.lines(Inline.runs(heading.text, base: style), width: width)
        }
        if Self.isRule(trimmed) { return [Line(String(repeating: "─", count: width), Style(.muted))] }
        if trimmed.hasPrefix(">") {
            let quoted = trimmed.dropFirst().drop { $0 == " " }
            let prefix = Line("▎ ", Style(.quote))
            return Wrap.lines(
                Inline.runs(quoted, base: Style(.quote, [.italic])), width: width, firstPrefix: prefix,
                restPrefix: prefix)
        }
        if let item = Self.listItem(line) {
            let indent = String(repeating: " ", count: item.indent)
            let marker = item.marker.map { String($0) } ?? "•"
            let first = Line([Run(indent), Run(marker, Style(.accent)), Run(" ")])
            let rest = Line(String(repeating: " ", count: first.width))
            return Wrap.lines(Inline.runs(item.text, base: .plain), width: width, firstPrefix: first, restPrefix: rest)
        }
        return Wrap.lines(Inline.runs(line, base: .plain), width: width)
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
        let compact = line.filter { $0 != " " }
        guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
        return compact.allSatisfy { $0 == first }
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
        guard text.utf8.count <= longestStyledLine else { return [Run(String(text), base)] }
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
