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
