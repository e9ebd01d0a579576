/// Program text and data files: comments, strings, numbers and words, by one language's rules.
extension CodeScanner {
    mutating func code(_ syntax: CodeSyntax, state: inout CodeState) {
        // First what the line before left open.
        switch state {
        case .comment:
            guard let block = syntax.blockComment, skip(past: block.close) else {
                return emit(upTo: bytes.count, .comment)
            }
            emit(upTo: position, .comment)
        case .string(let index) where index < syntax.quotes.count:
            guard skipString(syntax.quotes[index]) else { return emit(upTo: bytes.count, .string) }
            emit(upTo: position, .string)
        default: break
        }
        state = .code
        // Only indentation (and a YAML item's "- ") read so far: where keys and `#include` stand.
        var lineStart = true
        while let byte = byte() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                position += 1
                continue
            }
            if lineStart, syntax.keySeparator == UInt8(ascii: ":"), byte == UInt8(ascii: "-"),
                self.byte(1) == UInt8(ascii: " ") || self.byte(1) == nil
            {
                position += 1
                continue
            }
            let wasLineStart = lineStart
            lineStart = false
            if syntax.mayOpen(byte) {
                if let block = syntax.blockComment, matches(block.open) {
                    guard comment(block.open, block.close) else {
                        state = .comment
                        return
                    }
                    continue
                }
                if syntax.lineComments.contains(where: { matches($0) }), !syntax.commentsAtWordStart || atWordStart {
                    return token(.comment, to: bytes.count)
                }
                if let index = syntax.quotes.firstIndex(where: { matches($0.open) }) {
                    if !string(syntax, index) { state = .string(index) }
                    continue
                }
            }
            if wasLineStart, special(syntax, byte) { continue }
            if syntax.shortCharacters, byte == UInt8(ascii: "'") {
                character()
                continue
            }
            if syntax.attributes, byte == UInt8(ascii: "@"), let next = self.byte(1), Self.isWordByte(next) {
                token(.keyword, to: wordEnd(from: position + 1))
                continue
            }
            if syntax.variables, byte == UInt8(ascii: "$") {
                variable()
                continue
            }
            if Self.isDigit(byte), atWordStart {
                number()
                continue
            }
            if Self.isWordByte(byte) {
                word(syntax)
                continue
            }
            position += 1
        }
    }

    /// A quoted string from here; a key when the language's separator follows it. False when it
    /// is left open at the end of a line it may span (a string that may not is closed there).
    private mutating func string(_ syntax: CodeSyntax, _ index: Int) -> Bool {
        let quote = syntax.quotes[index]
        let start = position
        position += quote.open.count
        let closed = skipString(quote)
        let end = position
        position = start
        token(isKey(syntax, after: end, bare: false) ? .keyword : .string, to: end)
        return closed || !quote.spansLines
    }

    /// Whether the key separator is the next thing after `end` (spaces aside).
    private func isKey(_ syntax: CodeSyntax, after end: Int, bare: Bool) -> Bool {
        guard let separator = syntax.keySeparator else { return false }
        var next = end
        while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
        guard next < bytes.count, bytes[next] == separator else { return false }
        // YAML's bare "key: value": a colon inside a word (a URL, a time) is not a separator.
        return !bare || separator != UInt8(ascii: ":") || next + 1 == bytes.count
            || bytes[next + 1] == UInt8(ascii: " ")
    }

    /// What only the start of a line can be: `#include`, a TOML `[table]`, a bare key, YAML's `---`.
    private mutating func special(_ syntax: CodeSyntax, _ byte: UInt8) -> Bool {
        if syntax.preprocessor, byte == UInt8(ascii: "#") {
            var end = position + 1
            while end < bytes.count, bytes[end] == UInt8(ascii: " ") { end += 1 }
            token(.keyword, to: wordEnd(from: end))
            return true
        }
        guard let separator = syntax.keySeparator else { return false }
        if separator == UInt8(ascii: "="), byte == UInt8(ascii: "[") {
            var end = position
            while end < bytes.count, bytes[end] != UInt8(ascii: "]") { end += 1 }
            while end < bytes.count, bytes[end] == UInt8(ascii: "]") { end += 1 }
            token(.keyword, to: end)
            return true
        }
        if separator == UInt8(ascii: ":"), matches(Array("---".utf8)) || matches(Array("...".utf8)) {
            token(.keyword, to: position + 3)
            return true
        }
        // A bare key: word characters, dashes and dots, then the separator.
        var end = position
        while end < bytes.count,
            Self.isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: ".")
        {
            end += 1
        }
        guard end > position, isKey(syntax, after: end, bare: true) else { return false }
        token(.keyword, to: end)
        return true
    }

    /// Rust's ': a character ('x', '\n') when it closes soon, else a lifetime ('a) or a plain quote.
    private mutating func character() {
        var end = position + 1
        if end < bytes.count, bytes[end] == UInt8(ascii: "\\") {
            end += 2
            while end < bytes.count, end < position + 12, bytes[end] != UInt8(ascii: "'") { end += 1 }
        } else if end < bytes.count {
            // One character: a byte, or a run of non-ASCII bytes.
            end += 1
            while end < bytes.count, bytes[end] >= 0x80, bytes[end] < 0xC0 { end += 1 }
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "'") {
            token(.string, to: end + 1)
        } else if let next = byte(1), Self.isWordByte(next) {
            token(.type, to: wordEnd(from: position + 1))
        } else {
            position += 1
        }
    }

    /// `$NAME`, `${NAME…}`, `$1`, `$?`: a shell variable.
    private mutating func variable() {
        guard let next = byte(1) else { return position += 1 }
        if next == UInt8(ascii: "{") {
            var end = position + 2
            while end < bytes.count, bytes[end] != UInt8(ascii: "}") { end += 1 }
            token(.type, to: end + 1)
        } else if Self.isWordByte(next) {
            token(.type, to: wordEnd(from: position + 1))
        } else if "?#@*!$-".utf8.contains(next) {
            token(.type, to: position + 2)
        } else {
            position += 1
        }
    }

    private mutating func word(_ syntax: CodeSyntax) {
        let end = wordEnd(from: position)
        // What a word is changes its token, never the state.
        guard cutting else { return position = end }
        let text =
            line.utf8.index(
                line.startIndex, offsetBy: position)..<line.utf8.index(
                line.startIndex, offsetBy: end)
        let word = syntax.caseInsensitive ? Substring(line[text].lowercased()) : line[text]
        let kind: CodeToken.Kind
        if syntax.keywords.contains(word) {
            kind = .keyword
        } else if syntax.literals.contains(word) {
            kind = .constant
        } else if syntax.types.contains(word)
            || (syntax.capitalizedTypes && bytes[position] >= UInt8(ascii: "A") && bytes[position] <= UInt8(ascii: "Z"))
        {
            kind = .type
        } else {
            position = end
            return
        }
        token(kind, to: end)
    }
}
