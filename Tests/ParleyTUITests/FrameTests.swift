import Testing

@testable import ParleyTUI

@Suite("A frame's cells hold exactly what is drawn: glyphs whole, styles kept, changed rows told apart")
struct FrameTests {
    init() { Glyphs.useUTF8Locale() }

    @Test("a combining mark stays with its letter, a wide glyph takes two cells, and the row reads as drawn")
    func glyphsWhole() {
        var frame = Frame(Size(width: 8, height: 1))
        frame.draw("e\u{301}日🎉x", Style(.accent), row: 0, column: 0)
        #expect(frame.rows == ["e\u{301}日🎉x  "])
        #expect(frame[0, 0].text == "e\u{301}")
        #expect(frame[0, 1].text == "日" && frame[0, 2].isContinuation)
        #expect(frame[0, 3].text == "🎉" && frame[0, 4].isContinuation)
        #expect((0..<5).allSatisfy { frame[0, $0].style == Style(.accent) }, "a wide glyph's right half has its style")
        #expect(frame[0, 6] == .blank)
    }

    @Test("a letter keeps four combining marks, as many as the terminal keeps in a cell; more are dropped")
    func marksKept() {
        let marks = ["\u{301}", "\u{302}", "\u{303}", "\u{304}", "\u{305}"]
        var frame = Frame(Size(width: 3, height: 1))
        frame.draw("a" + marks.joined() + "b", row: 0, column: 0)
        #expect(Array(frame[0, 0].text.unicodeScalars) == Array(("a" + marks.prefix(4).joined()).unicodeScalars))
        #expect(frame[0, 1].text == "b")
    }

    @Test("every role and attribute a cell is drawn in is the one it shows, whatever its glyph")
    func stylesKept() {
        let attributes: [Style.Attributes] = [
            [], .bold, .italic, .underline, .reverse, .dim, [.bold, .underline, .dim],
        ]
        for role in Style.Role.allCases {
            for given in attributes {
                let style = Style(role, given)
                for text in ["x", "日", "\u{10FFFD}", "o\u{308}\u{304}\u{301}\u{323}"] {
                    let cell = Cell(text, style)
                    #expect(cell.style == style && Array(cell.text.unicodeScalars) == Array(text.unicodeScalars))
                }
            }
        }
    }

    @Test("restyling a selection bar keeps the text under it")
    func restyleKeepsText() {
        var frame = Frame(Size(width: 6, height: 1))
        frame.draw("ab日c", row: 0, column: 0)
        frame.restyle(Rect(x: 0, y: 0, width: 6, height: 1), Style(.selection, [.reverse]))
        #expect(frame.rows == ["ab日c "])
        #expect(frame[0, 2].style == Style(.selection, [.reverse]) && frame[0, 3].isContinuation)
    }

    @Test("a row differs from the last frame's when any cell in it changed, even only its style or its mark")
    func changedRows() {
        var before = Frame(Size(width: 10, height: 3))
        before.draw("hello", row: 0, column: 0)
        before.draw("cafe", row: 1, column: 0)
        before.draw("same", row: 2, column: 0)
        var restyled = before
        restyled.restyle(Rect(x: 9, y: 0, width: 1, height: 1), Style(.muted))
        #expect(!restyled.sameRow(0, as: before))
        var marked = before
        marked.draw("e\u{301}", row: 1, column: 3)
        #expect(marked.rows[1] == "cafe\u{301}      ")
        #expect(!marked.sameRow(1, as: before))
        #expect(marked.sameRow(0, as: before) && marked.sameRow(2, as: before))
    }

    @Test("a box's borders are drawn cell by cell and clipped at the frame's edge")
    func boxClipped() {
        var frame = Frame(Size(width: 6, height: 3))
        frame.box(Rect(x: 2, y: 0, width: 6, height: 3), title: Line(), focused: false)
        #expect(frame.rows == ["  ┌───", "  │   ", "  └───"])
        #expect(frame[0, 2].style == Style(.border))
    }
}
