import Testing

@testable import ParleyTUI

/// Find's matching: either case for letters of one or two UTF-8 bytes, ranges in the text's bytes.
@Suite("Find ignores case in Latin, Greek and Cyrillic letters, not only ASCII")
struct FindTextTests {
    /// The matched pieces of `text`, as found.
    static func found(_ query: String, in text: String) -> [String] {
        let bytes = Array(text.utf8)
        return FindText.occurrences(of: query, in: text).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test("ASCII either way round, as before")
    func ascii() {
        #expect(Self.found("APPLE", in: "An apple, an Apple, an APPLE.") == ["apple", "Apple", "APPLE"])
        #expect(Self.found("apple", in: "pineAPPLE") == ["APPLE"])
    }

    @Test("accented Latin, Greek and Cyrillic capitals find their small letters, and back")
    func twoByteLetters() {
        #expect(Self.found("élan", in: "ÉLAN vital, élan, Élan") == ["ÉLAN", "élan", "Élan"])
        #expect(Self.found("STRAßE", in: "Straße") == ["Straße"])
        #expect(Self.found("über", in: "ÜBER alles") == ["ÜBER"])
        #expect(Self.found("мир", in: "Миру МИР, мир") == ["Мир", "МИР", "мир"])
        #expect(Self.found("ΑΘΉΝΑ", in: "Αθήνα") == ["Αθήνα"])
        #expect(Self.found("łódź", in: "ŁÓDŹ") == ["ŁÓDŹ"])
        #expect(Self.found("ǆ", in: "ǅ Ǆ ǆ") == ["ǅ", "Ǆ", "ǆ"], "title case and capital both have ǆ for small letter")
    }

    @Test("a match's range is the text's own bytes, even where the letters' cases differ in their first byte")
    func ranges() {
        // Р is D0 A0 and р is D1 80: the lead byte differs between the cases.
        let text = "x Роза"
        #expect(FindText.occurrences(of: "роза", in: text) == [2..<10])
        #expect(FindText.occurrences(of: "Ä", in: "aäÄ") == [1..<3, 3..<5])
    }

    @Test("letters that are not letters of one case, and three-byte letters, match only as typed")
    func asTyped() {
        #expect(Self.found("×", in: "× ÷ ×") == ["×", "×"], "× is no capital of ÷")
        #expect(Self.found("日本", in: "日本語と日本") == ["日本", "日本"])
        #expect(Self.found("Ａ", in: "ａＡ") == ["Ａ"], "full-width letters are three bytes: as typed")
    }

    @Test("a character is never split: a query of a continuation byte's worth finds nothing inside another letter")
    func wholeCharacters() {
        // é is C3 A9; ©, C2 A9, shares its second byte.
        #expect(Self.found("é", in: "©") == [])
        #expect(Self.found("é", in: "café") == ["é"])
    }
}
