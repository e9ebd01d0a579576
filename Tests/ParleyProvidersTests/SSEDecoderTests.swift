import ParleyProviders
import Testing

/// Feeds `pieces` to one decoder in order and gathers every event it dispatches.
private func events(_ pieces: [String]) throws -> [SSEEvent] {
    try events(bytes: pieces.map { Array($0.utf8) })
}

private func events(bytes pieces: [[UInt8]]) throws -> [SSEEvent] {
    var decoder = SSEDecoder()
    var out: [SSEEvent] = []
    for piece in pieces { out += try decoder.decode(piece) }
    return out
}

/// Every way of cutting `text` in two gives the same events as feeding it whole.
private func sameEventsAtEveryCut(_ bytes: [UInt8]) throws -> Bool {
    let whole = try events(bytes: [bytes])
    for cut in 0...bytes.count where try events(bytes: [Array(bytes[..<cut]), Array(bytes[cut...])]) != whole {
        return false
    }
    return try events(bytes: bytes.map { [$0] }) == whole
}

@Suite("Server-sent events are framed by the WHATWG rules")
struct SSEDecoderTests {
    @Test("a data line and a blank line make one message event")
    func simpleEvent() throws {
        #expect(try events(["data: hello\n\n"]) == [SSEEvent(data: "hello")])
    }

    @Test(
        "LF, CRLF and CR line ends, and any mix of them, frame the same events",
        arguments: ["\n", "\r\n", "\r"])
    func lineEnds(_ end: String) throws {
        let text = "event: a\(end)data: 1\(end)\(end)data: 2\(end)data: 3\(end)\(end)"
        #expect(try events([text]) == [SSEEvent(type: "a", data: "1"), SSEEvent(data: "2\n3")])
    }

    @Test("a stream mixing LF, CRLF and CR frames each line once")
    func mixedLineEnds() throws {
        let text = "data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r"
        #expect(try events([text]) == [SSEEvent(data: "a\nb\nc"), SSEEvent(data: "d")])
        #expect(try sameEventsAtEveryCut(Array(text.utf8)))
    }

    @Test("a CR at the end of one piece and its LF at the start of the next are one line end, not two")
    func crlfAcrossPieces() throws {
        #expect(try events(["data: a\r", "\ndata: b\r", "\n\r", "\n"]) == [SSEEvent(data: "a\nb")])
    }

    @Test("comment lines such as OpenRouter's keep-alives are ignored, even between data lines")
    func comments() throws {
        let text = ": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\ndata: x\n:\ndata: y\n\n"
        #expect(try events([text]) == [SSEEvent(data: "x\ny")])
    }

