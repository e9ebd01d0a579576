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
///
/// A counting wrapper makes the same breaks without keeping the text: how many lines a
/// paragraph takes, for text that is not on screen.
struct LineWrapper {
    let width: Int
    let restPrefix: Line
    private let counting: Bool
    /// Lines that are final (none kept when counting).
    private(set) var finished: [Line] = []
    private var finishedCount = 0
    private var current: Line
    private var prefixWidth: Int
    /// Columns used after the prefix.
    private var used = 0
    /// The line's column, for tab stops.
    private var column = 0
    /// Still in the leading spaces, which are indentation and kept as written.
    private var indenting = true
    /// The spaces since the last word (each one column), by style; counting, only how many.
    private var spaces: [Style] = []
    private var spaceCount = 0
    /// The word being read, in pieces.
    private var word: [Piece] = []
    /// Counting, the width of the ASCII the word ends in, not in `word`: pieces in a row are placed
    /// alike, and nothing is kept of their text or style (most words are only this).
    private var asciiTail = 0
    private var wordWidth = 0

    /// Part of a word: one glyph, or printable ASCII (one column a character, cut anywhere).
    private struct Piece {
        var text: Substring
        var width: Int
        var style: Style
        var isASCII: Bool
    }

    init(width: Int, firstPrefix: Line, restPrefix: Line, counting: Bool = false) {
        self.width = width
        self.counting = counting
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
    ///
    /// Printable ASCII, most of what models write, is taken a word at a time without cutting it
    /// into glyphs, except for its last character before other text: a combining mark there
    /// joins it, which only `Glyphs` knows how to do. The text is read as bytes, not indices: a
    /// long reply is counted whole when it is opened, and this is most of it.
    mutating func feed(_ text: Substring, _ style: Style) {
        let scanned: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in feed(text, bytes: bytes, style) }
        if scanned == nil { Array(text.utf8).withUnsafeBufferPointer { bytes in feed(text, bytes: bytes, style) } }
    }

    /// `bytes` are `text`'s UTF-8.
    private mutating func feed(_ text: Substring, bytes: UnsafeBufferPointer<UInt8>, _ style: Style) {
        var index = 0
        while index < bytes.count {
            var runEnd = index
            while runEnd < bytes.count, Self.isPrintableASCII(bytes[runEnd]) { runEnd += 1 }
            let asciiEnd = runEnd < bytes.count && runEnd > index ? runEnd - 1 : runEnd
            if asciiEnd > index {
                feedASCII(text, bytes: bytes, index..<asciiEnd, style)
                column += asciiEnd - index
            }
            guard asciiEnd < bytes.count else { return }
            var otherEnd = runEnd
            while otherEnd < bytes.count, !Self.isPrintableASCII(bytes[otherEnd]) { otherEnd += 1 }
            let utf8 = text.utf8
            let from = utf8.index(utf8.startIndex, offsetBy: asciiEnd)
            feedGlyphs(text[from..<utf8.index(from, offsetBy: otherEnd - asciiEnd)], style)
            index = otherEnd
        }
    }

    private static func isPrintableASCII(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F }

    /// The printable ASCII at UTF-8 offsets `range` of `text`, whose bytes are `bytes`.
    private mutating func feedASCII(
        _ text: Substring, bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ style: Style
    ) {
        var wordStart: Int?
        for offset in range {
            if bytes[offset] == 0x20 {
                if let start = wordStart {
                    addToWord(text, start..<offset, style)
                    wordStart = nil
                }
                space(style)
            } else if wordStart == nil {
                indenting = false
                wordStart = offset
            }
        }
        if let start = wordStart { addToWord(text, start..<range.upperBound, style) }
    }

    /// The word's part at UTF-8 offsets `range` of `text`; counting, only its width (cutting text costs).
    private mutating func addToWord(_ text: Substring, _ range: Range<Int>, _ style: Style) {
        let width = range.count
        wordWidth += width
        if counting {
            asciiTail += width
            return
        }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(start, offsetBy: width)
        word.append(Piece(text: text[start..<end], width: width, style: style, isASCII: true))
    }

