import ParleyCore
import Testing

@testable import ParleyTUI

/// Printable ASCII is wrapped a word at a time, everything else glyph by glyph: the two must
/// never disagree, whatever the text, the width, the prefixes or the pieces it comes in.
@Suite("Word wrap: the fast way through plain ASCII wraps exactly as glyph by glyph")
struct ASCIIWrapTests {
    /// Words and spaces to build texts from: plain ASCII, marks that join the character before
    /// them, wide characters, tabs, controls, emoji with joiners.
    static let pieces = [
        "word", "a", "supercalifragilistic", " ", " ", "  ", "e\u{301}", "\u{301}", "日本語", "語", "\t", "x\t",
        "\u{1B}[31m", "👩‍💻", "🇫🇷", "é", "ü", "──", "-", "http://example.com/a/very/long/path?query=1",
    ]

    @Test(
        "random texts at every width from 1 to 30, with and without prefixes, match the glyph-by-glyph wrap, and counting agrees"
    )
    func matchesGlyphByGlyph() {
        Glyphs.useUTF8Locale()
        var random = SeededRandom(seed: 2026)
        let prefixes = [Line.empty, Line("• "), Line("│ ", Style(.muted)), Line("    ")]
        for round in 0..<3_000 {
            let text = (0..<Int.random(in: 0...24, using: &random)).map { _ in
                Self.pieces.randomElement(using: &random)!
            }
            .joined()
            let width = round % 30 + 1
            let first = prefixes.randomElement(using: &random)!
            let rest = prefixes.randomElement(using: &random)!
            let styles = [Style.plain, Style(.code), Style(.heading, [.bold])]
            // The text in runs of different styles, cut where a run may end (never before a mark).
            var runs: [Run] = []
            var start = text.startIndex
            while start < text.endIndex {
                let end =
                    text.index(start, offsetBy: Int.random(in: 1...12, using: &random), limitedBy: text.endIndex)
                    ?? text.endIndex
                runs.append(Run(String(text[start..<end]), styles.randomElement(using: &random)!))
                start = end
            }
            let fast = Wrap.lines(runs, width: width, firstPrefix: first, restPrefix: rest)
            let reference = GlyphByGlyph.lines(runs, width: width, firstPrefix: first, restPrefix: rest)
            #expect(fast == reference, "width \(width), runs \(runs.map(\.text))")
            // Counting (for text not on screen) makes the same breaks without keeping the text.
            var counting = LineWrapper(width: width, firstPrefix: first, restPrefix: rest, counting: true)
            for run in runs { counting.feed(run.text[...], run.style) }
            #expect(counting.lineCount == fast.count, "width \(width), runs \(runs.map(\.text))")
            if fast != reference || counting.lineCount != fast.count { return }
        }
    }

    @Test(
        "a long word is cut where each line ends, never glued to the word before; a mark after ASCII stays on its letter"
    )
    func cuts() {
        Glyphs.useUTF8Locale()
        #expect(Wrap.lines([Run("abcdefghij")], width: 4).map(\.text) == ["abcd", "efgh", "ij"])
        #expect(Wrap.lines([Run("one two three")], width: 7).map(\.text) == ["one two", "three"])
        // Cut from the line it starts on when a column is left after the space; else from its own.
        #expect(Wrap.lines([Run("the column")], width: 5).map(\.text) == ["the c", "olumn"])
        #expect(Wrap.lines([Run("note longer")], width: 5).map(\.text) == ["note", "longe", "r"])
        #expect(Wrap.lines([Run("cafe\u{301} au lait")], width: 5).map(\.text) == ["café", "au", "lait"])
        #expect(Wrap.lines([Run("  indented text")], width: 10).map(\.text) == ["  indented", "text"])
    }
}

/// The wrap as it was before ASCII had a way of its own: every character a glyph. Kept here as
/// the reference the fast way must match.
private struct GlyphByGlyph {
    let width: Int
    let restPrefix: Line
    var finished: [Line] = []
    var current: Line
    var prefixWidth: Int
    var used = 0
    var column = 0
    var indenting = true
    var spaces: [(Glyph, Style)] = []
    var word: [(Glyph, Style)] = []
    var wordWidth = 0

    static func lines(_ runs: [Run], width: Int, firstPrefix: Line, restPrefix: Line) -> [Line] {
        var wrapper = GlyphByGlyph(
            width: width, restPrefix: LineWrapper.fitted(restPrefix, width: width),
            current: LineWrapper.fitted(firstPrefix, width: width), prefixWidth: 0)
        wrapper.prefixWidth = wrapper.current.width
        for run in runs { wrapper.feed(run.text[...], run.style) }
        wrapper.placeWord()
        return wrapper.finished + [wrapper.current]
    }

    var available: Int { max(1, width - prefixWidth) }
    var lineRoom: Int { max(1, width - restPrefix.width) }

    mutating func feed(_ text: Substring, _ style: Style) {
        for glyph in Glyphs.of(text, startingAt: column) {
            column += glyph.width
            if glyph.text == " " {
                if indenting {
                    if used + glyph.width <= available - LineWrapper.textRoom { append((glyph, style)) }
                } else {
                    placeWord()
                    spaces.append((glyph, style))
                }
            } else {
                indenting = false
                word.append((glyph, style))
                wordWidth += glyph.width
            }
        }
    }

    mutating func placeWord() {
        guard !word.isEmpty else { return }
        if used + spaces.count + wordWidth <= available {
            for space in spaces { append(space) }
        } else if wordWidth <= lineRoom, used > 0 {
            breakLine()
        } else if used + spaces.count < available {
            for space in spaces { append(space) }
        } else if used > 0 {
            breakLine()
        }
        spaces.removeAll()
        for glyph in word {
            if used + glyph.0.width > available, used > 0 { breakLine() }
            append(glyph)
        }
        word.removeAll()
        wordWidth = 0
    }

    mutating func append(_ glyph: (Glyph, Style)) {
        current.append(glyph.0.text, glyph.1)
        used += glyph.0.width
    }

    mutating func breakLine() {
        finished.append(current)
        current = restPrefix
        prefixWidth = restPrefix.width
        used = 0
    }
}
