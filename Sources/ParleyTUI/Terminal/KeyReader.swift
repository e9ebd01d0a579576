import CNCurses
import Glibc

/// Reads what the terminal has sent, without blocking, and hands it to `KeyParser` as one burst.
final class KeyReader {
    private var parser = KeyParser()

    static func defineKeys() {
        define_key(KeyParser.pasteBeginText, KeyParser.pasteBegin)
        define_key(KeyParser.pasteEndText, KeyParser.pasteEnd)
        // Replaces terminfo's `kmous` where that is the same prefix (xterm's), which ncurses would
        // take for its own mouse handling, never asked for here; where the prefix is no key at all
        // (tmux's and screen's terminfo), the report would come as typed characters.
        define_key(KeyParser.mouseReportText, KeyParser.mouseReport)
        // Home and End as tmux, screen and the Linux console send them, and rxvt, and xterm in
        // either cursor mode, whatever terminfo says for $TERM: tmux sends `ESC [1~` for Home even
        // with TERM naming xterm inside it, whose terminfo takes that for Find, and Home typed "1~".
        for home in ["\u{1B}[1~", "\u{1B}[7~", "\u{1B}[H", "\u{1B}OH"] { define_key(home, KEY_HOME) }
        for end in ["\u{1B}[4~", "\u{1B}[8~", "\u{1B}[F", "\u{1B}OF"] { define_key(end, KEY_END) }
    }

    func read() -> [KeyParser.Input] {
        var burst: [KeyParser.Raw] = []
        while let next = Self.next() { burst.append(next) }
        return parser.parse(burst)
    }

    private static func next() -> KeyParser.Raw? {
        var character: wint_t = 0
        let result = wget_wch(parley_stdscr(), &character)
        if result == parley_err() { return nil }
        if result == parley_key_code_yes() { return .function(Int32(character)) }
        return Unicode.Scalar(UInt32(character)).map(KeyParser.Raw.character) ?? .character("\u{FFFD}")
    }
}
