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

    init(limit: Int) {
        self.limit = limit
    }

    mutating func take(_ bytes: some Collection<UInt8>) throws(MessageLines.Problem) -> [Data] {
        var messages: [Data] = []
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: 0x0A) {
            try keep(rest[..<newline])
            if let message = try endLine() { messages.append(message) }
            rest = rest[rest.index(after: newline)...]
        }
        try keep(rest)
        return messages
    }

    private mutating func keep(_ bytes: some Collection<UInt8>) throws(MessageLines.Problem) {
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
            return hasData ? Data(data) : nil
        }
        guard line.starts(with: Array("data:".utf8)) else { return nil }
        var value = line.dropFirst(5)
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        guard data.count + 1 + value.count <= limit else { throw .tooLarge }
        if hasData { data.append(0x0A) }
        data.append(contentsOf: value)
        hasData = true
        return nil
    }
}
