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
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastEventID: String?
    private var previousWasCR = false
    private var atStreamStart = true

    public init() {}

    public mutating func decode(_ bytes: some Collection<UInt8>) throws(FramingError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            if previousWasCR {
                previousWasCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A:
                try endLine(into: &events)
            case 0x0D:
                previousWasCR = true
                try endLine(into: &events)
            default:
                guard line.count < FramingError.maxFrameBytes else { throw .tooLong }
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine(into events: inout [SSEEvent]) throws(FramingError) {
        defer { line.removeAll(keepingCapacity: true) }
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = line[..<(colon ?? line.endIndex)]
        var valueStart = colon.map { line.index(after: $0) } ?? line.endIndex
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]

        if name.elementsEqual("data".utf8) {
            guard data.count + value.count < FramingError.maxFrameBytes else { throw .tooLong }
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
