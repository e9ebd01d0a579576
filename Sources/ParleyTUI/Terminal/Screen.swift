import CNCurses
import Glibc

/// The terminal as curses drives it: draws frames and reads keys. Not Sendable — made, used and
/// ended on the run loop's thread, the only one that ever calls curses (reading keys included,
/// since `wget_wch` may refresh the screen).
final class Screen {
    enum Failure: Error, CustomStringConvertible {
        case notATerminal
        case cannotStart(String)
        case cannotMoveCursor(String)

        var description: String {
            switch self {
            case .notATerminal:
                "parley needs a terminal. To use it from a script or a pipe, run `parley ask \"…\"`."
            case .cannotStart(let term):
                "the terminal \"\(term)\" cannot be used by curses. Try TERM=xterm-256color, or `parley ask \"…\"`."
            case .cannotMoveCursor(let term):
                "the terminal \"\(term)\" cannot move its cursor, which the full-screen app needs. "
                    + "Try TERM=xterm-256color, or `parley ask \"…\"`."
            }
        }
    }

    private var previous: Frame?
    private var palette = Palette()
    private let keys = KeyReader()
    private var ended = false
    private var cursorShown: Bool?
    /// Whether the terminal reports the mouse to Parley (`[app] mouse`); when not, the mouse is the
    /// terminal's own, selecting text.
    private let mouse: Bool

    /// The terminal's modes Parley sets while it has the screen: bracketed paste, and mouse reports
    /// (presses and the wheel, in SGR's form, which has no limit on columns) when `mouse` is on. They
    /// are unset whenever the terminal is handed on or given back, so a shell or a pager is not sent
    /// reports it cannot read.
    private func modes(on: Bool) -> String {
        let set = on ? "h" : "l"
        return "\u{1B}[?2004\(set)" + (mouse ? "\u{1B}[?1000\(set)\u{1B}[?1006\(set)" : "")
    }

    init(theme: Theme, mouse: Bool) throws(Failure) {
        self.mouse = mouse
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        let term = getenv("TERM").map { String(cString: $0) } ?? "?"
        guard let started = parley_newterm() else { throw .cannotStart(term) }
        guard parley_can_address_cursor() != 0 else {
            endwin()
            delscreen(started)
            throw .cannotMoveCursor(term)
        }
        raw()
        noecho()
        nonl()
        keypad(parley_stdscr(), true)
        nodelay(parley_stdscr(), true)
        set_escdelay(25)
        // No look for typed keys while drawing: ncurses would poll the terminal and flush its
        // output at every line, several system calls a frame. The loop reads keys between frames.
        typeahead(-1)
        leaveok(parley_stdscr(), false)
        if has_colors() {
            start_color()
            use_default_colors()
            palette = Palette(installing: theme)
        }
        KeyReader.defineKeys()
        // ncurses (6.4) takes a screen from `newterm` as one a low-level program drives until it has
        // been ended and drawn again, and until then writes its output out at every cursor move:
        // five to seven writes a frame, each waking the terminal. Ended and drawn once here, before
        // anything is shown, every frame leaves in one write (and reaches the terminal whole).
        endwin()
        doupdate()
        Self.writeRaw(modes(on: true))
    }

    var size: Size { Size(width: Int(parley_cols()), height: Int(parley_lines())) }

