/// One piece of a line of code and what it is. A line's tokens, joined, are the line.
struct CodeToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case plain, keyword, type, constant, string, comment
        /// A patch's lines: added, removed, a hunk's `@@` and a file's header (`diff`, `---`, `+++`).
        case added, removed, hunk, header
    }

    var text: Substring
    var kind: Kind
}

/// Where a line of code leaves the next one: inside a block comment or a string that spans
/// lines, or inside an HTML tag. Kept with the Markdown state, so any line of a block can be laid
/// out again on its own.
enum CodeState: Hashable, Sendable {
    case code
    case comment
    /// Inside the string opened by the language's quote at this index.
    case string(Int)
    case tag
}

/// Cuts one line of code into tokens, a language family's rules at a time: pure, linear in the
/// line, and never changing its text (only where it is cut).
enum CodeTokenizer {
    static func tokens(_ line: Substring, in language: CodeLanguage, state: inout CodeState) -> [CodeToken] {
        scan(line, in: language, state: &state, cutting: true)
    }

    /// The state `line` leaves to the next, read as `tokens` reads it but without cutting it:
    /// what finding where a long block's layout may start needs of each of its lines.
    static func state(after line: Substring, in language: CodeLanguage, from state: CodeState) -> CodeState {
        var state = state
        _ = scan(line, in: language, state: &state, cutting: false)
        return state
    }

    private static func scan(
        _ line: Substring, in language: CodeLanguage, state: inout CodeState, cutting: Bool
    ) -> [CodeToken] {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [CodeToken] {
            var scanner = CodeScanner(line, bytes: bytes, cutting: cutting)
            switch language {
            case .diff: scanner.patchLine()
            case .html: scanner.markup(state: &state)
            default: scanner.code(CodeSyntax.of(language), state: &state)
            }
            scanner.emit(upTo: scanner.bytes.count, .plain)
            return scanner.tokens
        }
        return line.utf8.withContiguousStorageIfAvailable(scan) ?? Array(line.utf8).withUnsafeBufferPointer(scan)
    }
}

/// A line's bytes read left to right; tokens are cut only at ASCII bytes or where a run of other
/// characters starts, so never inside a character's encoding.
struct CodeScanner {
    let line: Substring
    /// The line's UTF-8, read in place (the scanner lives only while they are lent to it).
    let bytes: UnsafeBufferPointer<UInt8>
    /// False when only the state the line leaves is wanted: the same reading, no tokens made.
    let cutting: Bool
    var position = 0
    private(set) var tokens: [CodeToken] = []
    /// Bytes before this are in `tokens`.
    private var emitted = 0
    private var emittedIndex: String.Index

    init(_ line: Substring, bytes: UnsafeBufferPointer<UInt8>, cutting: Bool) {
        self.line = line
        self.bytes = bytes
        self.cutting = cutting
        emittedIndex = line.startIndex
    }

    var atEnd: Bool { position >= bytes.count }

    func byte(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    func matches(_ text: [UInt8], at offset: Int? = nil) -> Bool {
        let start = offset ?? position
        guard start + text.count <= bytes.count else { return false }
        for (index, byte) in text.enumerated() where bytes[start + index] != byte { return false }
        return true
    }

    /// The bytes from the last token up to `end` as one token of `kind` (joined to the last one
    /// when it is of the same kind).
    mutating func emit(upTo end: Int, _ kind: CodeToken.Kind) {
        guard cutting, end > emitted else { return }
        let endIndex = line.utf8.index(emittedIndex, offsetBy: end - emitted)
        if let last = tokens.last, last.kind == kind {
            tokens[tokens.count - 1].text = line[last.text.startIndex..<endIndex]
        } else {
            tokens.append(CodeToken(text: line[emittedIndex..<endIndex], kind: kind))
        }
        emitted = end
        emittedIndex = endIndex
    }

    /// What was read since the last token is plain; the token of `kind` runs from here to `end`.
    mutating func token(_ kind: CodeToken.Kind, to end: Int) {
        emit(upTo: position, .plain)
        position = min(end, bytes.count)
        emit(upTo: position, kind)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), 0x80...:
            true
        default: false
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The end of the word starting at `start`.
    func wordEnd(from start: Int) -> Int {
        var end = start
        while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
        return end
    }

    /// Whether a word could start here: the byte before is not part of one.
    var atWordStart: Bool { position == 0 || !Self.isWordByte(bytes[position - 1]) }

    /// Reads a string's body up to and past its closing delimiter; false when the line ends first.
    mutating func skipString(_ quote: CodeSyntax.Quote) -> Bool {
        while position < bytes.count {
            if quote.escapes && bytes[position] == UInt8(ascii: "\\") {
                position += 2
                continue
            }
            if matches(quote.close) {
                position += quote.close.count
                return true
            }
            position += 1
        }
        position = bytes.count
        return false
    }

    /// Reads up to and past `close`; false when the line ends first.
    mutating func skip(past close: [UInt8]) -> Bool {
        while position < bytes.count {
            if matches(close) {
                position += close.count
                return true
            }
            position += 1
        }
        return false
    }

    /// A comment from its `open` here past its `close`; false when the line ends inside it.
    mutating func comment(_ open: [UInt8], _ close: [UInt8]) -> Bool {
        let start = position
        position += open.count
        let closed = skip(past: close)
        let end = position
        position = start
        token(.comment, to: end)
        return closed
    }

    /// A number: digits, letters (hex, exponents, suffixes), underscores and a dot before a digit.
    mutating func number() {
        var end = position
        while end < bytes.count {
            let byte = bytes[end]
            if Self.isWordByte(byte) && byte < 0x80 {
                end += 1
            } else if byte == UInt8(ascii: "."), end + 1 < bytes.count, Self.isDigit(bytes[end + 1]) {
                end += 1
            } else {
                break
            }
        }
        token(.constant, to: end)
    }

    /// A line of a patch: its first characters say what it is.
    mutating func patchLine() {
        let kind: CodeToken.Kind =
            if ["+++", "---", "diff ", "index "].contains(where: { matches(Array($0.utf8)) }) {
                .header
            } else if matches(Array("@@".utf8)) {
                .hunk
            } else if byte() == UInt8(ascii: "+") {
                .added
            } else if byte() == UInt8(ascii: "-") {
                .removed
            } else {
                .plain
            }
        token(kind, to: bytes.count)
    }
}
