/// Where a query occurs in text, ignoring case, by its UTF-8 bytes: one pass over the bytes, no
/// copy of the text, so finding in a conversation of megabytes costs milliseconds. ASCII letters
/// match either case; other characters match as typed (folding them would need the text's
/// characters, which costs many times more).
enum FindText {
    /// The UTF-8 ranges of `query`'s occurrences in `text`, not overlapping, in order.
    static func occurrences(of query: String, in text: String) -> [Range<Int>] {
        let needle = query.utf8.map(fold)
        guard let first = needle.first else { return [] }
        var text = text
        return text.withUTF8 { bytes in
            var found: [Range<Int>] = []
            guard bytes.count >= needle.count else { return found }
            var start = 0
            let last = bytes.count - needle.count
            while start <= last {
                if fold(bytes[start]) == first {
                    var matched = 1
                    while matched < needle.count && fold(bytes[start + matched]) == needle[matched] { matched += 1 }
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

    /// An ASCII capital as its small letter; every other byte as it is.
    @inline(__always)
    private static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
