/// Inline styling: `code`, **bold** / __bold__, *italic* / _italic_, [links](url) with their
/// address after them, <https://autolinks>. A marker without its closing partner on the line is
/// text, so a reply still streaming shows its asterisks until they close.
enum Inline {
    /// Lines longer than this are shown as written: finding each marker's partner costs up to the
    /// line's length, and a pathological line (a wall of asterisks) must not stall a frame.
    static let longestStyledLine = 2_000

    /// Whether `text` has a byte that may start inline Markdown: ` * _ [ <. Most text (a table's
    /// cells, plain prose) has none: it is one run, found without cutting it into characters.
    static func mayHaveMarkers(_ text: Substring) -> Bool {
        text.utf8.contains { byte in byte == 0x60 || byte == 0x2A || byte == 0x5F || byte == 0x5B || byte == 0x3C }
    }

    static func runs(_ text: Substring, base: Style) -> [Run] {
        guard mayHaveMarkers(text) else {
            return text.isEmpty ? [] : [Run(String(text), base)]
        }
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
            if character == "[" || character == "<", let link = Self.link(characters, at: index) {
                // An image's "!" is dropped: its text and address are what a terminal can show.
                if link.isImage, current.last == "!" { current.removeLast() }
                flush()
                let linkStyle = Style(.accent, style().attributes.union(.underline))
                runs += link.text.isEmpty ? [Run(link.url, linkStyle)] : Self.runs(link.text[...], base: linkStyle)
                if !link.text.isEmpty && link.text != link.url { runs.append(Run(" (\(link.url))", Style(.muted))) }
                index = link.end
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

    /// A link starting at `index`: `[text](url)` (an image when a "!" is before it) or `<url>`.
    private static func link(_ characters: [Character], at index: Int) -> (
        text: String, url: String, end: Int, isImage: Bool
    )? {
        if characters[index] == "<" {
            guard let close = characters[index...].firstIndex(of: ">") else { return nil }
            let url = String(characters[(index + 1)..<close])
            guard ["http://", "https://", "mailto:"].contains(where: url.hasPrefix), !url.contains(" ") else {
                return nil
            }
            return ("", url, close + 1, false)
        }
        guard let textEnd = characters[index...].firstIndex(of: "]"), textEnd + 1 < characters.count,
            characters[textEnd + 1] == "(", let urlEnd = characters[(textEnd + 1)...].firstIndex(of: ")"),
            urlEnd > textEnd + 2
        else { return nil }
        let url = String(characters[(textEnd + 2)..<urlEnd])
        guard !url.contains(" "), !characters[(index + 1)..<textEnd].contains("[") else { return nil }
        let text = String(characters[(index + 1)..<textEnd])
        return (text, url, urlEnd + 1, index > 0 && characters[index - 1] == "!")
    }
}
