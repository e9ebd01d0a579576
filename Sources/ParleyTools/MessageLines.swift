import Foundation

/// The stdio transport's framing: a server writes one JSON-RPC message per line. Bytes go in as
/// they arrive, whole messages come out; each byte is looked at once, however a message is
/// split, and a message that grows past `limit` is an error before it is held in memory.
struct MessageLines {
    enum Problem: Error, Equatable {
        case tooLarge
        /// A line that cannot be a JSON-RPC message (a banner or log line written to stdout by
        /// mistake): its start, for the error.
        case notJSON(excerpt: String)
    }

    let limit: Int
    /// The start of a message whose newline has not come yet.
    private var partial: [UInt8] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// The messages `bytes` complete, in order. (Raw pointers and `memchr`: a message may be
    /// megabytes, and this is the one pass over it before the JSON parser's.)
    mutating func take(_ bytes: UnsafeRawBufferPointer) throws(Problem) -> [Data] {
        guard let base = bytes.baseAddress else { return [] }
        var messages: [Data] = []
        var start = 0
        while let found = memchr(base + start, 0x0A, bytes.count - start) {
            let newline = base.distance(to: found)
            let piece = UnsafeRawBufferPointer(start: base + start, count: newline - start)
            guard partial.count + piece.count <= limit else { throw .tooLarge }
            let message: Result<Data?, Problem>
            if partial.isEmpty {
                message = Self.message(piece)
            } else {
                partial.append(contentsOf: piece)
                message = partial.withUnsafeBytes(Self.message)
                partial.removeAll(keepingCapacity: false)
            }
            if let found = try message.get() { messages.append(found) }
            start = newline + 1
        }
        guard partial.count + (bytes.count - start) <= limit else { throw .tooLarge }
        partial.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: bytes.count - start))
        return messages
    }

    /// One line as a message: nil when blank. Only its first and last bytes are checked, which
    /// is enough to tell a message from a stray line of text without parsing it twice
    /// (`RPCConnection` parses it).
    private static func message(_ line: UnsafeRawBufferPointer) -> Result<Data?, Problem> {
        var first = 0
        var end = line.count
        while first < end, isSpace(line[first]) { first += 1 }
        while end > first, isSpace(line[end - 1]) { end -= 1 }
        guard first < end, let base = line.baseAddress else { return .success(nil) }
        let body = UnsafeRawBufferPointer(start: base + first, count: end - first)
        guard
            (body[0] == UInt8(ascii: "{") && body[body.count - 1] == UInt8(ascii: "}"))
                || (body[0] == UInt8(ascii: "[") && body[body.count - 1] == UInt8(ascii: "]"))
        else {
            return .failure(.notJSON(excerpt: String(decoding: body.prefix(80), as: UTF8.self)))
        }
        return .success(Data(bytes: base + first, count: end - first))
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}