    /// Draws `frame`, writing only the cells that changed since the last one, then one
    /// `doupdate`: ncurses sends the terminal only what differs. A row that did not change is
    /// passed over in one compare. Returns the cells written.
    @discardableResult
    func draw(_ frame: Frame) -> Int {
        let window = parley_stdscr()
        let previous = previous?.size == frame.size ? previous : nil
        let width = frame.size.width
        var written = 0
        var cell = cchar_t()
        // The cells through buffers and the glyph's scalars on the stack: a frame compares
        // thousands of cells, and subscripts that check bounds and copy-on-write cost more than
        // the comparing (a scrolling reply changes most rows of its pane every frame).
        frame.cells.withUnsafeBufferPointer { cells in
            (previous?.cells ?? []).withUnsafeBufferPointer { old in
                withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: Glyphs.scalarsPerCell + 1) { characters in
                    for row in 0..<frame.size.height {
                        if let previous, previous.sameRow(row, as: frame) { continue }
                        for column in 0..<width {
                            let new = cells[row * width + column]
                            if new.isContinuation { continue }
                            if !old.isEmpty, old[row * width + column] == new { continue }
                            var count = 0
                            while let scalar = new.scalar(count) {
                                characters[count] = wchar_t(bitPattern: scalar.value)
                                count += 1
                            }
                            characters[count] = 0
                            setcchar(
                                &cell, characters.baseAddress, palette.attributes(new.style),
                                palette.pair(new.style), nil)
                            mvwadd_wch(window, Int32(row), Int32(column), &cell)
                            written += 1
                        }
                    }
                }
            }
        }
        if let cursor = frame.cursor {
            wmove(window, Int32(cursor.row), Int32(cursor.column))
            if cursorShown != true { curs_set(1) }
            cursorShown = true
        } else {
            if cursorShown != false { curs_set(0) }
            cursorShown = false
        }
        wnoutrefresh(window)
        doupdate()
        self.previous = frame
        return written
    }

    /// Ctrl-L: forget what the terminal shows, so the next frame is sent whole.
    func invalidate() {
        wclear(parley_stdscr())
        previous = nil
    }

    /// After SIGWINCH: the kernel's new size becomes curses' size.
    func resize() -> Size {
        var rows: Int32 = 0
        var columns: Int32 = 0
        if parley_window_size(&rows, &columns) == 0 { resizeterm(rows, columns) }
        previous = nil
        return size
    }

    /// Every key waiting now (never blocks).
    func readKeys() -> [KeyParser.Input] { keys.read() }

    /// Lends the terminal to a program (an editor, a pager) for as long as `command` runs with
    /// `file`, then takes it back and redraws it whole. Returns the program's exit status (-1: it
    /// could not be started).
    func lend(to command: String, file: String) -> Int32 {
        Self.writeRaw(modes(on: false))
        def_prog_mode()
        endwin()
        let status = parley_run_in_terminal(command, file)
        reset_prog_mode()
        Self.writeRaw(modes(on: true))
        invalidate()
        return status
    }

    /// Rings the bell or posts a desktop notification through the terminal.
    static func notify(_ style: Notify, title: String, body: String) {
        writeRaw(notification(style, title: title, body: body))
    }

    /// The bytes that notify. The words are the user's titles: only printable characters go, and no
    /// `;`, which would end OSC 777's fields.
    static func notification(_ style: Notify, title: String, body: String) -> String {
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.filter { !Self.ends($0) }.prefix(200)))
        }
        return switch style {
        case .off: ""
        case .bell: "\u{07}"
        case .osc9: "\u{1B}]9;\(clean(title)): \(clean(body))\u{07}"
        case .osc777: "\u{1B}]777;notify;\(clean(title));\(clean(body))\u{07}"
        }
    }

    /// Control characters (C0, DEL, C1) would end or break the sequence; `;` separates its fields.
    private static func ends(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == ";"
    }

    /// Gives the terminal back exactly as it was.
    func end() {
        guard !ended else { return }
        ended = true
        Self.writeRaw(modes(on: false))
        curs_set(1)
        endwin()
    }

    /// Escape sequences curses does not know (bracketed paste, OSC 52), straight to the terminal.
    static func writeRaw(_ text: String) {
        fflush(parley_stdout_file())
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written <= 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
        bytes.removeAll()
    }
}

enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                if position <= chunk.count {
                    output.append(alphabet[Int((value >> (18 - 6 * UInt32(position))) & 0x3F)])
                } else {
                    output.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
