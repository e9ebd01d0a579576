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
