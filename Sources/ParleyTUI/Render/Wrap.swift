/// Greedy word wrap by display width. Words move whole to the next line when they fit there;
/// a word wider than the line is cut. Spaces where a line breaks are dropped, indentation at the
/// start of a paragraph is kept.
public enum Wrap {
    /// `runs` (one logical line, no newline) laid out in `width` columns: the first line starts
    /// with `firstPrefix`, the others with `restPrefix`.
    public static func lines(
        _ runs: [Run], width: Int, firstPrefix: Line = .empty, restPrefix: Line = .empty
    ) -> [Line] {
        var glyphs: [(Glyph, Style)] = []
        var column = 0
        for run in runs {
            for glyph in Glyphs.of(run.text[...], startingAt: column) {
                glyphs.append((glyph, run.style))
                column += glyph.width
            }
        }
        var builder = Builder(width: width, firstPrefix: firstPrefix, restPrefix: restPrefix)
        var index = 0
        // Leading spaces are indentation, kept as written.
        while index < glyphs.count, glyphs[index].0.text == " " {
            builder.append(glyphs[index])
            index += 1
        }
        var spaces: [(Glyph, Style)] = []
        while index < glyphs.count {
            if glyphs[index].0.text == " " {
                spaces.append(glyphs[index])
                index += 1
                continue
            }
            var end = index
            var wordWidth = 0
            while end < glyphs.count, glyphs[end].0.text != " " {
                wordWidth += glyphs[end].0.width
                end += 1
            }
            let spaceWidth = spaces.count
            if builder.used + spaceWidth + wordWidth <= builder.available {
                for space in spaces { builder.append(space) }
            } else if wordWidth <= builder.lineRoom, builder.used > 0 {
                builder.breakLine()
            } else if builder.used + spaceWidth < builder.available {
                for space in spaces { builder.append(space) }
            }
            spaces.removeAll()
            for glyph in glyphs[index..<end] {
                if builder.used + glyph.0.width > builder.available, builder.used > 0 { builder.breakLine() }
                builder.append(glyph)
            }
            index = end
        }
        return builder.finish()
    }

    private struct Builder {
        let width: Int
        let restPrefix: Line
        var lines: [Line] = []
        var current: Line
        var prefixWidth: Int
        /// Columns used after the prefix.
        var used = 0

        init(width: Int, firstPrefix: Line, restPrefix: Line) {
            self.width = width
            self.restPrefix = restPrefix
            current = firstPrefix
            prefixWidth = firstPrefix.width
        }

        /// Room after the prefix; at least one column, so a too-narrow pane still makes progress.
        var available: Int { max(1, width - prefixWidth) }
        /// Room on a fresh continuation line.
        var lineRoom: Int { max(1, width - restPrefix.width) }

        mutating func append(_ glyph: (Glyph, Style)) {
            current.append(glyph.0.text, glyph.1)
            used += glyph.0.width
        }

        mutating func breakLine() {
            lines.append(current)
            current = restPrefix
            prefixWidth = restPrefix.width
            used = 0
        }

        mutating func finish() -> [Line] {
            lines.append(current)
            return lines
        }
    }
}
