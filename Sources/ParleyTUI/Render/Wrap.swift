/// Greedy word wrap by display width. Words move whole to the next line when they fit there;
/// a word wider than the line is cut. Spaces where a line breaks are dropped, indentation at the
/// start of a paragraph is kept (as far as the pane has room for it).
public enum Wrap {
    /// `runs` (one logical line, no newline) laid out in `width` columns: the first line starts
    /// with `firstPrefix`, the others with `restPrefix`.
    public static func lines(
        _ runs: [Run], width: Int, firstPrefix: Line = .empty, restPrefix: Line = .empty
    ) -> [Line] {
        var wrapper = LineWrapper(width: width, firstPrefix: firstPrefix, restPrefix: restPrefix)
        for run in runs { wrapper.feed(run.text[...], run.style) }
        return wrapper.lines
    }
}

/// The wrap as a state machine that takes its line in pieces: greedy wrapping never moves a
/// break it has made when more text comes, so a growing line (a reply streaming one long line)
/// is laid out once, piece by piece, and gives exactly the lines `Wrap.lines` would.
struct LineWrapper {
    let width: Int
    let restPrefix: Line
    /// Lines that are final.
    private(set) var finished: [Line] = []
    private var current: Line
    private var prefixWidth: Int
    /// Columns used after the prefix.
    private var used = 0
    /// The line's column, for tab stops.
    private var column = 0
    /// Still in the leading spaces, which are indentation and kept as written.
    private var indenting = true
    private var spaces: [(Glyph, Style)] = []
    private var word: [(Glyph, Style)] = []
    private var wordWidth = 0

    init(width: Int, firstPrefix: Line, restPrefix: Line) {
        self.width = width
        self.restPrefix = Self.fitted(restPrefix, width: width)
        current = Self.fitted(firstPrefix, width: width)
        prefixWidth = current.width
    }

    /// Text needs this many columns beside a prefix: a wide glyph.
    static let textRoom = 2

    /// `prefix` (a list item's indent and bullet, a quote's bar, a code gutter), cut from its start
    /// (where the indentation is) so that it leaves room for text: a deeply indented item in a
    /// narrow pane must not make its lines wider than the pane.
    static func fitted(_ prefix: Line, width: Int) -> Line {
        let room = width - textRoom
        guard prefix.width > room else { return prefix }
        var glyphs = prefix.runs.flatMap { run in Glyphs.of(run.text[...]).map { ($0, run.style) } }
        var columns = prefix.width
        while columns > max(room, 0), !glyphs.isEmpty { columns -= glyphs.removeFirst().0.width }
        var fitted = Line()
        for (glyph, style) in glyphs { fitted.append(glyph.text, style) }
        return fitted
    }

    /// More of the line. A piece should not begin inside a glyph (with a combining mark).
    mutating func feed(_ text: Substring, _ style: Style) {
        for glyph in Glyphs.of(text, startingAt: column) {
            column += glyph.width
            if glyph.text == " " {
                if indenting {
                    // Indentation is kept as written, as far as it leaves room for text.
                    if used + glyph.width <= available - Self.textRoom { append((glyph, style)) }
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

    /// Every line, the unfinished one included (the wrapper itself can still take more).
    var lines: [Line] {
        var copy = self
        copy.placeWord()
        return copy.finished + [copy.current]
    }

    /// Room after the prefix; at least one column, so a too-narrow pane still makes progress.
    private var available: Int { max(1, width - prefixWidth) }
    /// Room on a fresh continuation line.
    private var lineRoom: Int { max(1, width - restPrefix.width) }

    /// Puts the word that just ended (and the spaces before it) where it goes.
    private mutating func placeWord() {
        guard !word.isEmpty else { return }
        if used + spaces.count + wordWidth <= available {
            for space in spaces { append(space) }
        } else if wordWidth <= lineRoom, used > 0 {
            breakLine()
        } else if used + spaces.count < available {
            for space in spaces { append(space) }
        }
        spaces.removeAll()
        for glyph in word {
            if used + glyph.0.width > available, used > 0 { breakLine() }
            append(glyph)
        }
        word.removeAll()
        wordWidth = 0
    }

    private mutating func append(_ glyph: (Glyph, Style)) {
        current.append(glyph.0.text, glyph.1)
        used += glyph.0.width
    }

    private mutating func breakLine() {
        finished.append(current)
        current = restPrefix
        prefixWidth = restPrefix.width
        used = 0
    }
}
