import CNCurses
import Glibc
import ParleyCore

/// One terminal cell's worth of text: a spacing scalar with the zero-width scalars that follow it.
public struct Glyph: Equatable, Sendable {
    public var text: String
    /// Columns it takes: 1, or 2 for wide (CJK, most emoji).
    public var width: Int
}

/// Cuts text into glyphs measured as ncurses measures them: per scalar with `wcwidth`, so what a
/// view lays out is exactly what curses draws. What ncurses cannot draw is replaced: controls and
/// bidi overrides by their pictures (model text is data), unprintable scalars by U+FFFD, and
/// joiners and emoji variation selectors are dropped, since ncurses would count every joined
/// emoji's width while the terminal draws one picture.
public enum Glyphs {
    /// ncurses keeps at most five scalars in a cell: the spacing one and four combining.
    static let scalarsPerCell = 5

    /// Tabs stop every four columns, counted from the start of the line.
    public static let tabWidth = 4

    /// The glyphs of `text`, which must hold no newline. `column` is where it starts on its line,
    /// for tab stops.
    public static func of(_ text: Substring, startingAt column: Int = 0) -> [Glyph] {
        var glyphs: [Glyph] = []
        glyphs.reserveCapacity(text.utf8.count)
        var column = column
        var marks = 0
        // Whether a combining mark may join the glyph before it: not a control's picture or a
        // tab's spaces, which a mark never belongs to (text breaks into characters after a
        // control). So a mark gets the same base wherever the text it is in was cut.
        var joinable = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value >= 0x20 && value < 0x7F {
                glyphs.append(Glyph(text: String(scalar), width: 1))
                column += 1
                marks = 0
                joinable = true
                continue
            }
            if value == 0x09 {
                let spaces = tabWidth - column % tabWidth
                for _ in 0..<spaces { glyphs.append(Glyph(text: " ", width: 1)) }
                column += spaces
                marks = 0
                joinable = false
                continue
            }
            if ControlPicture.isUnsafe(scalar) {
                for picture in ControlPicture.picture(for: scalar).unicodeScalars {
                    glyphs.append(Glyph(text: String(picture), width: 1))
                    column += 1
                }
                marks = 0
                joinable = false
                continue
            }
            if value == 0x200D || value == 0xFE0E || value == 0xFE0F { continue }
            let width = Int(wcwidth(wchar_t(bitPattern: value)))
            switch width {
            case 0:
                // A combining mark joins the glyph before it; with none to join, it gets a space.
                if !joinable {
                    glyphs.append(Glyph(text: " ", width: 1))
                    column += 1
                    marks = 0
                    joinable = true
                }
                if marks < scalarsPerCell - 1 {
                    glyphs[glyphs.count - 1].text.unicodeScalars.append(scalar)
                    marks += 1
                }
            case 1, 2:
                glyphs.append(Glyph(text: String(scalar), width: width))
                column += width
                marks = 0
                joinable = true
            default:
                glyphs.append(Glyph(text: "\u{FFFD}", width: 1))
                column += 1
                marks = 0
                joinable = false
            }
        }
        return glyphs
    }

    /// Columns `text` (one line) takes.
    public static func width(of text: Substring) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        if text.unicodeScalars.allSatisfy(isSingleColumn) { return text.unicodeScalars.count }
        return of(text).reduce(0) { $0 + $1.width }
    }

    public static func width(of text: String) -> Int { width(of: text[...]) }

    /// A printable scalar one column wide that is a character on its own among its kind: no
    /// control, no combining mark or joiner (those start at U+0300), nothing wide; `wcwidth` says 1
    /// for each. Text made only of these is one column a scalar and needs no measuring.
    static func isSingleColumn(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F, 0xA0..<0x300, 0x2500..<0x25A0: true
        default: false
        }
    }

    /// glibc measures nothing but ASCII in the "C" locale; the app and tests need a UTF-8 one.
    /// Keeps the user's locale when it is UTF-8 already. Sets it once per process, however often
    /// it is called: `setlocale` is not safe while other threads measure text.
    public static func useUTF8Locale() { _ = utf8Locale }

    private static let utf8Locale: Void = {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if codeset.uppercased().filter({ $0 != "-" }) != "UTF8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }()
}
