import Testing

@testable import ParleyTUI

@Suite("Text is measured as ncurses measures it, and what it cannot draw is replaced")
struct GlyphTests {
    init() { Glyphs.useUTF8Locale() }

    @Test("CJK and emoji take two columns, combining marks none, tabs stop every four")
    func widths() {
        #expect(Glyphs.width(of: "abc") == 3)
        #expect(Glyphs.width(of: "日本語") == 6)
        #expect(Glyphs.width(of: "🎉") == 2)
        #expect(Glyphs.width(of: "e\u{301}") == 1)
        #expect(Glyphs.of("e\u{301}x"[...]).map(\.text) == ["e\u{301}", "x"])
        #expect(Glyphs.width(of: "a\tb") == 5)
        #expect(Glyphs.width(of: "abcd\te") == 9)
    }

    @Test("control characters and bidi overrides become visible pictures, never terminal control")
    func controls() {
        let glyphs = Glyphs.of("a\u{1B}[31mb\u{202E}c"[...]).map(\.text).joined()
        #expect(glyphs == "a␛[31mb<U+202E>c")
        #expect(!glyphs.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test("joiners and emoji variation selectors are dropped, so each emoji is measured as drawn")
    func joiners() {
        #expect(Glyphs.of("👩\u{200D}👩\u{200D}👧"[...]).map(\.text) == ["👩", "👩", "👧"])
        #expect(Glyphs.width(of: "❤\u{FE0F}") == 1)
    }

    @Test("a line cut to fit ends in an ellipsis within its columns, each run keeping its style")
    func truncatedLines() {
        let bold = Style(.normal, [.bold])
        #expect(Line("Hello world").truncated(to: 5) == Line("Hell…"))
        #expect(Line("Hello").truncated(to: 5) == Line("Hello"))
        #expect(Line("Hello").truncated(to: 1) == Line("…"))
        #expect(Line("Hello").truncated(to: 0) == .empty)
        let styled = Line([Run("ab", bold), Run("cdef")])
        #expect(styled.truncated(to: 4) == Line([Run("ab", bold), Run("c…")]))
        #expect(styled.truncated(to: 3) == Line([Run("ab", bold), Run("…")]))
        #expect(Line("日本語テキスト").truncated(to: 5) == Line("日本…"))
        #expect(Line([Run("ab"), Run("日本語", bold)]).truncated(to: 5) == Line([Run("ab"), Run("日…", bold)]))
        #expect(Line("a\tbcdefgh").truncated(to: 6).width <= 6)
    }

    @Test("a frame keeps wide glyphs whole: one that would straddle the edge is left out")
    func wideAtEdge() {
        var frame = Frame(Size(width: 5, height: 1))
        let written = frame.draw("ab日本", row: 0, column: 0)
        #expect(written == 4)
        #expect(frame.rows == ["ab日 "])
        #expect(frame[0, 3].isContinuation)
    }
}

@Suite("Wrapping by display width")
struct WrapTests {
    init() { Glyphs.useUTF8Locale() }

    func wrap(_ text: String, _ width: Int) -> [String] {
        Wrap.lines([Run(text)], width: width).map(\.text)
    }

    @Test("words move whole to the next line; the spaces where lines break are dropped")
    func words() {
        #expect(wrap("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"])
    }

    @Test("a word longer than the line is cut")
    func longWord() {
        #expect(wrap("abcdefghijkl xy", 5) == ["abcde", "fghij", "kl xy"])
    }

    @Test("wide glyphs never split across a line's end")
    func cjk() {
        #expect(wrap("日本語のテキスト", 7) == ["日本語", "のテキ", "スト"])
    }

    @Test("indentation at the start is kept, and a hanging prefix starts each next line")
    func prefixes() {
        let lines = Wrap.lines([Run("  one two three")], width: 9, firstPrefix: Line("• "), restPrefix: Line("  "))
        #expect(lines.map(\.text) == ["•   one", "  two", "  three"])
    }

    @Test("text that skips measuring (Latin, box drawing) measures and draws exactly as measured text does")
    func singleColumnFastPath() {
        let scalars = (0x20..<0x7F).map { $0 } + (0xA0..<0x300).map { $0 } + (0x2500..<0x25A0).map { $0 }
        for value in scalars {
            let scalar = Unicode.Scalar(UInt32(value))!
            #expect(Glyphs.isSingleColumn(scalar))
            let measured = Glyphs.of(String(scalar)[...])
            #expect(measured.map(\.width) == [1], "U+\(String(value, radix: 16))")
            #expect(measured.map(\.text) == [String(scalar)], "U+\(String(value, radix: 16))")
        }
        // Past the ranges the fast path stops: a combining mark joins, a control becomes a picture.
        #expect(!Glyphs.isSingleColumn("\u{301}") && !Glyphs.isSingleColumn("\u{85}"))
        #expect(Glyphs.width(of: "┌─é─┐") == 5)
        #expect(Glyphs.width(of: "e\u{301}─") == 2)
    }
}