    @Test("exactly one space after the colon is stripped; a value without it is kept whole")
    func leadingSpace() throws {
        #expect(
            try events(["data:  two\n\n", "data:none\n\n", "data:\t tab\n\n"]) == [
                SSEEvent(data: " two"), SSEEvent(data: "none"), SSEEvent(data: "\t tab"),
            ])
    }

    @Test("a colon inside the value belongs to the value")
    func colonInValue() throws {
        #expect(try events([#"data: {"a":"b:c"}"# + "\n\n"]) == [SSEEvent(data: #"{"a":"b:c"}"#)])
    }

    @Test("a field line without a colon is a field with an empty value")
    func fieldWithoutColon() throws {
        #expect(try events(["data\n\n"]) == [SSEEvent(data: "")], "a bare data line dispatches empty data")
        #expect(try events(["data\ndata\n\n"]) == [SSEEvent(data: "\n")])
        #expect(try events(["event\ndata: x\n\n"]) == [SSEEvent(data: "x")], "an empty event type means message")
    }

    @Test("`data:` with no value still dispatches, with empty data")
    func emptyData() throws {
        #expect(try events(["data:\n\n"]) == [SSEEvent(data: "")])
    }

    @Test("an event with no data lines is not dispatched, and its type does not leak into the next one")
    func noData() throws {
        #expect(try events(["event: ping\n\n", "data: x\n\n"]) == [SSEEvent(data: "x")])
        #expect(try events(["\n\n\n"]) == [], "extra blank lines dispatch nothing")
    }

    @Test("the `event:` field names the event; the id is kept for later events; retry and unknown fields are ignored")
    func fields() throws {
        let text = "event: error\nid: 7\nretry: 100\nfoo: bar\ndata: x\n\ndata: y\n\nid: 8\u{0}\ndata: z\n\n"
        #expect(
            try events([text]) == [
                SSEEvent(type: "error", data: "x", id: "7"), SSEEvent(data: "y", id: "7"),
                SSEEvent(data: "z", id: "7"),
            ], "an id containing NUL is ignored")
    }

    @Test("field names are case-sensitive")
    func caseSensitive() throws {
        #expect(try events(["Data: x\n\ndata: y\n\n"]) == [SSEEvent(data: "y")])
    }

    @Test("a byte order mark at the very start is skipped, but only there")
    func byteOrderMark() throws {
        #expect(try events(["\u{FEFF}data: x\n\n"]) == [SSEEvent(data: "x")])
        #expect(try events(bytes: [[0xEF], [0xBB, 0xBF, 0x64], Array("ata: x\n\n".utf8)]) == [SSEEvent(data: "x")])
        #expect(
            try events(["data: a\n\n\u{FEFF}data: b\n\n"]) == [SSEEvent(data: "a")],
            "later, the BOM is part of an unknown field name")
    }

    @Test("an event the stream never finishes with a blank line is discarded")
    func unterminatedEvent() throws {
        #expect(try events(["data: a\n\ndata: b\n"]) == [SSEEvent(data: "a")])
        #expect(try events(["data: a\n\ndata: b"]) == [SSEEvent(data: "a")])
    }

    @Test("a 4-byte character cut inside its UTF-8 sequence arrives whole")
    func splitInsideCharacter() throws {
        let bytes = Array("data: a😊b\n\n".utf8)
        for cut in 8...10 {
            #expect(try events(bytes: [Array(bytes[..<cut]), Array(bytes[cut...])]) == [SSEEvent(data: "a😊b")])
        }
        #expect(try sameEventsAtEveryCut(bytes))
    }

    @Test("invalid UTF-8 is shown as U+FFFD instead of failing the stream")
    func invalidUTF8() throws {
        let bytes = Array("data: a".utf8) + [0xFF, 0xC3] + Array("b\n\n".utf8)
        #expect(try events(bytes: [bytes]) == [SSEEvent(data: "a\u{FFFD}\u{FFFD}b")])
    }

    @Test("a line just under 1 MiB is accepted")
    func longLine() throws {
        let value = String(repeating: "x", count: (1 << 20) - 10)
        #expect(try events(["data: " + value + "\n\n"]).first?.data.utf8.count == value.utf8.count)
    }

    @Test("a line over 1 MiB is a framing error, wherever the pieces are cut")
    func tooLongLine() {
        var decoder = SSEDecoder()
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        #expect(throws: FramingError.self) {
            _ = try decoder.decode(Array("data: ".utf8))
            for _ in 0..<17 { _ = try decoder.decode(piece) }
        }
        var single = SSEDecoder()
        #expect(throws: FramingError.self) { try single.decode([UInt8](repeating: 0x61, count: (1 << 20) + 1)) }
    }

    @Test("many data lines adding up to over 1 MiB are a framing error too")
    func tooLongEvent() {
        var decoder = SSEDecoder()
        let line = Array(("data: " + String(repeating: "y", count: 1000) + "\n").utf8)
        #expect(throws: FramingError.self) {
            for _ in 0..<1100 { _ = try decoder.decode(line) }
        }
    }

    @Test("a comment line over 1 MiB is a framing error: nothing is held without bound")
    func tooLongComment() {
        var decoder = SSEDecoder()
        #expect(throws: FramingError.self) {
            try decoder.decode(Array(":".utf8) + [UInt8](repeating: 0x61, count: 1 << 20))
        }
    }

    @Test("events decoded before a framing error in the same piece are still delivered")
    func eventsBeforeError() {
        var decoder = SSEDecoder()
        var delivered: [SSEEvent] = []
        let bytes = Array("data: a\n\ndata: ".utf8) + [UInt8](repeating: 0x62, count: 1 << 20)
        #expect(throws: FramingError.self) { try decoder.decode(bytes, into: &delivered) }
        #expect(delivered == [SSEEvent(data: "a")])
    }

    @Test("a realistic OpenAI stream frames the same whatever the cuts")
    func everyCut() throws {
        let text = """
            : keep-alive\r
            data: {"choices":[{"delta":{"content":"é😊"}}]}\r
            \r
            event: error\ndata: {"error":{}}\n\ndata: [DONE]\r\r
            """
        #expect(try sameEventsAtEveryCut(Array(text.utf8)))
        #expect(try events([text]).count == 3)
    }
}
