import CNCurses

/// Turns what `wget_wch` returns into keys and pastes, one burst (everything the terminal had
/// sent when the loop woke) at a time. Pure, apart from the paste it carries across bursts.
///
/// Alt arrives as Esc followed by the key. A bracketed paste arrives between a begin and an end
/// marker (defined as keys of their own) and is gathered whole, across bursts if it is long, so
/// pasted text is never taken for commands: inside a paste, CR is a new line, never Enter.
///
/// A mouse report (SGR, `ESC [ < button ; column ; row M`) begins with a marker of its own too, and
/// its numbers are read up to its final character, across bursts if they are split. A report is
/// never text: one the app does not act on (a release, a drag) is dropped whole, whether the mouse
/// is on or not.
///
/// Pasted text may itself hold an end marker (copied from a hostile page), meant to end the paste
/// early so that what follows runs as typed keys. The terminal still ends the paste with its own
/// marker, so an end marker followed, in the same burst, by another end marker (with no begin
/// marker between) is text of the paste, not its end.
struct KeyParser {
    enum Raw: Equatable {
        case character(Unicode.Scalar)
        case function(Int32)
    }

    enum Input: Equatable {
        case key(Key)
        case paste(String)
        case mouse(MouseEvent)
    }

    static let pasteBegin: Int32 = 0x300
    static let pasteEnd: Int32 = 0x301
    static let pasteBeginText = "\u{1B}[200~"
    static let pasteEndText = "\u{1B}[201~"
    static let mouseReport: Int32 = 0x302
    static let mouseReportText = "\u{1B}[<"

    /// The paste being gathered, when a burst ended inside one.
    private var paste: String?
    /// The numbers of the mouse report being read (button, column, row), when one has begun.
    private var report: [Int]?

    mutating func parse(_ burst: [Raw]) -> [Input] {
        var inputs: [Input] = []
        var pendingEscape = false
        for (index, next) in burst.enumerated() {
            // The paste grows in place (`paste!`): a copy taken out to append to would copy the
            // whole paste for every character, and a megabyte pasted would take minutes.
            if paste != nil {
                switch next {
                case .function(Self.pasteEnd) where Self.anotherEnd(in: burst[(index + 1)...]):
                    paste!.append(Self.pasteEndText)
                case .function(Self.pasteEnd):
                    inputs.append(.paste(paste!))
                    paste = nil
                case .function(Self.pasteBegin):
                    paste!.append(Self.pasteBeginText)
                case .function(Self.mouseReport):
                    paste!.append(Self.mouseReportText)
                case .character(let scalar):
                    paste!.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
                case .function:
                    break
                }
                continue
            }
            if report != nil {
                if case .character(let scalar) = next, read(scalar, into: &inputs) { continue }
                // Anything else breaks the report off; it is input of its own.
                report = nil
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
            case .function(Self.mouseReport):
                report = [0]
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

    /// Reads one character of a mouse report: a digit or `;` adds to its numbers, a final character
    /// ends it (an event when it is one the app acts on). False when the character cannot be part
    /// of a report.
    private mutating func read(_ scalar: Unicode.Scalar, into inputs: inout [Input]) -> Bool {
        switch scalar {
        case "0"..."9":
            // Kept within bounds however long the number: no terminal has a million columns.
            report![report!.count - 1] = min(report!.last! * 10 + Int(scalar.value - 0x30), 1_000_000)
        case ";":
            // A fourth number makes the report one the app does not know, and it stays so.
            if report!.count <= 3 { report!.append(0) }
        case "@"..."~":
            if let event = Self.mouseEvent(report!, final: scalar) { inputs.append(.mouse(event)) }
            report = nil
        default:
            return false
        }
        return true
    }

    /// The event a whole report stands for: `M` is a press, `m` a release. The button's number
    /// carries Shift, Alt and Ctrl (4, 8, 16), which change nothing here; 32 is a drag, 64 and 65
    /// the wheel.
    private static func mouseEvent(_ numbers: [Int], final: Unicode.Scalar) -> MouseEvent? {
        guard final == "M", numbers.count == 3, numbers[1] >= 1, numbers[2] >= 1 else { return nil }
        let action: MouseEvent.Action
        switch numbers[0] & ~(4 | 8 | 16) {
        case 0: action = .click
        case 64: action = .wheelUp
        case 65: action = .wheelDown
        default: return nil
        }
        return MouseEvent(action, row: numbers[2] - 1, column: numbers[1] - 1)
    }

    /// Whether the terminal's own end marker is still to come in this burst: another end marker
    /// before any begin marker.
    private static func anotherEnd(in rest: ArraySlice<Raw>) -> Bool {
        for raw in rest {
            if raw == .function(pasteEnd) { return true }
            if raw == .function(pasteBegin) { return false }
        }
        return false
    }

    private static func characterKey(_ scalar: Unicode.Scalar) -> Key? {
        switch scalar.value {
        case 0x0D: return .enter
        case 0x0A: return .control("j")
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(scalar.value + 0x60)!))
        // NUL is what terminals send for Ctrl-Space.
        case 0x00: return .control(" ")
        case 0x1C...0x1F: return nil
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