    private mutating func feedGlyphs(_ text: Substring, _ style: Style) {
        for glyph in Glyphs.of(text, startingAt: column) {
            column += glyph.width
            if glyph.text == " " {
                space(style)
            } else {
                indenting = false
                if asciiTail > 0 {
                    word.append(Piece(text: "", width: asciiTail, style: style, isASCII: true))
                    asciiTail = 0
                }
                word.append(Piece(text: glyph.text[...], width: glyph.width, style: style, isASCII: false))
                wordWidth += glyph.width
            }
        }
    }

    /// A space: indentation kept as written (as far as it leaves room for text), or the end of a word.
    private mutating func space(_ style: Style) {
        if indenting {
            if used + 1 <= available - Self.textRoom { append(" ", style, width: 1) }
        } else {
            placeWord()
            spaceCount += 1
            if !counting { spaces.append(style) }
        }
    }

    /// Gives the word being read its own copy of its pieces' text, so that the wrapper holds no
    /// part of the strings it was fed: one it is fed again and again is a reply still growing,
    /// which grows in place only while nothing else holds it. Pieces copied before are left alone.
    mutating func copyWord() {
        for index in word.indices where word[index].text.utf8.count != word[index].text.base.utf8.count {
            word[index].text = Substring(String(word[index].text))
        }
    }

    /// Every line, the unfinished one included (the wrapper itself can still take more).
    var lines: [Line] {
        var copy = self
        copy.placeWord()
        return copy.finished + [copy.current]
    }

    /// The lines `lines` would have after `finished` once `text` is fed: made without copying
    /// the finished ones (feeding never changes those).
    func linesAfterFinished(feeding text: Substring, _ style: Style) -> [Line] {
        var copy = self
        copy.finished = []
        copy.feed(text, style)
        copy.placeWord()
        return copy.finished + [copy.current]
    }

    /// How many lines `lines` has.
    var lineCount: Int {
        var copy = self
        copy.placeWord()
        return copy.finishedCount + 1
    }

    /// Room after the prefix; at least one column, so a too-narrow pane still makes progress.
    private var available: Int { max(1, width - prefixWidth) }
    /// Room on a fresh continuation line.
    private var lineRoom: Int { max(1, width - restPrefix.width) }

    /// Puts the word that just ended (and the spaces before it) where it goes.
    private mutating func placeWord() {
        guard !word.isEmpty || asciiTail > 0 else { return }
        if used + spaceCount + wordWidth <= available {
            appendSpaces()
        } else if wordWidth <= lineRoom, used > 0 {
            breakLine()
        } else if used + spaceCount < available {
            appendSpaces()
        } else if used > 0 {
            // No room after the spaces: the long word is cut from a line of its own, not glued on.
            breakLine()
        }
        // Kept for the next word: a paragraph has hundreds.
        spaces.removeAll(keepingCapacity: true)
        spaceCount = 0
        for piece in word {
            guard piece.isASCII else {
                if used + piece.width > available, used > 0 { breakLine() }
                append(piece.text, piece.style, width: piece.width)
                continue
            }
            placeASCII(piece.text, width: piece.width, piece.style)
        }
        if asciiTail > 0 { placeASCII("", width: asciiTail, .plain) }
        if !word.isEmpty { word.removeAll(keepingCapacity: true) }
        asciiTail = 0
        wordWidth = 0
    }

    /// ASCII of a word, `width` columns (`text`, unless counting): a word wider than the line is
    /// cut where the line ends.
    private mutating func placeASCII(_ text: Substring, width: Int, _ style: Style) {
        var rest = text
        var left = width
        while left > 0 {
            if used >= available { breakLine() }
            let fits = min(available - used, left)
            if counting {
                used += fits
            } else {
                let cut = rest.utf8.index(rest.startIndex, offsetBy: fits)
                append(rest[..<cut], style, width: fits)
                rest = rest[cut...]
            }
            left -= fits
        }
    }

    private mutating func appendSpaces() {
        if counting { used += spaceCount }
        for style in spaces { append(" ", style, width: 1) }
    }

    private mutating func append(_ text: Substring, _ style: Style, width: Int) {
        if !counting { current.append(text, style, width: width) }
        used += width
    }

    private mutating func breakLine() {
        if !counting { finished.append(current) }
        finishedCount += 1
        current = restPrefix
        prefixWidth = restPrefix.width
        used = 0
    }
}
