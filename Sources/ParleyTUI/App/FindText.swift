/// Where a query occurs in text, ignoring case, by its UTF-8 bytes: one pass over the bytes, no
/// copy of the text, so finding in a conversation of megabytes costs milliseconds.
///
/// Letters written in one or two bytes match either case: ASCII, and the Latin, Greek, Cyrillic,
/// Armenian… letters below U+0800 whose small letter is one letter of the same length ("ÉLAN"
/// finds "élan", "МИР" finds "мир"). So a match has the same length in the text as the query,
/// and its range is the text's own. Letters of three or more bytes match as typed.
enum FindText {
    /// The UTF-8 ranges of `query`'s occurrences in `text`, not overlapping, in order.
    static func occurrences(of query: String, in text: String) -> [Range<Int>] {
        var query = query
        let needle = query.withUTF8 { bytes in bytes.indices.map { fold(bytes, at: $0) } }
        guard let first = needle.first else { return [] }
        // A match begins on a byte that folds to the query's first: for an ASCII one (most
        // queries), simply that byte or its capital, as fast as ASCII alone was.
        let ascii = first < 0x80
        let capital = first >= 0x61 && first <= 0x7A ? first & 0xDF : first
        var text = text
        return text.withUTF8 { bytes in
            var found: [Range<Int>] = []
            guard bytes.count >= needle.count else { return found }
            var start = 0
            let last = bytes.count - needle.count
            while start <= last {
                let byte = bytes[start]
                if ascii ? byte == first || byte == capital : byte >= 0x80 && fold(bytes, at: start) == first {
                    var matched = 1
                    while matched < needle.count && fold(bytes, at: start + matched) == needle[matched] { matched += 1 }
                    if matched == needle.count {
                        found.append(start..<(start + needle.count))
                        start += needle.count
                        continue
                    }
                }
                start += 1
            }
            return found
        }
    }

    /// The byte at `index` as it is in the small-letter form of its character: an ASCII capital
    /// as its small letter, either byte of a two-byte capital as that byte of its small letter,
    /// every other byte as it is.
    @inline(__always)
    private static func fold(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt8 {
        let byte = bytes[index]
        if byte < 0x80 { return byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        if isTwoByteLead(byte) {
            guard index + 1 < bytes.count, isContinuation(bytes[index + 1]) else { return byte }
            return 0xC0 | UInt8(truncatingIfNeeded: small(byte, bytes[index + 1]) >> 6)
        }
        guard isContinuation(byte), index > 0, isTwoByteLead(bytes[index - 1]) else { return byte }
        return 0x80 | UInt8(truncatingIfNeeded: small(bytes[index - 1], byte) & 0x3F)
    }

    @inline(__always)
    private static func isTwoByteLead(_ byte: UInt8) -> Bool { byte >= 0xC2 && byte <= 0xDF }

    @inline(__always)
    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// The small letter of the two-byte character `lead`, `continuation`, as a scalar value.
    @inline(__always)
    private static func small(_ lead: UInt8, _ continuation: UInt8) -> UInt16 {
        smallLetters[Int(lead & 0x1F) << 6 | Int(continuation & 0x3F)]
    }

    /// For each scalar value below U+0800, that of its small letter when it is one scalar below
    /// U+0800 too (the same length in UTF-8), else its own.
    private static let smallLetters: [UInt16] = (0..<0x800).map { value in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return UInt16(value) }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        guard lower.count == 1, let only = lower.first, only.value >= 0x80, only.value < 0x800 else {
            return UInt16(value)
        }
        return UInt16(only.value)
    }
}
