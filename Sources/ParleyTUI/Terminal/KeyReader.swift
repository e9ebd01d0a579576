import CNCurses
import Glibc

/// Turns what `wget_wch` returns into keys. Alt arrives as Esc followed by the key; bracketed
/// paste arrives between two sequences defined as keys of their own, and is gathered whole
/// (across reads, if it is long) so pasted text is never taken for commands.
final class KeyReader {
    enum Input: Equatable {
        case key(Key)
        case paste(String)
    }

    private static let pasteBegin: Int32 = 0x300
    private static let pasteEnd: Int32 = 0x301
    private var paste: String?

    static func defineKeys() {
        define_key("\u{1B}[200~", pasteBegin)
        define_key("\u{1B}[201~", pasteEnd)
    }

    func read() -> [Input] {
        var inputs: [Input] = []
        var pendingEscape = false
        while let next = Self.next() {
            if var text = paste {
                switch next {
                case .function(Self.pasteEnd):
                    paste = nil
                    inputs.append(.paste(text))
                case .character(let scalar):
                    text.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
                    paste = text
                case .function:
                    paste = text
                }
                continue
            }
            if pendingEscape {
                pendingEscape = false
                if case .character(let scalar) = next {
                    switch scalar {
                    case "\r", "\n":
                        inputs.append(.key(.altEnter))
                        continue
                    case "\u{7F}", "\u{08}":
                        inputs.append(.key(.alt("\u{7F}")))
                        continue
                    case "\u{1B}":
                        inputs.append(.key(.escape))
                        pendingEscape = true
                        continue
                    default:
                        if scalar.value >= 0x20 {
                            inputs.append(.key(.alt(Character(scalar))))
                            continue
                        }
                    }
                }
                inputs.append(.key(.escape))
            }
            switch next {
            case .function(Self.pasteBegin):
                paste = ""
            case .function(let code):
                if let key = Self.functionKey(code) { inputs.append(.key(key)) }
            case .character("\u{1B}"):
                pendingEscape = true
            case .character(let scalar):
                if let key = Self.characterKey(scalar) { inputs.append(.key(key)) }
            }
        }
        if pendingEscape { inputs.append(.key(.escape)) }
        return inputs
    }

    private enum Raw {
        case character(Unicode.Scalar)
        case function(Int32)
    }

    private static func next() -> Raw? {
        var character: wint_t = 0
        let result = wget_wch(parley_stdscr(), &character)
        if result == parley_err() { return nil }
        if result == parley_key_code_yes() { return .function(Int32(character)) }
        return Unicode.Scalar(UInt32(character)).map(Raw.character) ?? .character("\u{FFFD}")
    }

    private static func characterKey(_ scalar: Unicode.Scalar) -> Key? {
        switch scalar.value {
        case 0x0D: return .enter
        case 0x0A: return .control("j")
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(scalar.value + 0x60)!))
        case 0x00, 0x1C...0x1F: return nil
        default: return .character(Character(scalar))
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case KEY_ENTER: .enter
        default:
            (1...12).first { parley_key_f(Int32($0)) == code }.map(Key.function)
        }
    }
}
