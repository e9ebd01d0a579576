/// A piece of one line in one style.
public struct Run: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One laid-out row of text, already cut to fit its pane: runs of styled text, `width` columns.
/// Lines keep text, not cells, so a long transcript's cached layout costs about its text.
public struct Line: Equatable, Sendable {
    public var runs: [Run]
    public var width: Int

    public init(_ runs: [Run] = [], width: Int? = nil) {
        self.runs = runs
        self.width = width ?? runs.reduce(0) { $0 + Glyphs.width(of: $1.text) }
    }

    public init(_ text: String, _ style: Style = .plain) {
        self.init([Run(text, style)])
    }

    public static let empty = Line()

    public var text: String { runs.map(\.text).joined() }

    /// This line followed by `run`.
    public mutating func append(_ text: String, _ style: Style = .plain) {
        guard !text.isEmpty else { return }
        width += Glyphs.width(of: text)
        if let last = runs.last, last.style == style {
            runs[runs.count - 1].text += text
        } else {
            runs.append(Run(text, style))
        }
    }

    /// This line followed by `text`, whose width is known.
    mutating func append(_ text: Substring, _ style: Style, width: Int) {
        guard !text.isEmpty else { return }
        self.width += width
        if let last = runs.last, last.style == style {
            // Not `+=`, which takes a Substring as any sequence of characters, one at a time.
            runs[runs.count - 1].text.append(contentsOf: text)
        } else {
            runs.append(Run(String(text), style))
        }
    }

    public mutating func append(_ line: Line) {
        for run in line.runs { append(run.text, run.style) }
    }

    /// The line cut to at most `columns`, ending in "…" when something was cut.
    public func truncated(to columns: Int) -> Line {
        guard width > columns else { return self }
        guard columns > 0 else { return .empty }
        var result = Line()
        for run in runs {
            // Printable ASCII, most of what is cut (titles, every frame), is a column a byte.
            if run.text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                let room = columns - 1 - result.width
                guard run.text.utf8.count > room else {
                    result.append(run.text[...], run.style, width: run.text.utf8.count)
                    continue
                }
                result.append(run.text.prefix(room), run.style, width: room)
                result.append("…", run.style)
                return result
            }
            for glyph in Glyphs.of(run.text[...]) {
                if result.width + glyph.width > columns - 1 {
                    result.append("…", run.style)
                    return result
                }
                result.append(glyph.text, run.style)
            }
        }
        return result
    }
}
