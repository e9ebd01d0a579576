public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "\(reason) at byte \(offset)" }
}

extension JSON {
    /// Parses one JSON text. Invalid UTF-8 inside strings becomes U+FFFD; anything that is not
    /// JSON (including trailing garbage and nesting deeper than 512) is a `JSONParseError`.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSON {
        if let result = bytes.withContiguousStorageIfAvailable(parse(buffer:)) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer(parse(buffer:)).get()
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        var text = text
        return try text.withUTF8(parse(buffer:)).get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) -> Result<JSON, JSONParseError> {
        var parser = JSONParser(buffer)
        return Result { () throws(JSONParseError) in try parser.parseDocument() }
    }
}

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    static let maxDepth = 512
    /// Where the names of the objects being parsed are in the text, between their quotes,
    /// innermost last.
    var names: [Range<Int>] = []
    /// The last string parsed was its own bytes (no escape) and ASCII, where equal strings are
    /// equal bytes (elsewhere, Swift compares strings by canonical equivalence).
    var lastStringIsPlainASCII = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A provider chunk has a couple of dozen members in all: one allocation, not a growing array.
        names.reserveCapacity(32)
    }

    mutating func parseDocument() throws(JSONParseError) -> JSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected data after the JSON value") }
        return value
    }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSON {
        guard index < bytes.count else { throw fail("unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of JSON") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("JSON nested too deeply") }
    }

    mutating func parseObject() throws(JSONParseError) -> JSON {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        let first = names.count
        var members: [JSONObject.Member] = []
        // Room for the members of a chunk's objects in one allocation: its inner ones (a choice, a
        // delta) have a few, the chunk itself up to a dozen (OpenAI's 7 to 10 made the array twice
        // or three times from 4). Grown one append at a time, it was made three times for four.
        members.reserveCapacity(depth == 1 ? JSONObject.indexedFrom : 4)
        // Whether the names are known to differ: a provider's object has a few plain ASCII names,
        // told apart here by their bytes, so the object is made without looking each name up.
        var distinct = true
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a member name")
            }
            let nameStart = index + 1
            let key = try parseString()
            let name = nameStart..<(index - 1)
            if distinct {
                distinct =
                    members.count + 1 < JSONObject.indexedFrom && lastStringIsPlainASCII
                    && !names[first...].contains { sameBytes($0, name) }
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            names.append(name)
            members.append(JSONObject.Member(key: key, value: try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of JSON") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                let object = distinct ? JSONObject(distinct: members) : JSONObject(members[...])
                names.removeSubrange(first...)
                return .object(object)
            } else {
                throw fail("expected ',' or '}'")
            }
        }
    }

    func sameBytes(_ one: Range<Int>, _ other: Range<Int>) -> Bool {
        one.count == other.count
            && UnsafeBufferPointer(rebasing: bytes[one]).elementsEqual(UnsafeBufferPointer(rebasing: bytes[other]))
    }

    mutating func parseArray() throws(JSONParseError) -> JSON {
        try enter()
        defer { depth -= 1 }
        index += 1
        var items: [JSON] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of JSON") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            } else {
                throw fail("expected ',' or ']'")
            }
        }
    }

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes between the quotes are the string.
        var seen: UInt8 = 0
        lastStringIsPlainASCII = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let plain = UnsafeBufferPointer(rebasing: bytes[start..<index])
                let text =
                    (seen < 0x80 ? CommonString.matching(plain) : nil) ?? String(decoding: plain, as: UTF8.self)
                index += 1
                lastStringIsPlainASCII = seen < 0x80
                return text
            }
            seen |= byte
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("control character in string") }
            index += 1
        }
        var scratch = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                try parseEscape(into: &scratch)
            case 0..<0x20:
                throw fail("control character in string")
            default:
                scratch.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    mutating func parseEscape(into scratch: inout [UInt8]) throws(JSONParseError) {
        guard index < bytes.count else { throw fail("unterminated string") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try parseHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate only makes a character together with an escaped low surrogate.
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = UInt32(try parseHex4())
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00..<0xE000).contains(scalar) {
                scalar = 0xFFFD
            }
            scratch.append(utf8Of: Unicode.Scalar(scalar) ?? "\u{FFFD}")
        default:
            throw fail("invalid escape")
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            throw fail("invalid number")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw fail("invalid number") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard skipDigits() > 0 else { throw fail("invalid number") }
        }
        let digits = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if isInteger, digits.count <= 18 {
            var value: Int64 = 0
            var negative = false
            for byte in digits {
                if byte == UInt8(ascii: "-") { negative = true } else { value = value * 10 + Int64(byte - 48) }
            }
            return Double(negative ? -value : value)
        }
        guard let value = Double(String(decoding: digits, as: UTF8.self)) else { throw fail("invalid number") }
        return value
    }

    @discardableResult
    mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }
}

