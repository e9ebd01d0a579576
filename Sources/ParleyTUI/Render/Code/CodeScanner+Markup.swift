/// HTML and XML: tags and their attributes, values, comments and entities; text is plain.
extension CodeScanner {
    static let markupCommentOpen = Array("<!--".utf8)
    static let markupCommentClose = Array("-->".utf8)

    mutating func markup(state: inout CodeState) {
        switch state {
        case .comment:
            guard skip(past: Self.markupCommentClose) else { return emit(upTo: bytes.count, .comment) }
            emit(upTo: position, .comment)
        case .tag:
            if !insideTag() { return }
        default: break
        }
        state = .code
        while let byte = byte() {
            if matches(Self.markupCommentOpen) {
                guard comment(Self.markupCommentOpen, Self.markupCommentClose) else {
                    state = .comment
                    return
                }
            } else if byte == UInt8(ascii: "<"), let next = self.byte(1),
                Self.isWordByte(next) || "/!?".utf8.contains(next)
            {
                var end = position + 2
                while end < bytes.count, Self.isWordByte(bytes[end]) || "-:.".utf8.contains(bytes[end]) { end += 1 }
                token(.keyword, to: end)
                if !insideTag() {
                    state = .tag
                    return
                }
            } else if byte == UInt8(ascii: "&") {
                entity()
            } else {
                position += 1
            }
        }
    }

    /// A tag's attributes up to its `>`; false when the line ends inside the tag.
    private mutating func insideTag() -> Bool {
        while let byte = byte() {
            if byte == UInt8(ascii: ">") || (byte == UInt8(ascii: "/") && self.byte(1) == UInt8(ascii: ">")) {
                token(.keyword, to: position + (byte == UInt8(ascii: ">") ? 1 : 2))
                return true
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                let start = position
                position += 1
                _ = skipString(CodeSyntax.Quote(String(UnicodeScalar(byte)), escapes: false))
                let end = position
                position = start
                token(.string, to: end)
            } else if Self.isWordByte(byte) {
                var end = position
                while end < bytes.count, Self.isWordByte(bytes[end]) || "-:.".utf8.contains(bytes[end]) { end += 1 }
                token(.type, to: end)
            } else {
                position += 1
            }
        }
        return false
    }

    /// `&amp;`, `&#39;`: a constant when it ends with ';' soon.
    private mutating func entity() {
        var end = position + 1
        while end < bytes.count, end < position + 12, Self.isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "#") {
            end += 1
        }
        if end < bytes.count, end > position + 1, bytes[end] == UInt8(ascii: ";") {
            token(.constant, to: end + 1)
        } else {
            position += 1
        }
    }
}
