/// Finds what TOMLKit cannot be given: toml++ 3 (inside TOMLKit 0.6.0) aborts the whole process,
/// through assertions in its parser, on a table header whose name begins with anything but a
/// key (`[.providers]`, `[[[x]]]`, `[ [x]]`, `[=]`; TOMLKit issue #30, fixed in toml++ after the
/// version TOMLKit carries) and on a list with a `}` where a value belongs (`quit = [ }`). A
/// broken config file must get a message, not a crash, so these are found here first. Found by
/// the config fuzzer (Fuzz/).
///
/// Only as much of TOML is read as it takes: comments, strings (basic, literal, multi-line) and
/// the brackets and braces of values, which may span lines.
enum TOMLGuard {
    static func firstProblem(in text: String) -> ConfigIssue? {
        var scanner = Scanner(Array(text.unicodeScalars))
        return scanner.run()
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0
        var line = 1
        var column = 1
        /// The open brackets and braces of values: a `[` at a line's start inside one is a list,
        /// not a header.
        var open: [Unicode.Scalar] = []
        /// Just after a list's `[` or a `,` in it, where a value (or `]`) must come.
        var expectingValue = false
        var atLineStart = true

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        func starts(with text: String) -> Bool {
            let wanted = Array(text.unicodeScalars)
            return index + wanted.count <= scalars.count && Array(scalars[index..<index + wanted.count]) == wanted
        }

        mutating func advance() {
            if current == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }

        mutating func run() -> ConfigIssue? {
            while let scalar = current {
                switch scalar {
                case "\n":
                    advance()
                    atLineStart = true
                    continue
                case " ", "\t", "\r":
                    advance()
                    continue
                case "\u{FEFF}" where index == 0:
                    // A byte order mark before the first line, which the parser skips.
                    advance()
                    continue
                case "#":
                    while let next = current, next != "\n" { advance() }
                    continue
                case "}" where expectingValue:
                    return ConfigIssue(
                        line: line, column: column, problem: .syntax("a list holds a '}' where a value or ']' belongs"))
                case "\"", "'":
                    skipString()
                case "[" where atLineStart && open.isEmpty:
                    if let problem = header() { return problem }
                case "[", "{":
                    open.append(scalar)
                    advance()
                    expectingValue = scalar == "["
                    atLineStart = false
                    continue
                case "]", "}":
                    if !open.isEmpty { open.removeLast() }
                    advance()
                case "," where open.last == "[":
                    advance()
                    expectingValue = true
                    atLineStart = false
                    continue
                default:
                    advance()
                }
                atLineStart = false
                expectingValue = false
            }
            return nil
        }

        /// A string value or quoted key, from its opening quote to past its closing one.
        mutating func skipString() {
            let quote = current!
            let triple = String(repeating: String(quote), count: 3)
            if starts(with: triple) {
                for _ in 0..<3 { advance() }
                while current != nil, !starts(with: triple) {
                    if quote == "\"", current == "\\" { advance() }
                    advance()
                }
                for _ in 0..<3 where current != nil { advance() }
                return
            }
            advance()
            while let next = current, next != quote, next != "\n" {
                if quote == "\"", next == "\\" { advance() }
                advance()
            }
            if current == quote { advance() }
        }

        /// A header: its name must begin with a bare key character or a quote.
        mutating func header() -> ConfigIssue? {
            advance()
            if current == "[" { advance() }
            while current == " " || current == "\t" { advance() }
            guard let first = current, first == "\"" || first == "'" || Self.isBareKey(first) else {
                return ConfigIssue(
                    line: line, column: column,
                    problem: .syntax("a table header must begin with a name, as in [providers.openai]"))
            }
            // The rest of the header, its quoted parts included, to its closing bracket.
            while let next = current, next != "]", next != "\n" {
                if next == "\"" || next == "'" { skipString() } else { advance() }
            }
            while current == "]" { advance() }
            return nil
        }

        static func isBareKey(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
            default: false
            }
        }
    }
}
