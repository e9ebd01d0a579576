/// A key as the app understands it, decoded from curses by the terminal layer.
public enum Key: Hashable, Sendable {
    /// A printable character, space included.
    case character(Character)
    /// Ctrl with a letter, as the lowercase letter: Ctrl-A is `.control("a")`.
    case control(Character)
    /// Alt (Meta) with a character: Alt-B is `.alt("b")`.
    case alt(Character)
    case enter, altEnter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)

    /// How help and the config file write it: "ctrl-t", "alt-enter", "pgup", "f1", "j".
    public var name: String {
        switch self {
        case .character(" "): "space"
        case .character(let character): String(character)
        case .control(" "): "ctrl-space"
        case .control(let character): "ctrl-\(character)"
        case .alt(let character): "alt-\(character)"
        case .enter: "enter"
        case .altEnter: "alt-enter"
        case .tab: "tab"
        case .backTab: "shift-tab"
        case .backspace: "backspace"
        case .delete: "delete"
        case .escape: "esc"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .home: "home"
        case .end: "end"
        case .pageUp: "pgup"
        case .pageDown: "pgdn"
        case .function(let number): "f\(number)"
        }
    }

    /// How the screen shows it in hints: "Ctrl-Q", "F1", "Enter", "Alt-Enter", "j".
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .control(" "): "Ctrl-Space"
        case .control(let character): "Ctrl-\(character.uppercased())"
        case .alt(let character): "Alt-\(character)"
        case .function(let number): "F\(number)"
        case .backTab: "Shift-Tab"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        default: name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
        }
    }

    /// The key a name stands for (the inverse of `name`), for bindings in the config file.
    public init?(name: String) {
        let lowered = name.lowercased()
        if let key = Self.named[lowered] {
            self = key
        } else if lowered.hasPrefix("ctrl-"), lowered.count == 6, let letter = lowered.last, letter.isLetter {
            self = .control(letter)
        } else if lowered.hasPrefix("alt-"), lowered.count == 5, let character = lowered.last {
            self = .alt(character)
        } else if lowered.hasPrefix("f"), let number = Int(lowered.dropFirst()), (1...12).contains(number) {
            self = .function(number)
        } else if name.count == 1, let character = name.first {
            self = .character(character)
        } else {
            return nil
        }
    }

    private static let named: [String: Key] = [
        "space": .character(" "), "enter": .enter, "alt-enter": .altEnter, "tab": .tab, "shift-tab": .backTab,
        "backspace": .backspace, "delete": .delete, "esc": .escape, "up": .up, "down": .down, "left": .left,
        "right": .right, "home": .home, "end": .end, "pgup": .pageUp, "pgdn": .pageDown, "ctrl-space": .control(" "),
    ]
}