/// The names (and a few values) that come in chunk after chunk of the providers' streams
/// (counted in the recorded ones, `Tests/Fixtures/streams`), as literals: a string of these bytes
/// is taken from here instead of being made anew, which validates its bytes and, past 15 of them,
/// copies them to the heap. A chunk of OpenAI's has a dozen such strings, `chat.completion.chunk`
/// among them: parsing one took 7,600 instructions, 6,500 this way (callgrind).
private enum CommonString {
    /// The common string these ASCII bytes spell, if they spell one.
    static func matching(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        func spells(_ literal: StaticString) -> Bool {
            for offset in 0..<bytes.count where literal.utf8Start[offset] != bytes[offset] { return false }
            return true
        }
        switch bytes.count {
        case 2:
            if spells("id") { return "id" }
        case 4:
            if spells("role") { return "role" }
            if spells("type") { return "type" }
            if spells("text") { return "text" }
            if spells("name") { return "name" }
        case 5:
            if spells("index") { return "index" }
            if spells("delta") { return "delta" }
            if spells("model") { return "model" }
            if spells("usage") { return "usage" }
        case 6:
            if spells("object") { return "object" }
        case 7:
            if spells("content") { return "content" }
            if spells("choices") { return "choices" }
            if spells("created") { return "created" }
        case 8:
            if spells("logprobs") { return "logprobs" }
            if spells("thinking") { return "thinking" }
            if spells("function") { return "function" }
        case 9:
            if spells("reasoning") { return "reasoning" }
            if spells("assistant") { return "assistant" }
            if spells("arguments") { return "arguments" }
        case 10:
            if spells("tool_calls") { return "tool_calls" }
        case 12:
            if spells("service_tier") { return "service_tier" }
            if spells("total_tokens") { return "total_tokens" }
        case 13:
            if spells("finish_reason") { return "finish_reason" }
            if spells("prompt_tokens") { return "prompt_tokens" }
        case 17:
            if spells("reasoning_content") { return "reasoning_content" }
            if spells("completion_tokens") { return "completion_tokens" }
        case 18:
            if spells("system_fingerprint") { return "system_fingerprint" }
        case 20:
            if spells("native_finish_reason") { return "native_finish_reason" }
        case 21:
            if spells("chat.completion.chunk") { return "chat.completion.chunk" }
        default: break
        }
        return nil
    }
}

extension [UInt8] {
    fileprivate mutating func append(utf8Of scalar: Unicode.Scalar) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            append(UInt8(value))
        case 0x80..<0x800:
            append(0xC0 | UInt8(value >> 6))
            append(0x80 | UInt8(value & 0x3F))
        case 0x800..<0x10000:
            append(0xE0 | UInt8(value >> 12))
            append(0x80 | UInt8(value >> 6 & 0x3F))
            append(0x80 | UInt8(value & 0x3F))
        default:
            append(0xF0 | UInt8(value >> 18))
            append(0x80 | UInt8(value >> 12 & 0x3F))
            append(0x80 | UInt8(value >> 6 & 0x3F))
            append(0x80 | UInt8(value & 0x3F))
        }
    }
}
