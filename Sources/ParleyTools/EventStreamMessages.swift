import Foundation

/// A Streamable HTTP server's `text/event-stream` answer, read for what MCP puts in it: each
/// event's `data` (its lines joined with LF) is one JSON-RPC message. Comments, `event:`, `id:`
/// and `retry:` lines carry nothing Parley needs. Lines end in LF or CRLF, split anywhere; an
/// event's data may not grow past `limit`.
struct EventStreamMessages {
    let limit: Int
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private static let dataField = Array("data:".utf8)

    init(limit: Int) {
        self.limit = limit
    }

    mutating func take(_ bytes: UnsafeRawBufferPointer) throws(MessageLines.Problem) -> [Data] {
        guard let base = bytes.baseAddress else { return [] }
        var messages: [Data] = []
        var start = 0
        while let found = memchr(base + start, 0x0A, bytes.count - start) {
            let newline = base.distance(to: found)
            try keep(UnsafeRawBufferPointer(start: base + start, count: newline - start))
            if let message = try endLine() { messages.append(message) }
            start = newline + 1
        }
        try keep(UnsafeRawBufferPointer(start: base + start, count: bytes.count - start))
        return messages
    }

    private mutating func keep(_ bytes: UnsafeRawBufferPointer) throws(MessageLines.Problem) {
        guard line.count + bytes.count <= limit + 8 else { throw .tooLarge }
        line.append(contentsOf: bytes)
    }

    /// A whole line: data kept, or at a blank line the event's message.
    private mutating func endLine() throws(MessageLines.Problem) -> Data? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.last == 0x0D { line.removeLast() }
        guard !line.isEmpty else {
            defer {
                data.removeAll(keepingCapacity: false)
                hasData = false
            }
            // (An event without data, or with empty data, primes a client to resume: no message.)
            return data.isEmpty ? nil : Data(data)
        }
        guard line.starts(with: Self.dataField) else { return nil }
        let skipped = line.count > 5 && line[5] == UInt8(ascii: " ") ? 6 : 5
        guard data.count + 1 + line.count - skipped <= limit else { throw .tooLarge }
        if hasData { data.append(0x0A) }
        line.withUnsafeBytes { data.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[skipped...])) }
        hasData = true
        return nil
    }
}
