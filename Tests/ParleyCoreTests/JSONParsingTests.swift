import ParleyCore
import Testing

@Suite("Reading JSON from providers")
struct JSONParsingTests {
    @Test("every kind of value reads back as what it is")
    func everyValueKind() throws {
        let json = try JSON.parse(
            #" { "s": "text", "n": 12.5, "t": true, "f": false, "z": null, "a": [1, "two", [] ], "o": {} } "#)
        #expect(json["s"] == "text")
        #expect(json["n"]?.double == 12.5)
        #expect(json["t"]?.bool == true)
        #expect(json["f"]?.bool == false)
        #expect(json["z"]?.isNull == true)
        #expect(json["a"] == [1, "two", []])
        #expect(json["o"] == .object([:]))
        #expect(json["missing"] == nil)
        #expect(json["a"]?[5] == nil, "an index past the end is absent, not a crash")
        #expect(json["a"]?[-1] == nil)
    }

    @Test("a top-level scalar is a JSON text too")
    func topLevelScalars() throws {
        #expect(try JSON.parse("42") == 42)
        #expect(try JSON.parse(" \"x\" ") == "x")
        #expect(try JSON.parse("null") == .null)
        #expect(try JSON.parse(Array("[true]".utf8)) == [true])
    }

    @Test("bytes from any collection parse the same as contiguous ones")
    func nonContiguousBytes() throws {
        let bytes = Array(#"{"a":[1,2]}"#.utf8)
        #expect(try JSON.parse(bytes.lazy.map { $0 }) == ["a": [1, 2]])
        #expect(try JSON.parse(bytes[...]) == ["a": [1, 2]])
    }

    @Test("escapes become the characters they stand for")
    func escapes() throws {
        let json = try JSON.parse(#""q\" b\\ s\/ \b\f\n\r\t \u0041\u00e9\u20AC""#)
        #expect(json == "q\" b\\ s/ \u{08}\u{0C}\n\r\t Aé€")
    }

    @Test("an escaped surrogate pair is one character outside the basic plane")
    func surrogatePairs() throws {
        #expect(try JSON.parse(#""\ud83d\ude0a""#) == "😊")
        #expect(try JSON.parse(#""a\uD83D\uDE0Ab""#) == "a😊b")
    }

    @Test("a lone surrogate becomes U+FFFD and the rest of the string survives")
    func loneSurrogates() throws {
        #expect(try JSON.parse(#""\ud83d""#) == "\u{FFFD}")
        #expect(try JSON.parse(#""\ud83dx""#) == "\u{FFFD}x")
        #expect(try JSON.parse(#""\ude0a""#) == "\u{FFFD}")
        #expect(try JSON.parse(#""\ud83d\u0041""#) == "\u{FFFD}A", "a high surrogate before a non-surrogate")
        #expect(try JSON.parse(#""\ud83d\ud83d\ude0a""#) == "\u{FFFD}😊", "two highs, then a pair")
        #expect(try JSON.parse(#""\ud83d\n""#) == "\u{FFFD}\n")
    }

    @Test("invalid UTF-8 inside a string becomes U+FFFD, with or without escapes nearby")
    func invalidUTF8() throws {
        let quote = UInt8(ascii: "\"")
        #expect(try JSON.parse([quote, 0x61, 0xFF, 0x62, quote]) == "a\u{FFFD}b")
        #expect(try JSON.parse([quote, 0x5C, 0x6E, 0xC3, quote]) == "\n\u{FFFD}", "a truncated sequence")
        #expect(
            try JSON.parse([quote, 0xED, 0xA0, 0x80, quote]).string?.contains("\u{FFFD}") == true,
            "an encoded surrogate is not UTF-8")
        #expect(try JSON.parse([quote] + Array("日本".utf8) + [quote]) == "日本")
    }

    @Test("numbers: integers, negatives, fractions, exponents and big integers")
    func numbers() throws {
        #expect(try JSON.parse("0").int == 0)
        #expect(try JSON.parse("-7").int == -7)
        #expect(try JSON.parse("-0.25").double == -0.25)
        #expect(try JSON.parse("1e3").int == 1000)
        #expect(try JSON.parse("2.5E-2").double == 0.025)
        #expect(try JSON.parse("1E+2").int == 100)
        #expect(try JSON.parse("123456789012345678").double == 123_456_789_012_345_678.0)
        #expect(try JSON.parse("9007199254740991").int == 9_007_199_254_740_991)
        #expect(try JSON.parse("12345678901234567890").double == 12_345_678_901_234_567_890.0)
        #expect(try JSON.parse("12345678901234567890").int == nil, "too big for an exact integer")
        #expect(try JSON.parse("1.5").int == nil, "a fraction is not an integer")
        #expect(try JSON.parse("-9223372036854775808").double == -9_223_372_036_854_775_808.0)
    }

    @Test(
        "what is not JSON is an error naming where it went wrong",
        arguments: [
            "", " ", "{", "[1,", #"{"a":1"#, #"{"a" 1}"#, #"{"a":}"#, #"{a:1}"#, "[1 2]", "[1,]", #"{"a":1,}"#,
            #""abc"#, #""\x""#, #""\u12""#, #""\u12G4""#, "tru", "nul", "falsy", "01", "-", "1.", ".5", "1e",
            "1e+", "+1", "NaN", "Infinity", "{} {}", "[1] x", "\"a\"\"b\"", "[\u{0}]",
        ])
    func errors(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test("a raw control character inside a string is an error", arguments: [0x00, 0x0A, 0x1F] as [UInt8])
    func controlCharacters(_ byte: UInt8) {
        let quote = UInt8(ascii: "\"")
        #expect(throws: JSONParseError.self) { try JSON.parse([quote, 0x61, byte, quote]) }
        #expect(throws: JSONParseError.self) { try JSON.parse([quote, 0x5C, 0x6E, byte, quote]) }
    }

    @Test("the error says where the JSON stopped making sense")
    func errorOffset() {
        let error = #expect(throws: JSONParseError.self) { try JSON.parse("[1, 2 3]") }
        #expect(error?.offset == 6)
        #expect(error?.description == "expected ',' or ']' at byte 6")
    }

    @Test("nesting up to 512 deep parses; deeper is an error, not a crash")
    func depth() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSON.parse(deepest).array != nil)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONParseError.self) { try JSON.parse(tooDeep) }
        let hostile = String(repeating: #"{"a":["#, count: 100_000)
        #expect(throws: JSONParseError.self) { try JSON.parse(hostile) }
    }

    @Test("a repeated member name keeps the last value, where the name first came")
    func duplicateKeys() throws {
        let object = try #require(try JSON.parse(#"{"a":1,"b":2,"a":3}"#).object)
        #expect(object["a"] == 3)
        #expect(object.keys == ["a", "b"])
    }

    @Test(
        "a name spelled twice in different ways is one member: through an escape, or as canonically equal Unicode",
        arguments: [#"{"a":1,"\u0061":2}"#, #"{"\u0061":1,"a":2}"#, #"{"é":1,"e\u0301":2}"#, #"{"\u00e9":1,"é":2}"#])
    func sameNameSpelledTwice(text: String) throws {
        let object = try #require(try JSON.parse(text).object)
        #expect(object.count == 1)
        #expect(Array(object).map(\.value) == [2])
    }

    @Test("an escape, a control character or a non-ASCII letter is found wherever it falls in a string")
    func stringBytesAtEveryOffset() throws {
        for offset in 0..<24 {
            let before = String(repeating: "a", count: offset)
            let after = String(repeating: "b", count: 24 - offset)
            #expect(try JSON.parse(#""\#(before)\n\#(after)""#) == .string(before + "\n" + after))
            #expect(try JSON.parse(#""\#(before)é\#(after)""#) == .string(before + "é" + after))
            #expect(try JSON.parse(#""\#(before)""#) == .string(before))
            #expect(try JSON.parse(#""\#(before)\"\#(after)""#) == .string(before + "\"" + after))
            #expect(throws: JSONParseError.self) { try JSON.parse("\"\(before)\u{01}\(after)\"") }
            #expect(throws: JSONParseError.self) { try JSON.parse("\"\(before)\u{1F}\(after)\"") }
            // A non-ASCII name, wherever its letter falls, is not told apart from others by its bytes.
            let object = try JSON.parse(#"{"\#(before)é":1,"\#(before)e\u0301":2,"\#(before)x":3}"#).object
            #expect(object?.count == 2)
        }
    }

    @Test("the names every chunk repeats read as themselves, and a near miss keeps its own spelling")
    func commonNames() throws {
        let chunk = try JSON.parse(
            #"{"id":"x","ie":1,"object":"chat.completion.chunk","objecT":"chat.completion.chunK","choices":[{"index":0,"delta":{"content":"Hi","contenu":"!"}}]}"#
        )
        #expect(chunk.object?.keys == ["id", "ie", "object", "objecT", "choices"])
        #expect(chunk["object"]?.string == "chat.completion.chunk")
        #expect(chunk["objecT"]?.string == "chat.completion.chunK")
        #expect(chunk["choices"]?[0]?["delta"]?.object?.keys == ["content", "contenu"])
        #expect(chunk["choices"]?[0]?["delta"]?["content"]?.string == "Hi")
    }

    @Test(
        "an object of distinct names reads and changes the same at every size around where names are indexed",
        arguments: 13...17)
    func distinctNames(count: Int) throws {
        let text = "{" + (0..<count).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        var object = try #require(try JSON.parse(text).object)
        #expect(object.count == count)
        #expect((0..<count).allSatisfy { object["k\($0)"] == JSON.number(Double($0)) })
        object["k0"] = "changed"
        object["new"] = true
        #expect(object.count == count + 1)
        #expect(object["k0"] == "changed")
        #expect(object["new"] == true)
        #expect(object.keys == (0..<count).map { "k\($0)" } + ["new"])
    }

    @Test("an object keeps its members in the order they came, and equals one with them in any order")
    func memberOrder() throws {
        let object = try #require(try JSON.parse(#"{"z":1,"m":{"y":true,"b":null},"a":"x"}"#).object)
        #expect(object.keys == ["z", "m", "a"])
        #expect(JSON.object(object) == ["a": "x", "z": 1, "m": ["b": nil, "y": true]])
        #expect(JSON.object(object) != ["a": "x", "z": 1, "m": ["b": nil, "y": false]])
        #expect(JSON.object(object) != ["a": "x", "z": 1])
    }

    @Test("a huge object, with repeated names, reads as a small one does", arguments: [10, 14, 15, 16, 100_000])
    func hugeObject(members: Int) throws {
        // Past a few members the object indexes its names: 100,000 stays linear to parse and read.
        let text = "{" + (0..<members).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + #","k0":"last"}"#
        var object = try #require(try JSON.parse(text).object)
        #expect(object.count == members)
        #expect(object["k0"] == "last")
        #expect(object["k\(members - 1)"] == JSON.number(Double(members - 1)))
        #expect(object["k\(members)"] == nil)
        object["k1"] = nil
        object["new"] = true
        #expect(object.count == members)
        #expect(object["k1"] == nil)
        #expect(object["new"] == true)
        #expect(object["k\(members - 1)"] == JSON.number(Double(members - 1)))
        #expect(object.keys.last == "new")
    }
}
