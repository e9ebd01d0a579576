import ParleyCore
import Testing

@Suite("Writing JSON for request bodies and event lines")
struct JSONSerializingTests {
    @Test("object members come out sorted by name, so the same value is always the same text")
    func sortedKeys() {
        let json: JSON = ["b": 1, "a": ["z": true, "c": nil], "B": "x", "é": 0, "aa": []]
        #expect(json.serialized() == #"{"B":"x","a":{"c":null,"z":true},"aa":[],"b":1,"é":0}"#)
    }

    @Test("whole numbers are written without a fraction, others as the shortest exact decimal")
    func numbers() {
        #expect(JSON.number(3).serialized() == "3")
        #expect(JSON.number(-0.0).serialized() == "0")
        #expect(JSON.number(0.1).serialized() == "0.1")
        #expect(JSON.number(-2.5).serialized() == "-2.5")
        #expect(JSON.number(1e20).serialized() == "1e+20")
        #expect(JSON.number(.infinity).serialized() == "null", "JSON has no infinity")
        #expect(JSON.number(.nan).serialized() == "null")
    }

    @Test("quotes, backslashes and control characters are escaped; other text is written as is")
    func escaping() {
        let text = "say \"hi\"\\ \n\r\t \u{0}\u{1F}\u{7F} é 😊"
        #expect(JSON.string(text).serialized() == #""say \"hi\"\\ \n\r\t \u0000\u001f\u007f é 😊""#)
    }

    @Test("U+2028 and U+2029 are escaped, so the text is also safe as a JavaScript line")
    func lineSeparators() {
        #expect(JSON.string("a\u{2028}b\u{2029}").serialized() == #""a\u2028b\u2029""#)
    }

    @Test("text of every kind, escapes at any place in it, comes out as the plain rule says, and reads back")
    func escapesAnywhere() throws {
        // Neighbours of what is escaped: other characters whose UTF-8 starts as U+2028's does
        // (E2 80 …), a separator's last byte alone in a longer character, text around them.
        let pieces = [
            "a", "word ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{2028}",
            "\u{2029}", "\u{2027}", "\u{202A}", "—", "…", "€", "é", "日本", "😊", "\u{85}", "\u{A8}", "\r\n",
        ]
        var random = SeededRandom(seed: 7)
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                pieces.randomElement(using: &random)!
            }.joined()
            #expect(JSON.string(text).serialized() == Self.quotedByTheRule(text), "\(Array(text.unicodeScalars))")
            #expect(try JSON.parse(JSON.string(text).serialized()) == .string(text))
        }
    }

    @Test("the bytes are the text's UTF-8")
    func bytes() {
        let json: JSON = ["text": "日本 \u{2028} \"x\"", "n": [1, 2.5, nil, true]]
        #expect(json.serializedBytes() == Array(json.serialized().utf8))
    }

    /// What JSON text a string becomes, a character at a time: the rule the writer follows.
    static func quotedByTheRule(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    @Test(
        "what is written reads back as the same value",
        arguments: [
            JSON.object([
                "text": "line\nbreak \"quoted\" \u{1}\u{2028} 日本 😊", "n": -12.75, "big": 1e300, "small": 1e-300,
                "list": [true, false, nil, 0, [["deep": "x"]]], "empty": [:],
            ]),
            JSON.array([]),
            JSON.string(""),
            JSON.number(9_007_199_254_740_991),
        ])
    func roundTrip(_ value: JSON) throws {
        #expect(try JSON.parse(value.serialized()) == value)
    }
}
