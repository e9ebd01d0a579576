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

    static let report = KeyParser.Raw.function(KeyParser.mouseReport)

    /// A mouse report as ncurses hands it over: the prefix as a key of its own, then its characters.
    static func mouse(_ text: String) -> [KeyParser.Raw] { [report] + characters(text) }

    @Test("a click's report, split anywhere into bursts, is one click at its cell, counted from 0")
    func clickAtEverySplit() {
        let raw = Self.mouse("0;12;5M") + Self.characters("x")
        let expected: [KeyParser.Input] = [.mouse(MouseEvent(.click, row: 4, column: 11)), .key(.character("x"))]
        for split in 0...raw.count {
            var parser = KeyParser()
            let inputs = parser.parse(Array(raw[..<split])) + parser.parse(Array(raw[split...]))
            #expect(inputs == expected, "split at \(split)")
        }
        var parser = KeyParser()
        #expect(raw.flatMap { parser.parse([$0]) } == expected, "one character a burst")
    }

    @Test("the wheel's notches are 64 and 65; Shift, Alt and Ctrl held change nothing")
    func wheel() {
        var parser = KeyParser()
        let inputs = parser.parse(Self.mouse("64;3;7M") + Self.mouse("65;100;200M") + Self.mouse("84;1;1M"))
        #expect(
            inputs == [
                .mouse(MouseEvent(.wheelUp, row: 6, column: 2)), .mouse(MouseEvent(.wheelDown, row: 199, column: 99)),
                .mouse(MouseEvent(.wheelUp, row: 0, column: 0)),
            ])
    }

    @Test(
        "reports the app does not act on are dropped whole, never typed: a release, a drag, other buttons, sideways, odd ones"
    )
    func othersDropped() {
        let reports = [
            "0;12;5m", "32;12;5M", "2;12;5M", "1;12;5M", "66;1;1M", "0;12M", "0;1;2;3M", "0;0;5M", ";;M", "M",
            "99999999999999999999;1;1M", "0;5;5~",
        ]
        for text in reports {
            var parser = KeyParser()
            #expect(parser.parse(Self.mouse(text) + Self.characters("x")) == [.key(.character("x"))], "\(text)")
        }
    }

    @Test("a report broken off by something no report holds: that is input of its own, the report is dropped")
    func brokenOff() {
        var parser = KeyParser()
        #expect(
            parser.parse(Self.mouse("0;1") + [Self.begin] + Self.characters("hi") + [Self.end]) == [.paste("hi")])
        #expect(parser.parse(Self.mouse("0;1") + Self.characters("\r")) == [.key(.enter)])
    }

    @Test("a paste holding the report's prefix keeps it as text")
    func reportPrefixInPaste() {
        var parser = KeyParser()
        #expect(
            parser.parse([Self.begin] + Self.characters("a") + [Self.report] + Self.characters("0;1;1Mb") + [Self.end])
                == [.paste("a\u{1B}[<0;1;1Mb")])
    }
}
