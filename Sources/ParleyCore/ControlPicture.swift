/// Model output is data, never terminal control. Control characters (C0, DEL, C1), bidi marks,
/// embeddings, overrides and isolates, and the Unicode line and paragraph separators are shown as
/// visible placeholders wherever untrusted text reaches a terminal: everything `parley` writes to
/// a terminal (`Console`) and the full-screen app alike.
public enum ControlPicture {
    /// Whether `scalar` must not reach a terminal as itself. Newline and tab are layout, not control.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidi marks, embeddings, overrides and isolates can reorder what the user reads.
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true
        // Line and paragraph separators break a line where a terminal shows none.
        case 0x2028, 0x2029: true
        default: false
        }
    }

    /// What is shown instead of an unsafe scalar: Unicode's own pictures for C0 and DEL (␛ for
    /// ESC), `<U+202E>` for the rest.
    public static func picture(for scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00...0x1F: String(Unicode.Scalar(0x2400 + scalar.value)!)
        case 0x7F: "\u{2421}"
        default: "<U+\(String(scalar.value, radix: 16, uppercase: true))>"
        }
    }

    /// `text` with every unsafe scalar replaced by its picture.
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var safe = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                safe.append(contentsOf: picture(for: scalar).unicodeScalars)
            } else {
                safe.append(scalar)
            }
        }
        return String(safe)
    }
}
