import Foundation
import ParleyCore
import ParleyTUI
import Synchronization

/// The one door to stdout and stderr. Every write is unbuffered (a streamed reply must appear as
/// it arrives) and made safe for the stream it actually goes to: when that stream is a terminal,
/// control characters and bidi controls in the text are shown as pictures (`ControlPicture`), so
/// no model, server, title or config text can move the cursor, retitle the window or write the
/// clipboard. Pipes and files get the text as it is. Parley's own styling is asked for by name
/// (`dimmed`), never written into the text.
enum Console {
    static let outputIsTerminal = isatty(STDOUT_FILENO) == 1
    static let errorIsTerminal = isatty(STDERR_FILENO) == 1

    static func output(_ text: String) { write(text, to: .output) }
    static func error(_ text: String) { write(text, to: .error) }

    /// A reply's text made light for the terminal (`StreamedMarkdown`): each look its own style, the
    /// text itself made safe as any other. Colour only where NO_COLOR is not set.
    static func output(_ pieces: [StreamedMarkdown.Piece]) {
        var styled = ""
        for piece in pieces {
            let safe = ControlPicture.safe(piece.text)
            switch piece.look {
            case .plain: styled += safe
            case .bold: styled += "\u{1B}[1m" + safe + "\u{1B}[0m"
            case .muted: styled += "\u{1B}[2m" + safe + "\u{1B}[0m"
            case .code: styled += usesColour ? "\u{1B}[36m" + safe + "\u{1B}[0m" : safe
            }
        }
        writeBytes(styled, to: .output)
    }

    static let usesColour = ProcessEnvironment.variables["NO_COLOR"].map(\.isEmpty) ?? true

    /// `text` on stderr, dimmed when stderr is a terminal (the model's reasoning beside its answer).
    static func error(_ text: String, dimmed: Bool) {
        guard dimmed, errorIsTerminal else { return error(text) }
        writeBytes("\u{1B}[2m" + ControlPicture.safe(text) + "\u{1B}[0m", to: .error)
    }

    /// A line on stderr that the next one replaces ("thinking… 120 tokens"), dimmed; nil erases it.
    /// Only on a terminal: anywhere else it would be a pile of lines.
    static func status(_ text: String?) {
        guard errorIsTerminal else { return }
        let line = text.map { "\u{1B}[2m" + ControlPicture.safe($0) + "\u{1B}[0m" } ?? ""
        writeBytes("\r\u{1B}[2K" + line, to: .error)
    }

    /// Why writing to stdout failed, other than a closed pipe (`parley ask … | head` is not an
    /// error): a full disk, an I/O error. Nil while every write succeeded. Once set, further
    /// stdout writes are skipped.
    static var outputFailure: String? { failure.withLock { $0 } }

    private enum Stream {
        case output, error

        var descriptor: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }
        var isTerminal: Bool { self == .output ? Console.outputIsTerminal : Console.errorIsTerminal }
    }

    private static let failure = Mutex<String?>(nil)

    private static func write(_ text: String, to stream: Stream) {
        writeBytes(stream.isTerminal ? ControlPicture.safe(text) : text, to: stream)
    }

    private static func writeBytes(_ text: String, to stream: Stream) {
        if stream == .output, outputFailure != nil { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(stream.descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                // A closed pipe is the reader's choice; anything else loses output and is reported.
                if written < 0, errno != EPIPE, stream == .output {
                    let reason = String(cString: strerror(errno))
                    failure.withLock { $0 = $0 ?? reason }
                }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
