import Testing

@testable import ParleyTUI

@Suite("Keys and pastes from the terminal")
struct KeyParserTests {
    static func characters(_ text: String) -> [KeyParser.Raw] { text.unicodeScalars.map { .character($0) } }
    static let begin = KeyParser.Raw.function(KeyParser.pasteBegin)
    static let end = KeyParser.Raw.function(KeyParser.pasteEnd)

    @Test("a paste keeps its lines, and its CR is a new line, never Enter")
    func pasteKeepsLines() {
        var parser = KeyParser()
        let inputs = parser.parse([Self.begin] + Self.characters("one\rtwo\nthree") + [Self.end])
        #expect(inputs == [.paste("one\ntwo\nthree")])
    }

    @Test("a paste holding an end marker: the marker and what follows are pasted text, nothing is sent")
    func embeddedEndMarker() {
        var parser = KeyParser()
        let burst =
            [Self.begin] + Self.characters("look here") + [Self.end] + Self.characters("rm -rf ~\r") + [Self.end]
        #expect(parser.parse(burst) == [.paste("look here\u{1B}[201~rm -rf ~\n")])
    }

    @Test("a paste holding a begin marker keeps it as text")
    func embeddedBeginMarker() {
        var parser = KeyParser()
        let burst = [Self.begin] + Self.characters("a") + [Self.begin] + Self.characters("b") + [Self.end]
        #expect(parser.parse(burst) == [.paste("a\u{1B}[200~b")])
    }

    @Test("Enter typed right after a paste, in the same burst, is still Enter")
    func enterAfterPaste() {
        var parser = KeyParser()
        let inputs = parser.parse([Self.begin] + Self.characters("hi") + [Self.end] + Self.characters("\r"))
        #expect(inputs == [.paste("hi"), .key(.enter)])
    }

    @Test("a long paste spread over bursts is gathered whole")
    func pasteAcrossBursts() {
        var parser = KeyParser()
        #expect(parser.parse([Self.begin] + Self.characters("first ")).isEmpty)
        #expect(parser.parse(Self.characters("second")).isEmpty)
        #expect(parser.parse([Self.end] + Self.characters("x")) == [.paste("first second"), .key(.character("x"))])
    }

    @Test("Esc then a key is Alt and that key; Esc alone is Esc")
    func alt() {
        var parser = KeyParser()
        #expect(parser.parse(Self.characters("\u{1B}b")) == [.key(.alt("b"))])
        #expect(parser.parse(Self.characters("\u{1B}\r")) == [.key(.altEnter)])
        #expect(parser.parse(Self.characters("\u{1B}")) == [.key(.escape)])
    }
}
