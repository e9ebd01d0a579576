#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One dispatched server-sent event.
public struct SSEEvent: Equatable, Sendable {
    /// The `event:` field; "message" when the server sent none.
    public var type: String
    public var data: String
    public var id: String?

    public init(type: String = "message", data: String, id: String? = nil) {
        self.type = type
        self.data = data
        self.id = id
    }
}

/// Incremental `text/event-stream` parser following the WHATWG rules: lines end in CRLF, LF or
/// CR; `:` starts a comment; one space after the colon is stripped; `data:` lines join with LF;
/// a blank line dispatches; an event with no data is not dispatched; an unterminated event at
/// the end of the stream is discarded. Bytes may be split anywhere, including inside a UTF-8
/// sequence and between CR and LF: lines are decoded only once complete.
public struct SSEDecoder: Sendable {
    /// The start of a line whose end has not arrived yet.
    private var partialLine: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastEventID: String?
    private var previousWasCR = false
    private var atStreamStart = true

    public init() {}

    public mutating func decode(_ bytes: some Collection<UInt8>) throws(FramingError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        try decode(bytes, into: &events)
        return events
    }

    /// Appends the events `bytes` complete to `events`. When the stream turns out to be broken,
    /// the events before the break are already in `events` when the error is thrown.
    public mutating func decode(_ bytes: some Collection<UInt8>, into events: inout [SSEEvent]) throws(FramingError) {
        let outcome = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(FramingError) in try decode(buffer: buffer, into: &events) }
        }
        if let outcome { return try outcome.get() }
        try Array(bytes).withUnsafeBufferPointer { buffer in
            Result { () throws(FramingError) in try decode(buffer: buffer, into: &events) }
        }.get()
    }

    /// Finds line ends a run at a time: a complete line is read straight from the buffer, and
    /// only a line cut by the end of the buffer is copied to wait for the rest.
    private mutating func decode(buffer: UnsafeBufferPointer<UInt8>, into events: inout [SSEEvent])
        throws(FramingError)
    {
        var start = 0
        if previousWasCR, start < buffer.count {
            previousWasCR = false
            if buffer[start] == 0x0A { start += 1 }
        }
        var index = start
        while index < buffer.count {
            index = Self.lineEnd(in: buffer, from: index)
            guard index < buffer.count else { break }
            let byte = buffer[index]
            let line = UnsafeBufferPointer(rebasing: buffer[start..<index])
            if partialLine.isEmpty {
                guard line.count <= FramingError.maxFrameBytes else { throw .tooLong }
                try process(line: line, into: &events)
            } else {
                try holdPartial(line)
                var whole: [UInt8] = []
                swap(&whole, &partialLine)
                try whole.withUnsafeBufferPointer { bytes in
                    Result { () throws(FramingError) in try process(line: bytes, into: &events) }
                }.get()
                whole.removeAll(keepingCapacity: true)
                partialLine = whole
            }
            index += 1
            if byte == 0x0D {
                if index == buffer.count {
                    previousWasCR = true
                } else if buffer[index] == 0x0A {
                    index += 1
                }
            }
            start = index
        }
        try holdPartial(UnsafeBufferPointer(rebasing: buffer[start...]))
    }

    /// Where the next line ends (its CR or LF) at or after `start`, or the buffer's end: two
    /// passes of memchr, which reads a word at a time, beat one of a byte at a time (a chunk's
    /// line is a few hundred bytes, and every byte of a reply is looked at here).
    private static func lineEnd(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = buffer.baseAddress else { return buffer.count }
        let from = UnsafeRawPointer(base + start)
        var length = buffer.count - start
        if let lineFeed = memchr(from, 0x0A, length) { length = UnsafeRawPointer(lineFeed) - from }
        if let carriageReturn = memchr(from, 0x0D, length) { length = UnsafeRawPointer(carriageReturn) - from }
        return start + length
    }

    private mutating func holdPartial(_ bytes: UnsafeBufferPointer<UInt8>) throws(FramingError) {
        guard partialLine.count + bytes.count <= FramingError.maxFrameBytes else { throw .tooLong }
        partialLine.append(contentsOf: bytes)
    }

    private mutating func process(line: UnsafeBufferPointer<UInt8>, into events: inout [SSEEvent])
        throws(FramingError)
    {
        var line = line
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = UnsafeBufferPointer(rebasing: line[3...]) }
        }
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let name = UnsafeBufferPointer(rebasing: line[..<colon])
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart...])

        if name.elementsEqual("data".utf8) {
            guard data.count + (hasData ? 1 : 0) + value.count <= FramingError.maxFrameBytes else { throw .tooLong }
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if name.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8), !value.contains(0) {
            lastEventID = String(decoding: value, as: UTF8.self)
        }
        // `retry:` and unknown fields are ignored, as the standard says.
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
        }
        guard hasData else { return }
        let type = eventType.flatMap { $0.isEmpty ? nil : $0 } ?? "message"
        events.append(SSEEvent(type: type, data: String(decoding: data, as: UTF8.self), id: lastEventID))
    }
}
