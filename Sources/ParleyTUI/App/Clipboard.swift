/// How copied text reaches the user's clipboard, decided once at launch from `[app] clipboard`
/// and where Parley runs (`choose`). Every copy, `y` and copy mode alike, goes this one way.
public enum Clipboard: Equatable, Sendable {
    /// OSC 52 written to the terminal, which puts the text on the clipboard of the machine the
    /// user sits at (also over SSH); wrapped so a multiplexer between passes it on.
    case osc52(Multiplexer)
    /// A local clipboard command, given the text on its standard input.
    case command(path: String, arguments: [String])
    /// No way works here: why, and what to change, for the status bar.
    case unavailable(String)

    /// What sits between Parley and the terminal, and must be asked to pass OSC 52 on.
    public enum Multiplexer: Equatable, Sendable {
        case none
        /// tmux: the plain sequence (taken when `set-clipboard` is on) and a passthrough copy (taken
        /// when `allow-passthrough` is on), since either may be the one its user allowed.
        case tmux
        /// GNU screen, which knows no OSC 52: passed through in pieces short enough for its buffer.
        case screen
    }

    /// `[app] clipboard`.
    public enum Setting: String, CaseIterable, Equatable, Sendable {
        /// A local clipboard command when the session is local and one is found, else OSC 52 when
        /// the terminal can take it.
        case auto
        case osc52, command, off
    }

    /// The clipboard commands Parley knows, in the order it looks for them: the display's own first.
    static func candidates(environment: [String: String]) -> [(name: String, arguments: [String])] {
        let wayland = !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty
        let x11 = !(environment["DISPLAY"] ?? "").isEmpty
        return (wayland ? [("wl-copy", [])] : [])
            + (x11 ? [("xclip", ["-selection", "clipboard"]), ("xsel", ["--clipboard", "--input"])] : [])
            + [("pbcopy", [])]
    }

    /// The way for `setting` in `environment`. `command` is `[app] clipboard_command` (its words),
    /// `locate` finds a command's path on the PATH (nil when it is not there).
    public static func choose(
        _ setting: Setting, command: [String]? = nil, environment: [String: String], locate: (String) -> String?
    ) -> Clipboard {
        let remote = !(environment["SSH_CONNECTION"] ?? "").isEmpty || !(environment["SSH_TTY"] ?? "").isEmpty
        // The configured command, else the first of the known ones found.
        let wanted =
            command.map { [(name: $0.first ?? "", arguments: Array($0.dropFirst()))] }
            ?? candidates(environment: environment)
        var found: Clipboard?
        for candidate in wanted where found == nil {
            found = locate(candidate.name).map { Clipboard.command(path: $0, arguments: candidate.arguments) }
        }
        let term = environment["TERM"] ?? ""
        // A console or a dumb terminal would show the sequence, or drop it: neither copies.
        let takesOSC52 = !term.isEmpty && term != "dumb" && term != "linux"
        let multiplexer: Multiplexer =
            !(environment["TMUX"] ?? "").isEmpty ? .tmux : term.hasPrefix("screen") ? .screen : .none
        switch setting {
        case .off:
            return .unavailable("Copying is off ([app] clipboard = \"off\").")
        case .osc52:
            return .osc52(multiplexer)
        case .command:
            if let found { return found }
            return .unavailable(
                command.map { "The clipboard command \($0.first ?? "") is not on the PATH." }
                    ?? "No clipboard command found (wl-copy, xclip, xsel, pbcopy): set [app] clipboard_command.")
        case .auto:
            // Over SSH a command would fill the remote machine's clipboard, not the user's.
            if let found, !remote || command != nil { return found }
            if takesOSC52 { return .osc52(multiplexer) }
            return .unavailable(
                "Nothing here can take a copy: TERM=\(term.isEmpty ? "(unset)" : term) knows no OSC 52 and no "
                    + "clipboard command was found; set [app] clipboard = \"osc52\" or clipboard_command.")
        }
    }

    /// The bytes that ask the terminal to put `text` on its clipboard.
    public static func osc52(_ text: String, through multiplexer: Multiplexer) -> String {
        let payload = Base64.encode(Array(text.utf8))
        let plain = "\u{1B}]52;c;\(payload)\u{07}"
        switch multiplexer {
        case .none:
            return plain
        case .tmux:
            // Inside tmux's passthrough every ESC of the wrapped sequence is doubled.
            return plain + "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;\(payload)\u{07}\u{1B}\\"
        case .screen:
            // screen's passthrough buffer is short: the sequence goes in pieces, each its own DCS.
            var pieces = ["\u{1B}P\u{1B}]52;c;"]
            var rest = payload[...]
            while !rest.isEmpty {
                pieces.append("\u{1B}P" + rest.prefix(76))
                rest = rest.dropFirst(76)
            }
            pieces.append("\u{1B}P\u{07}")
            return pieces.joined(separator: "\u{1B}\\") + "\u{1B}\\"
        }
    }
}
