import ParleyProviders
import Testing

/// Feeds `pieces` to one decoder, ends the body, and gathers every line as text.
private func lines(_ pieces: [[UInt8]]) throws -> [String] {
    var decoder = NDJSONDecoder()
    var out: [[UInt8]] = []
    for piece in pieces { out += try decoder.decode(piece) }
    out += decoder.finish()
    return out.map { String(decoding: $0, as: UTF8.self) }
}

private func lines(_ text: String) throws -> [String] { try lines([Array(text.utf8)]) }

@Suite("Newline-delimited JSON is framed line by line")
struct NDJSONDecoderTests {
    @Test("each LF-terminated line is one frame")
    func simpleLines() throws {
        #expect(try lines(#"{"a":1}"# + "\n" + #"{"b":2}"# + "\n") == [#"{"a":1}"#, #"{"b":2}"#])
    }

    @Test("a CR before the LF is dropped, also when the CR and LF arrive in different pieces")
    func crlf() throws {
        #expect(try lines("one\r\ntwo\r\n") == ["one", "two"])
        #expect(try lines([Array("one\r".utf8), Array("\ntwo".utf8)]) == ["one", "two"])
    }

    @Test("blank and whitespace-only lines are skipped")
    func blankLines() throws {
        #expect(try lines("\n\none\n \t\n\r\ntwo\n\n") == ["one", "two"])
    }

    @Test("a last line without a newline is delivered when the body ends")
    func finalLineWithoutNewline() throws {
        var decoder = NDJSONDecoder()
        #expect(try decoder.decode(Array("one\ntwo".utf8)) == [Array("one".utf8)])
        #expect(decoder.finish() == [Array("two".utf8)])
        #expect(decoder.finish() == [], "nothing is delivered twice")
    }

    @Test("lines come out the same wherever the body is cut, even inside a character")
    func everyCut() throws {
        let bytes = Array("{\"t\":\"é😊\"}\r\n\n{\"done\":true}".utf8)
        let whole = try lines([bytes])
        #expect(whole == ["{\"t\":\"é😊\"}", "{\"done\":true}"])
        for cut in 0...bytes.count {
            #expect(try lines([Array(bytes[..<cut]), Array(bytes[cut...])]) == whole, "cut at \(cut)")
        }
        #expect(try lines(bytes.map { [$0] }) == whole)
    }

    @Test("a line over 1 MiB is a framing error, wherever the pieces are cut")
    func tooLongLine() {
        var decoder = NDJSONDecoder()
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        #expect(throws: FramingError.self) {
            for _ in 0..<17 { _ = try decoder.decode(piece) }
        }
        var single = NDJSONDecoder()
        #expect(throws: FramingError.self) { try single.decode([UInt8](repeating: 0x61, count: (1 << 20) + 1)) }
    }

    @Test("lines decoded before a framing error in the same piece are still delivered")
    func linesBeforeError() {
        var decoder = NDJSONDecoder()
        var delivered: [[UInt8]] = []
        let bytes = Array("{}\n".utf8) + [UInt8](repeating: 0x62, count: (1 << 20) + 1)
        #expect(throws: FramingError.self) { try decoder.decode(bytes, into: &delivered) }
        #expect(delivered == [Array("{}".utf8)])
    }

    @Test("a line of exactly 1 MiB is accepted")
    func maximalLine() throws {
        var decoder = NDJSONDecoder()
        let line = [UInt8](repeating: 0x61, count: 1 << 20)
        #expect(try decoder.decode(line + [0x0A]) == [line])
    }
}
