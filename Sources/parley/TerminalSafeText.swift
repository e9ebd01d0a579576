/// Model output is data, never terminal control: when it goes to a terminal, control characters
/// (ESC and the rest of C0/C1, DEL) and bidi overrides are shown as visible placeholders.
/// Newlines and tabs are kept; output to a pipe or file is left untouched.
enum TerminalSafeText {
    /// `text` made safe when stdout is a terminal; untouched for a pipe or file.
    static func forOutput(_ text: String) -> String { Console.outputIsTerminal ? make(text) : text }

    static func make(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var safe = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else {
                safe.append(scalar)
                continue
            }
            switch scalar.value {
            // C0 controls and DEL have Unicode's own visible pictures (␛ for ESC).
            case 0x00...0x1F: safe.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: safe.append("\u{2421}")
            default: safe.append(contentsOf: "<U+\(String(scalar.value, radix: 16, uppercase: true))>".unicodeScalars)
            }
        }
        return String(safe)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidi embeddings, overrides and isolates can reorder what the user reads.
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
