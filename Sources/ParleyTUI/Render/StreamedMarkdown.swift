/// Markdown made light for a terminal while a reply streams (`parley ask`): headings and `**bold**`
/// lose their markers and turn bold, `inline code` and fenced code blocks are set apart, list items
/// get bullets and quotes a bar. Text goes out as it arrives; only what cannot be told yet is held
/// (the start of a line that may be a heading, a list item or a fence; a `*` that may open bold),
/// a few characters at most. The terminal wraps the lines itself, so nothing is laid out here.
public struct StreamedMarkdown: Sendable {
    public enum Look: Equatable, Sendable {
        case plain, bold, code, muted
    }

    public struct Piece: Equatable, Sendable {
        public var text: String
        public var look: Look

        public init(_ text: String, _ look: Look) {
            self.text = text
            self.look = look
        }
    }

    private enum LineKind {
        /// Its start is still being read: `held` may yet be a heading's #s, a bullet, a fence.
        case deciding
        case text
        case heading
        /// A fence line (``` or ~~~, with its language): shown muted, as written.
        case fence
        case code
    }

    private var line = LineKind.deciding
    private var held = ""
    private var inFence = false
    private var bold = false
    private var inlineCode = false
    private var pendingStar = false
    private var out: [Piece] = []

    public init() {}

    /// The pieces `text` (the next part of the reply) can be shown as now.
    public mutating func feed(_ text: String) -> [Piece] {
        for character in text { take(character) }
        return drain()
    }

    /// Whatever is still held, shown as it is: the reply has ended (or something else is about to
    /// be printed). The fence state is kept, as the reply may go on.
    public mutating func flush() -> [Piece] {
        if line == .deciding, !held.isEmpty {
            let start = held
            held = ""
            line = inFence ? .code : .text
            for character in start { take(character) }
        }
        if pendingStar { emit("*") }
        pendingStar = false
        return drain()
    }

    private mutating func drain() -> [Piece] {
        defer { out = [] }
        return out
    }

    private mutating func take(_ character: Character) {
        if character == "\n" || character == "\r\n" {
            if line == .deciding { line = inFence ? .code : .text; replayHeld() }
            if pendingStar { emit("*") }
            if line == .fence { inFence.toggle() }
            add("\n", .plain)
            line = .deciding
            bold = false
            inlineCode = false
            pendingStar = false
            return
        }
        switch line {
        case .deciding: decide(adding: character)
        case .fence: add(String(character), .muted)
        case .code: add(String(character), .code)
        case .text, .heading: inline(character)
        }
    }

    /// Reads the start of a line until it is known what kind of line it is.
    private mutating func decide(adding character: Character) {
        held.append(character)
        let indent = held.prefix { $0 == " " }
        guard indent.count <= 3 else { return settle(as: inFence ? .code : .text) }
        let rest = held.dropFirst(indent.count)
        if let first = rest.first, first == "`" || first == "~" {
            // ``` or ~~~ opens or closes a block; fewer may still become one.
            let marks = rest.prefix { $0 == first }.count
            if marks >= 3 { return settle(as: .fence) }
            if marks == rest.count { return }
        }
        if inFence {
            if !rest.isEmpty { settle(as: .code) }
            return
        }
        switch rest.first {
        case nil: return
        case "#":
            let marks = rest.prefix { $0 == "#" }
            if marks.count == rest.count, marks.count <= 6 { return }  // more #s, or the space, may follow
            if marks.count <= 6, rest.dropFirst(marks.count).first == " " {
                add(String(indent), .plain)
                held = ""
                line = .heading
                bold = true
                return
            }
        case "-", "*", "+":
            if rest.count == 1 { return }
            if rest.dropFirst().first == " " {
                add(String(indent) + "• ", .muted)
                held = ""
                line = .text
                return
            }
        case ">":
            if rest.count == 1 { return }
            add(String(indent) + "│ ", .muted)
            held = ""
            line = .text
            // "> text" drops the space after the bar; ">text" keeps what follows.
            if let next = rest.dropFirst().first, next != " " { inline(next) }
            return
        default:
            break
        }
        settle(as: .text)
    }

    /// The held start is of a line of `kind`: shown as such, from its first character.
    private mutating func settle(as kind: LineKind) {
        line = kind
        replayHeld()
    }

    private mutating func replayHeld() {
        let start = held
        held = ""
        for character in start {
            switch line {
            case .fence: add(String(character), .muted)
            case .code: add(String(character), .code)
            default: inline(character)
            }
        }
    }

    private mutating func inline(_ character: Character) {
        if inlineCode {
            if character == "`" { inlineCode = false } else { add(String(character), .code) }
            return
        }
        if pendingStar {
            pendingStar = false
            if character == "*" {
                bold.toggle()
                return
            }
            emit("*")
        }
        switch character {
        case "*": pendingStar = true
        case "`": inlineCode = true
        default: emit(String(character))
        }
    }

    /// Text in the look of where it stands (bold in a heading or between **).
    private mutating func emit(_ text: String) {
        add(text, bold || line == .heading ? .bold : .plain)
    }

    private mutating func add(_ text: String, _ look: Look) {
        if let last = out.last, last.look == look {
            out[out.count - 1].text += text
        } else {
            out.append(Piece(text, look))
        }
    }
}
