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

    /// The messages `bytes` complete, in order.
    mutating func take(_ bytes: UnsafeRawBufferPointer) throws(Problem) -> [Data] {
        var messages: [Data] = []
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<newline])
            guard partial.count + piece.count <= limit else { throw .tooLarge }
            if partial.isEmpty {
                if let message = try Self.message(piece) { messages.append(message) }
            } else {
                partial.append(contentsOf: piece)
                defer { partial.removeAll(keepingCapacity: false) }
                if let message = try Self.message(partial) { messages.append(message) }
            }
            start = newline + 1
        }
        guard partial.count + (bytes.count - start) <= limit else { throw .tooLarge }
        partial.append(contentsOf: bytes[start...])
        return messages
    }

    /// One line as a message: nil when blank. Only its first and last bytes are checked, which
    /// is enough to tell a message from a stray line of text without parsing it twice (the SDK
    /// parses it).
    private static func message(_ line: some BidirectionalCollection<UInt8>) throws(Problem) -> Data? {
        guard let start = line.firstIndex(where: { !isSpace($0) }), let end = line.lastIndex(where: { !isSpace($0) })
        else { return nil }
        let body = line[start...end]
        guard
            (body.first == UInt8(ascii: "{") && body.last == UInt8(ascii: "}"))
                || (body.first == UInt8(ascii: "[") && body.last == UInt8(ascii: "]"))
        else {
            throw .notJSON(excerpt: String(decoding: body.prefix(80), as: UTF8.self))
        }
        return Data(body)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}
